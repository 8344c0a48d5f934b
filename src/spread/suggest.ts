/**
 * The H form that would spread a time's minute without changing anything else: `0 3 * * *` →
 * `H 3 * * *`, `*\/2 * * * *` → `H/2 * * * *`, `0,30 * * * *` → `H/30 * * * *`, `@daily` →
 * `H 0 * * *`. Hours, days and months stay as written, so the job keeps its hour and days and
 * only moves within them. For the cron-stampede rule and the report.
 */
import { findHashForms } from "./forms.js";

/** Debian's expansions of the @ keywords that name a clock time (parse-keyword.ts). */
const KEYWORD_FIELDS: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** The H form of a minute field, or undefined when it cannot be spread (every minute, ranges, irregular lists, H already). */
function hashMinute(field: string): string | undefined {
  if (/^[0-9]+$/.test(field)) return "H";
  const star = /^\*\/([0-9]+)$/.exec(field);
  if (star !== null) {
    const step = Number(star[1]);
    return step >= 2 && step < 60 ? `H/${step}` : undefined;
  }
  const stepped = /^([0-9]+)-([0-9]+)\/([0-9]+)$/.exec(field);
  if (stepped !== null) {
    const [low, high, step] = [Number(stepped[1]), Number(stepped[2]), Number(stepped[3])];
    return step >= 2 && step <= high - low ? `H(${low}-${high})/${step}` : undefined;
  }
  if (/^[0-9]+(,[0-9]+)+$/.test(field)) {
    const values = [...new Set(field.split(",").map(Number))].sort((a, b) => a - b);
    const step = 60 / values.length;
    const even = Number.isInteger(step) && values.every((v, i) => i === 0 || v - (values[i - 1] ?? 0) === step);
    return even ? `H/${step}` : undefined;
  }
  return undefined;
}

/** The suggested H form of a written time (normalised, single spaces), or undefined. */
export function suggestHashForm(written: string): string | undefined {
  const fields = (KEYWORD_FIELDS[written] ?? written).split(" ");
  if (fields.length !== 5) return undefined;
  const minute = hashMinute(fields[0] ?? "");
  if (minute === undefined) return undefined;
  const suggestion = [minute, ...fields.slice(1)].join(" ");
  // Only a suggestion this stage accepts without a word of complaint is offered.
  const forms = findHashForms(suggestion);
  return forms !== undefined && forms.problems.length === 0 ? suggestion : undefined;
}
