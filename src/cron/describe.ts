/**
 * A plain-English description of a CronTime that says what Debian's cron will do.
 *
 * cronstrue words the time of day. Everything it would word with other semantics is
 * written here instead:
 * - the day fields: crontab(5) "Note": when both day fields are restricted cron runs on
 *   *either* (OR); when one starts with `*` (DOM_STAR/DOW_STAR in entry.c, even `*\/2`)
 *   both must match (AND). cronstrue says "..., and on Sunday" for both.
 * - steps that do not divide their field (`*\/7` minutes, `*\/5` hours, `*\/10` days):
 *   cron's get_range() restarts them at every hour/day/month, so they are not "every 7
 *   minutes" at the boundary; the description lists the values.
 * - 7 is Sunday (already folded by the parser), and `@reboot` runs when cron starts
 *   after a boot (Debian's /run/crond.reboot check), not when the package is installed.
 */
import cronstrue from "cronstrue";
import type { CronTime } from "../types.js";
import { monthLongNames, weekdayLongNames } from "./fields.js";

const ALL_DAYS = 31;

/** Describes `time` in one English sentence (no final period). */
export function describeCronTime(time: CronTime): string {
  if (time.reboot) return "Once when cron starts after a boot (a cron restart does not run it again; installing the package does not run it)";
  const parts = [timeOfDay(time)];
  const days = dayClause(time);
  if (days.text !== "") parts.push(days.text);
  if (time.months.length < 12) parts.push(`in ${listWords(time.months, (m) => monthLongNames[m - 1] ?? String(m), "and")}`);
  const sentence = parts.join(", ");
  return days.note === "" ? sentence : `${sentence} (${days.note})`;
}

/** The minute/hour part, e.g. "At 02:30", "Every 15 minutes, between 02:00 and 02:59". */
function timeOfDay(time: CronTime): string {
  const { minutes, hours } = time;
  const count = minutes.length * hours.length;
  if (count <= 6 && minutes.length < 60 && hours.length < 24) {
    // cronstrue words "0,30 2" as "At 0 and 30 minutes past the hour, at 02:00"; list the times.
    const times = hours.flatMap((h) => minutes.map((m) => `${pad(h)}:${pad(m)}`));
    return `At ${joinWords(times, "and")}`;
  }
  // cronstrue reads the value sets written canonically, so "*\/60" (only minute 0) or "0-0"
  // are worded as what they are, not as what they look like.
  const minuteField = canonicalField(minutes, 0, 59);
  const hourField = canonicalField(hours, 0, 23);
  let text: string;
  try {
    text = cronstrue.toString(`${minuteField} ${hourField} * * *`, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    text = `At minutes ${listNumbers(minutes)} of hours ${listNumbers(hours)}`;
  }
  if (unevenStep(minuteField, 60)) text += ` (minutes ${listNumbers(minutes)} of the hour: the step restarts every hour)`;
  if (unevenStep(hourField, 24)) text += ` (hours ${listNumbers(hours)}: the step restarts every day)`;
  return text;
}

/**
 * A field text for a sorted value set: `*`, `*\/STEP` when the set is exactly what that gives,
 * `A-B/STEP` for other progressions, else values and ranges (`0-5,20,40`).
 */
function canonicalField(values: number[], low: number, high: number): string {
  const [first, second] = values;
  const last = values[values.length - 1];
  if (first === undefined || last === undefined) return "*";
  if (values.length === high - low + 1) return "*";
  if (second !== undefined) {
    const step = second - first;
    const progression = step > 1 && values.every((v, i) => v === first + i * step);
    if (progression && first === low && last + step > high) return `*/${step}`;
    if (progression && values.length >= 3) return `${first}-${last}/${step}`;
  }
  const pieces: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] ?? 0) === (values[j] ?? 0) + 1) j++;
    pieces.push(j - i >= 2 ? `${values[i]}-${values[j]}` : values.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return pieces.join(",");
}

/** True when a field has a `/STEP` that does not divide the field's size (e.g. `*\/7` minutes). */
function unevenStep(field: string, size: number): boolean {
  return field.split(",").some((item) => {
    const step = /\/(\d+)$/.exec(item);
    return step !== null && size % Number(step[1]) !== 0;
  });
}

interface DayClause {
  text: string;
  note: string;
}

/** Days, with Debian's AND/OR rule (cron.c find_jobs). */
function dayClause(time: CronTime): DayClause {
  const domAll = time.daysOfMonth.length === ALL_DAYS;
  const dowAll = time.daysOfWeek.length === 7;
  const weekdays = (conj: "and" | "or"): string => listWords(time.daysOfWeek, (d) => weekdayLongNames[d] ?? String(d), conj);
  if (time.domStar || time.dowStar) {
    if (domAll && dowAll) return { text: "", note: "" };
    if (domAll) return { text: `on ${weekdays("and")}`, note: "" };
    if (dowAll) return { text: `on ${dayOfMonthPhrase(time.daysOfMonth)}`, note: "" };
    const star = time.domStar ? "day-of-month" : "day-of-week";
    return {
      text: `on ${dayOfMonthPhrase(time.daysOfMonth)}, but only if that day is a ${weekdays("or")}`,
      note: `both day fields must match, because the ${star} field starts with *`,
    };
  }
  if (domAll && dowAll) return { text: "", note: "" };
  if (domAll || dowAll) {
    const full = domAll ? "day-of-month 1-31" : "day-of-week 0-6";
    return { text: "every day", note: `${full} matches every day, and cron runs when either day field matches` };
  }
  return {
    text: `on ${dayOfMonthPhrase(time.daysOfMonth)} and on every ${weekdays("and")}`,
    note: "cron runs when either day field matches",
  };
}

function dayOfMonthPhrase(days: number[]): string {
  return `${days.length === 1 ? "day" : "days"} ${listNumbers(days)} of the month`;
}

/** "1, 3, 5, …, 31", "1 through 7", "1 and 15". */
function listNumbers(values: number[]): string {
  return listWords(values, String, "and");
}

/**
 * Words for a sorted value list: an arithmetic progression of 5 or more values becomes
 * "a, b, c, …, z"; runs of 3 or more consecutive values become "a through z".
 */
function listWords(values: number[], name: (v: number) => string, conj: "and" | "or"): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const [first, second] = sorted;
  if (first !== undefined && second !== undefined && sorted.length >= 5) {
    const step = second - first;
    if (step > 1 && sorted.every((v, i) => v === first + i * step)) {
      return `${sorted.slice(0, 3).map(name).join(", ")}, …, ${name(sorted[sorted.length - 1] ?? first)}`;
    }
  }
  const pieces: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] ?? 0) === (sorted[j] ?? 0) + 1) j++;
    const start = sorted[i] ?? 0;
    const end = sorted[j] ?? 0;
    if (j - i >= 2) pieces.push(`${name(start)} through ${name(end)}`);
    else for (let k = i; k <= j; k++) pieces.push(name(sorted[k] ?? 0));
    i = j + 1;
  }
  return joinWords(pieces, conj);
}

function joinWords(words: string[], conj: "and" | "or"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conj} ${words[words.length - 1] ?? ""}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
