// Builds CronTime values for the next-run, description and list tests.
// Interim: assembled from the real field parser (src/cron/parse-field.ts) until
// parseCronTime (src/cron/parse.ts) lands; fails loudly on a time it rejects.
import type { CronKeyword, CronTime } from "../../src/types.js";
import { CRON_FIELDS } from "../../src/cron/fields.js";
import { parseField } from "../../src/cron/parse-field.js";

const range = (low: number, high: number): number[] => Array.from({ length: high - low + 1 }, (_, i) => low + i);

// Debian entry.c: what each @keyword sets, including its DOM_STAR / DOW_STAR flag.
const KEYWORDS: Record<Exclude<CronKeyword, "@reboot">, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** The CronTime for `text`, as Debian's grammar reads it. */
export function timeOf(text: string): CronTime {
  if (text === "@reboot") {
    return { text, keyword: "@reboot", reboot: true, minutes: [], hours: [], daysOfMonth: [], months: [], daysOfWeek: [], domStar: false, dowStar: false };
  }
  if (text in KEYWORDS) {
    const keyword = text as Exclude<CronKeyword, "@reboot">;
    return { ...timeOf(KEYWORDS[keyword]), text, keyword };
  }
  const fields = text.split(" ");
  if (fields.length !== 5) throw new Error(`test schedule ${JSON.stringify(text)}: not five fields`);
  const values: number[][] = [];
  let offset = 0;
  fields.forEach((field, i) => {
    const spec = CRON_FIELDS[i];
    if (spec === undefined) throw new Error("five fields");
    const parsed = parseField(field, offset, spec);
    if (parsed.problems.length > 0) throw new Error(`test schedule ${JSON.stringify(text)}: ${parsed.problems.map((p) => p.message).join("; ")}`);
    values.push(parsed.values);
    offset += field.length + 1;
  });
  const [minutes = [], hours = [], daysOfMonth = [], months = [], dow = []] = values;
  const daysOfWeek = [...new Set(dow.map((d) => d % 7))].sort((a, b) => a - b);
  const time: CronTime = {
    text,
    reboot: false,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    domStar: fields[2]?.startsWith("*") === true,
    dowStar: fields[4]?.startsWith("*") === true,
  };
  return time;
}

/** Every value of a field, for hand-made times. */
export const ALL = {
  minutes: range(0, 59),
  hours: range(0, 23),
  daysOfMonth: range(1, 31),
  months: range(1, 12),
  daysOfWeek: range(0, 6),
};
