/**
 * Warnings for a five-field time that Debian's cron accepts but that probably does not
 * do what its author meant. Computed only when the time has no error.
 *
 * Day matching follows cron.c find_jobs(): a day matches when
 *   (DOM_STAR || DOW_STAR) ? (dom matches AND dow matches) : (dom matches OR dow matches)
 * where DOM_STAR / DOW_STAR mean "the field's text starts with `*`" (entry.c load_entry()).
 */
import type { CronTime, CronTimeProblem } from "../types.js";
import { CRON_FIELDS, MAX_DAYS_IN_MONTH, monthLongNames, type CronFieldSpec } from "./fields.js";
import type { StepItem } from "./parse-field.js";

/** Where a field sits in the time text. */
export interface FieldSpan {
  text: string;
  offset: number;
}

/** `cron-time-once`: a stepped item that only ever matches one value. */
export function onceWarnings(stepItems: readonly StepItem[][]): CronTimeProblem[] {
  const problems: CronTimeProblem[] = [];
  stepItems.forEach((items, index) => {
    const spec = CRON_FIELDS[index];
    if (spec === undefined) return;
    for (const item of items) {
      const folded = new Set(item.values.map((v) => (spec.key === "daysOfWeek" && v === 7 ? 0 : v)));
      const first = item.values[0];
      if (folded.size !== 1 || first === undefined) continue;
      problems.push({
        severity: "warning",
        rule: "cron-time-once",
        message: onceMessage(item.text, first, spec),
        offset: item.offset,
        length: item.text.length,
      });
    }
  });
  return problems;
}

function onceMessage(text: string, first: number, spec: CronFieldSpec): string {
  const only = spec.key === "daysOfWeek" ? `${first} (Sunday; 0 and 7 are both Sunday)` : String(first);
  return `"${text}" matches only ${spec.label} ${only}: the step is at least as large as the range it steps ` +
    `through, and cron steps never carry over into the next ${spec.carry}; write "${spec.key === "daysOfWeek" ? 0 : first}"` +
    ` if that is meant, or a smaller step`;
}

/** `cron-time-never`: with an AND day rule, no (month, day) pair exists in the calendar. */
export function neverWarning(time: CronTime, dom: FieldSpan, month: FieldSpan): CronTimeProblem | undefined {
  // With neither star flag cron ORs the day fields, and a day-of-week list is never
  // empty, so such a time always fires on some day.
  if (!time.domStar && !time.dowStar) return undefined;
  const fires = time.months.some((m) => time.daysOfMonth.some((d) => d <= (MAX_DAYS_IN_MONTH[m - 1] ?? 0)));
  if (fires) return undefined;
  const months = time.months.map((m) => monthLongNames[m - 1] ?? String(m));
  const longest = Math.max(...time.months.map((m) => MAX_DAYS_IN_MONTH[m - 1] ?? 0));
  return {
    severity: "warning",
    rule: "cron-time-never",
    message: `never runs: day-of-month "${dom.text}" does not exist in ${listWords(months)} ` +
      `(at most ${longest} days); write days that exist in those months (1-${longest}), or other months`,
    offset: dom.offset,
    length: month.offset + month.text.length - dom.offset,
  };
}

/** `cron-day-or`: both day fields restricted, so cron ORs them. */
export function dayOrWarning(time: CronTime, dom: FieldSpan, dow: FieldSpan): CronTimeProblem | undefined {
  if (dom.text.startsWith("*") || dow.text.startsWith("*")) return undefined;
  const everyDay = time.daysOfMonth.length === 31 || time.daysOfWeek.length === 7 ? " (here: every day)" : "";
  return {
    severity: "warning",
    rule: "cron-day-or",
    message: `both day fields are restricted, so cron runs on days "${dom.text}" of the month OR on weekdays ` +
      `"${dow.text}"${everyDay}, not only when both match; cron cannot express AND: keep one field and write "*" in the ` +
      `other, then test the other condition in the script (e.g. [ "$(date +%u)" = 5 ] || exit 0)`,
    offset: dom.offset,
    length: dow.offset + dow.text.length - dom.offset,
  };
}

/** `cron-reboot`: @reboot jobs run when cron starts, not when the package is installed. */
export function rebootWarning(offset: number, length: number): CronTimeProblem {
  return {
    severity: "warning",
    rule: "cron-reboot",
    message: `"@reboot" runs only once per boot, when cron first starts (Debian's cron does not rerun it when the daemon restarts), not when the package is installed ` +
      `or upgraded; if the job must also run at install, call it from the package's postinst as well`,
    offset,
    length,
  };
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1] ?? ""}`;
}
