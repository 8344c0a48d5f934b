/**
 * The five fields of a Debian cron time specification and their bounds.
 *
 * Bounds and name tables follow Debian's cron 3.0pl1: cron.h (FIRST_/LAST_MINUTE …
 * FIRST_/LAST_DOW) and the MonthNames / DowNames arrays in cron.c, where day-of-week
 * runs 0-7 because both 0 and 7 are Sunday ("0 or 7 can be sunday", cron.h log).
 */

/** Which CronTime list a field fills. */
export type CronFieldKey = "minutes" | "hours" | "daysOfMonth" | "months" | "daysOfWeek";

/** Static description of one cron field. */
export interface CronFieldSpec {
  key: CronFieldKey;
  /** Name used in messages, as crontab(5) spells it. */
  label: string;
  low: number;
  high: number;
  /**
   * Lower-case three-letter names; name i stands for value `low + i`. Debian compares
   * them with strcasecmp() in get_number(), so any case is accepted.
   */
  names: readonly string[];
  /** Full English names, for messages (index as `names`). */
  longNames: readonly string[];
  /** The unit a step cannot carry over into (for the once-warning message). */
  carry: string;
}

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const MONTH_LONG = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;
// DowNames in cron.c ends with a second "Sun" (value 7); get_number() takes the first
// match, so "sun" always reads as 0.
const DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const DOW_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The five fields, in crontab order. */
export const CRON_FIELDS: readonly CronFieldSpec[] = [
  { key: "minutes", label: "minute", low: 0, high: 59, names: [], longNames: [], carry: "hour" },
  { key: "hours", label: "hour", low: 0, high: 23, names: [], longNames: [], carry: "day" },
  { key: "daysOfMonth", label: "day-of-month", low: 1, high: 31, names: [], longNames: [], carry: "month" },
  { key: "months", label: "month", low: 1, high: 12, names: MONTH_NAMES, longNames: MONTH_LONG, carry: "year" },
  { key: "daysOfWeek", label: "day-of-week", low: 0, high: 7, names: DOW_NAMES, longNames: DOW_LONG, carry: "week" },
];

/** Month names (lower case, three letters), index 0 = January. */
export const monthNames: readonly string[] = MONTH_NAMES;
/** Weekday names (lower case, three letters), index 0 = Sunday. */
export const weekdayNames: readonly string[] = DOW_NAMES;
/** Full month names, index 0 = January. */
export const monthLongNames: readonly string[] = MONTH_LONG;
/** Full weekday names, index 0 = Sunday. */
export const weekdayLongNames: readonly string[] = DOW_LONG;

/** The allowed values of a field, as written in messages: "0-59", "1-12 or jan-dec". */
export function allowedRange(spec: CronFieldSpec): string {
  if (spec.key === "daysOfWeek") return "0-7 or sun-sat (0 and 7 are Sunday)";
  if (spec.key === "months") return "1-12 or jan-dec";
  return `${spec.low}-${spec.high}`;
}

/** Most days a month can have (February counts its leap day: Feb 29 does occur). */
export const MAX_DAYS_IN_MONTH: readonly number[] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
