/**
 * Recognises Jenkins-style `H` forms in a METADATA `time` text: `H`, `H(A-B)`, `H/STEP` and
 * `H(A-B)/STEP` in the minute and hour fields, `H` and `H(A-B)` in the day-of-month (1-28) and
 * day-of-week (0-6, names allowed) fields. Every other character of the text is left to Debian's
 * grammar (src/cron/parse.ts), the only parser of cron syntax: this stage only finds the items
 * that start with `H`, checks them and reports malformed ones with a valid replacement.
 * Syntax and choices: docs/spread.md.
 */
import type { CronTimeProblem } from "../types.js";

/** A field as it sits in the text. */
export interface TextSpan {
  text: string;
  offset: number;
}

/** One well-formed H item. */
export interface HashItem {
  /** 0 minute, 1 hour, 2 day of month, 4 day of week. */
  field: number;
  text: string;
  /** 0-based offset in the time text. */
  offset: number;
  /** The values H chooses among (inclusive). */
  low: number;
  high: number;
  /** True when written `H(A-B)`. */
  explicitRange: boolean;
  /** `H/STEP`: every STEP values from a hashed start; undefined for a single value. */
  step?: number;
}

/** A malformed H item, replaced by `placeholder` so that the other fields can still be checked. */
export interface BadHashItem {
  field: number;
  text: string;
  offset: number;
  placeholder: string;
}

/** The H forms of one time text. */
export interface HashForms {
  text: string;
  fields: TextSpan[];
  items: HashItem[];
  bad: BadHashItem[];
  /** Errors (`cron-time-invalid`) and warnings (`cron-time-once`) at their offsets in `text`. */
  problems: CronTimeProblem[];
}

interface HashFieldSpec {
  label: string;
  /** Values a hashed item may take, and the default range of a bare `H`. */
  low: number;
  high: number;
  defaultHigh: number;
  unit: string;
  steps: boolean;
  names: readonly string[];
}

const DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** Index = cron field; undefined where H is not supported (the month). */
const HASH_FIELDS: readonly (HashFieldSpec | undefined)[] = [
  { label: "minute", low: 0, high: 59, defaultHigh: 59, unit: "minute", steps: true, names: [] },
  { label: "hour", low: 0, high: 23, defaultHigh: 23, unit: "hour", steps: true, names: [] },
  // At most 28: a hashed day must exist in every month, or the job would skip some months.
  { label: "day-of-month", low: 1, high: 28, defaultHigh: 28, unit: "day", steps: false, names: [] },
  undefined,
  // 0-7 as cron writes it, but a bare H picks among the seven days 0-6 (7 is Sunday again).
  { label: "day-of-week", low: 0, high: 7, defaultHigh: 6, unit: "weekday", steps: false, names: DOW_NAMES },
];

/** A valid stand-in value per field for a malformed item. */
const PLACEHOLDERS = ["0", "0", "1", "1", "0"] as const;

const FORM = /^H(?:\(([^()]*)\))?(?:\/(.*))?$/;

/** True when `item` is meant as an H form (Debian's names never start with h). */
function isHashItem(item: string): boolean {
  return item.startsWith("H") || item.startsWith("h");
}

function splitFields(text: string): TextSpan[] {
  const fields: TextSpan[] = [];
  for (const m of text.matchAll(/[^ \t]+/g)) fields.push({ text: m[0], offset: m.index ?? 0 });
  return fields;
}

function splitItems(field: TextSpan): TextSpan[] {
  const items: TextSpan[] = [];
  let offset = field.offset;
  for (const text of field.text.split(",")) {
    items.push({ text, offset });
    offset += text.length + 1;
  }
  return items;
}

/**
 * The H forms of `text`, or undefined when it has none: an `@` keyword, a text that is not five
 * fields (the grammar reports that, H included), or five fields without an item starting with H.
 */
export function findHashForms(text: string): HashForms | undefined {
  // Most times have no H at all: skip the splitting for them.
  if (!text.includes("H") && !text.includes("h")) return undefined;
  const fields = splitFields(text);
  if (fields.length !== 5 || fields[0]?.text.startsWith("@") === true) return undefined;
  const forms: HashForms = { text, fields, items: [], bad: [], problems: [] };
  fields.forEach((field, index) => {
    for (const item of splitItems(field)) {
      if (isHashItem(item.text)) checkItem(forms, index, item);
    }
  });
  return forms.items.length + forms.bad.length === 0 ? undefined : forms;
}

function invalid(message: string, item: TextSpan): CronTimeProblem {
  return { severity: "error", rule: "cron-time-invalid", message, offset: item.offset, length: item.text.length };
}

function reject(forms: HashForms, field: number, item: TextSpan, message: string): void {
  forms.problems.push(invalid(message, item));
  forms.bad.push({ field, text: item.text, offset: item.offset, placeholder: PLACEHOLDERS[field] ?? "0" });
}

const SHAPES = `"H", "H(A-B)", "H/STEP" or "H(A-B)/STEP"`;

function checkItem(forms: HashForms, field: number, item: TextSpan): void {
  const spec = HASH_FIELDS[field];
  if (spec === undefined) {
    reject(forms, field, item, `"${item.text}": H is not supported in the month field (a job in one month of the year ` +
      `chosen by a hash would hide its own date); write the month you mean, a number 1-12 such as "1", or "*"`);
    return;
  }
  if (item.text.startsWith("h")) {
    const upper = `H${item.text.slice(1)}`;
    const fix = parseForm(upper, spec).problem === undefined ? upper : "H";
    reject(forms, field, item, `"${item.text}": the hash form is written with an upper-case H; write "${fix}"`);
    return;
  }
  const parsed = parseForm(item.text, spec);
  if (parsed.problem !== undefined) {
    reject(forms, field, item, `"${item.text}": ${parsed.problem}`);
    return;
  }
  const { low, high, step, explicitRange } = parsed;
  if (step !== undefined && step >= high - low + 1) {
    const size = high - low + 1;
    forms.problems.push({
      severity: "warning",
      rule: "cron-time-once",
      message: `"${item.text}" gives one ${spec.unit} only: the step is at least the size of the range (${size} ` +
        `${spec.unit}s); write "${explicitRange ? `H(${low}-${high})` : "H"}" if that is meant, or a smaller step`,
      offset: item.offset,
      length: item.text.length,
    });
  }
  const hashItem: HashItem = { field, text: item.text, offset: item.offset, low, high, explicitRange };
  if (step !== undefined && step < high - low + 1) hashItem.step = step;
  forms.items.push(hashItem);
}

type ParsedForm =
  | { problem: string; low?: undefined; high?: undefined; step?: undefined; explicitRange?: undefined }
  | { problem?: undefined; low: number; high: number; step?: number; explicitRange: boolean };

/** Reads one H item; `problem` (a message tail with a valid replacement) when it is malformed. */
function parseForm(text: string, spec: HashFieldSpec): ParsedForm {
  const m = FORM.exec(text);
  if (m === null) return { problem: `not an H form; write ${SHAPES} (e.g. "H(0-29)")${shapeHint(text)}` };
  const [, range, stepText] = m;
  let low = spec.low;
  let high = spec.defaultHigh;
  const explicitRange = range !== undefined;
  if (range !== undefined) {
    const bounds = /^([^-]*)-([^-]*)$/.exec(range);
    if (bounds === null) return { problem: `a hash range is "H(A-B)"; write e.g. "H(${spec.low}-${Math.min(spec.high, spec.low + 29)})"` };
    const a = valueOf(bounds[1] ?? "", spec);
    const b = valueOf(bounds[2] ?? "", spec);
    if (a === undefined || b === undefined) {
      const what = spec.names.length > 0 ? "numbers or day names (sun-sat)" : "numbers";
      return { problem: `the bounds of a hash range are ${what}; write e.g. "H(${spec.low}-${spec.defaultHigh})"` };
    }
    if (a < spec.low || b > spec.high || a > spec.high || b < spec.low) return { problem: outOfRange(a, b, spec) };
    if (a > b) return { problem: `the range is reversed, so it holds no ${spec.unit}; write "H(${b}-${a})"` };
    if (spec.names.length > 0 && a === 0 && b === 7) {
      return { problem: `0 and 7 are both Sunday, which would count twice; write "H(0-6)" (or "H" for any day)` };
    }
    low = a;
    high = b;
  }
  if (stepText === undefined) return { low, high, explicitRange };
  const base = explicitRange ? `H(${low}-${high})` : "H";
  if (!spec.steps) {
    return { problem: `a hashed step is not supported in the ${spec.label} field (steps restart every ` +
      `${spec.label === "day-of-month" ? "month" : "week"}); write "${base}"` };
  }
  if (!/^[0-9]+$/.test(stepText)) return { problem: `the step after "/" must be a number; write e.g. "${base}/15"` };
  const step = Number(stepText);
  if (step === 0) {
    const once = spec.unit === "minute" ? "one minute an hour" : "one hour a day";
    const width = high - low + 1;
    const example = Math.min(spec.unit === "minute" ? 15 : 6, Math.floor(width / 2));
    const stepped = example >= 2 ? `, or a step of at least 2 (e.g. "${base}/${example}")` : "";
    return { problem: `step 0 never advances; write "${base}" for ${once}${stepped}` };
  }
  return { low, high, step, explicitRange };
}

function valueOf(word: string, spec: HashFieldSpec): number | undefined {
  if (/^[0-9]+$/.test(word)) return Number(word);
  const index = spec.names.indexOf(word.toLowerCase());
  return index >= 0 && word.length === 3 ? index : undefined;
}

function outOfRange(a: number, b: number, spec: HashFieldSpec): string {
  const low = Math.max(Math.min(a, b), spec.low);
  const high = Math.min(Math.max(a, b), spec.high);
  const fix = low <= high && (low > spec.low || high < spec.defaultHigh) ? `H(${low}-${high})` : "H";
  const limit = spec.label === "day-of-month"
    ? "a hashed day of the month is 1-28, so that it exists in every month"
    : `the ${spec.label} is ${spec.low}-${spec.high}`;
  return `out of range: ${limit}; write "${fix}"`;
}

/** A hint for common slips: `H5`, `H-5`. */
function shapeHint(text: string): string {
  if (/^H[0-9]/.test(text)) return "; a fixed value is written without H";
  if (/^H-/.test(text)) return `; a range goes in parentheses: "H(0-29)"`;
  return "";
}
