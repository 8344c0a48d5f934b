/**
 * One cron field (`1,5-10,*\/15`) → its value set, following Debian's cron 3.0pl1
 * entry.c: get_list() splits on commas, get_range() reads `*`, `N`, `A-B` with an
 * optional `/STEP`, get_number() reads digits or a three-letter name.
 *
 * Where cron fails the line we report an error; where cron silently reads something
 * else we report an error too (SPEC 3), always pointing at the offending token:
 * - get_list() ends with Skip_Nonblanks(), so anything after a valid item (`1#2`, `5?`,
 *   `*5`, `1-5-7`) is dropped without a word;
 * - get_range() loops `for (i = num1; i <= num2; i += num3)`, so a reversed range
 *   (`10-5`, `sat-sun`) sets no bit at all;
 * - that loop counts in a C int: a step larger than the field's range never reaches a
 *   second value, and once the start plus the step passes 2147483647 the counter wraps
 *   around and cron rejects the line (./c-int.ts). Such a step is an error (SPEC 3):
 *   the limit is the field's largest value minus its smallest (minute 59, hour 23,
 *   day-of-month 30, month 11, day-of-week 7).
 */
import { cAtoi, cronStepReading } from "./c-int.js";
import { allowedRange, type CronFieldSpec } from "./fields.js";
import {
  explainBadStep,
  explainBadValue,
  explainForeignChar,
  explainForeignWord,
  isDigits,
  readWord,
} from "./parse-words.js";

/** An error inside a field; offsets index into the whole time text. */
export interface FieldProblem {
  message: string;
  offset: number;
  length: number;
}

/** An item written with `/STEP`, kept for the once-warning. */
export interface StepItem {
  text: string;
  offset: number;
  /** Values the item matches, before day-of-week 7 is folded into 0. */
  values: number[];
}

/** The result of parsing one field. */
export interface ParsedField {
  /** Matching values, sorted, unique (day-of-week still has 7). */
  values: number[];
  problems: FieldProblem[];
  stepItems: StepItem[];
}

// get_number() fails when a word reaches MAX_TEMPSTR characters, 1000 in Debian's cron.h
// (`crontab -n` reads a 999-digit minute and rejects a 1000-digit one).
const MAX_WORD = 999;

/** The largest useful step of a field: from any start, a larger one never reaches a second value. */
export function maxStep(spec: CronFieldSpec): number {
  return spec.high - spec.low;
}

/** Parses one field's text; `offset` is where the field starts in the time text. */
export function parseField(text: string, offset: number, spec: CronFieldSpec): ParsedField {
  const values = new Set<number>();
  const problems: FieldProblem[] = [];
  const stepItems: StepItem[] = [];
  const pieces = text.split(",");
  const emptyAt = new Set<number>();
  let start = 0;
  for (const [index, piece] of pieces.entries()) {
    if (piece === "") {
      // get_number() finds no character to read: cron rejects the line.
      const comma = index > 0 ? start - 1 : start;
      if (!emptyAt.has(comma)) {
        emptyAt.add(comma);
        const kept = pieces.filter((p) => p !== "");
        const fix = kept.length > 0 ? kept.join(",") : "*";
        problems.push({
          message: `"${text}": empty item in the list; write "${fix}"`,
          offset: offset + comma,
          length: 1,
        });
      }
    } else {
      parseItem(piece, offset + start, spec, { values, problems, stepItems });
    }
    start += piece.length + 1;
  }
  return { values: [...values].sort((a, b) => a - b), problems, stepItems };
}

/** Reports a problem at a position relative to the current item. */
type Report = (message: string, from: number, length: number) => void;

interface Sink {
  values: Set<number>;
  problems: FieldProblem[];
  stepItems: StepItem[];
}

/** A value word that was read: its text, where it starts, its number if valid. */
interface Word {
  text: string;
  at: number;
  value?: number;
}

/** Parses one list item (`*`, `*\/S`, `N`, `A-B`, `A-B/S`) starting at `at`. */
function parseItem(item: string, at: number, spec: CronFieldSpec, sink: Sink): void {
  const before = sink.problems.length;
  const report: Report = (message, from, length) => {
    sink.problems.push({ message, offset: at + from, length });
  };

  let pos: number;
  let low: Word;
  let high: Word;
  const star = item.startsWith("*");
  if (star) {
    // "'*' means "first-last" but can still be modified by /step" (get_range)
    low = { text: String(spec.low), at: 0, value: spec.low };
    high = { text: String(spec.high), at: 0, value: spec.high };
    pos = 1;
  } else {
    const first = readValue(item, 0, spec, report);
    if (first === undefined) return;
    low = first;
    pos = first.text.length;
    if (item[pos] === "-") {
      const second = readValue(item, pos + 1, spec, report);
      if (second === undefined) return;
      high = second;
      pos = second.at + second.text.length;
    } else if (item[pos] === "/") {
      // Debian's patch to get_range(): "Unsupported syntax: Step specified without range".
      const stepWord = readWord(item, pos + 1);
      const step = isDigits(stepWord) && Number(stepWord) > 0 && Number(stepWord) <= maxStep(spec) ? stepWord : "2";
      const top = !isDigits(low.text) ? spec.names[spec.names.length - 1] ?? "" :
        spec.key === "daysOfWeek" ? "6" : String(spec.high);
      report(`"${item.slice(0, pos + 1 + stepWord.length)}": a step needs a range; ` +
        `write "${low.text}-${top}/${step}" or "*/${step}"`, 0, pos + 1 + stepWord.length);
      return;
    } else {
      high = low;
    }
  }

  let step = 1;
  let stepWord: Word | undefined;
  if (item[pos] === "/") {
    const read = readStep(item, pos, report);
    if (read === undefined) return;
    step = read.step;
    stepWord = { text: item.slice(pos + 1, read.end), at: pos + 1 };
    pos = read.end;
  }

  checkBounds(low, spec, report);
  if (high !== low) checkBounds(high, spec, report);

  if (pos < item.length) reportJunk(item, pos, report);
  if (sink.problems.length > before) return;

  const from = low.value ?? spec.low;
  const to = high.value ?? spec.high;
  const reversed = from > to;
  if (reversed) {
    report(reversedMessage(item.slice(0, high.at + high.text.length), low, high, spec), 0, high.at + high.text.length);
  }
  if (stepWord !== undefined && step > maxStep(spec)) {
    const first = star ? String(spec.low) : low.text;
    report(stepTooLargeMessage(item.slice(0, stepWord.at + stepWord.text.length), stepWord.text, from, to, reversed ? undefined : first, spec),
      stepWord.at, stepWord.text.length);
  }
  if (sink.problems.length > before) return;
  const matched: number[] = [];
  for (let v = from; v <= to; v += step) matched.push(v);
  for (const v of matched) sink.values.add(v);
  if (stepWord !== undefined) sink.stepItems.push({ text: item, offset: at, values: matched });
}

/** Reads `/STEP` at `slash`; reports and returns undefined when the step is not a number of at least 1. */
function readStep(item: string, slash: number, report: Report): { step: number; end: number } | undefined {
  const base = item.slice(0, slash);
  const word = readWord(item, slash + 1);
  if (word === "") {
    report(`"${item}": a step needs a number after "/"; write e.g. "${base}/2"`, slash, 1);
    return undefined;
  }
  if (!isDigits(word)) {
    // get_range() reads the step with no name table: names fail like any other word.
    report(explainBadStep(word, base), slash + 1, word.length);
    return undefined;
  }
  const step = Number(word);
  if (step === 0) {
    // get_range(): `if (ch == EOF || num3 <= 0) return EOF;`
    report(`"${base}/${word}": step 0 never advances and cron rejects it; ` +
      `write "${base}" for every value, or a step of at least 1`, slash + 1, word.length);
    return undefined;
  }
  return { step, end: slash + 1 + word.length };
}

/**
 * A step larger than the field's range (maxStep): never useful, and past INT_MAX minus the
 * start fatal to the whole line. Says what cron does with it; `first` is the item's first
 * value as written when suggesting it is valid.
 */
function stepTooLargeMessage(
  text: string,
  word: string,
  from: number,
  to: number,
  first: string | undefined,
  spec: CronFieldSpec,
): string {
  const limit = maxStep(spec);
  const reading = cronStepReading(word, from, to, MAX_WORD);
  let cron: string;
  if (reading.kind === "rejects") {
    cron = `${reading.why}, so Debian's cron rejects the line (and ignores the whole cron.d file)`;
  } else if (reading.step > limit) {
    cron = `cron would match only ${spec.label} ${first ?? from}`;
  } else {
    cron = `cron's int reads it as step ${reading.step}, so cron would read "${text.slice(0, text.length - word.length)}${reading.step}"`;
  }
  const write = first === undefined
    ? `write a step of at most ${limit}`
    : `write "${first}" if only ${spec.label} ${first} is meant, or a step of at most ${limit}`;
  const shown = word.length > 20 ? `${word.slice(0, 12)}…` : word;
  return `"${text.slice(0, text.length - word.length)}${shown}": step ${shown} is larger than the ${spec.label} field's range ` +
    `(${spec.low}-${spec.high}), so it never reaches a second value; ${cron}; ${write}`;
}

/** Reads a number or name at `from`; reports and returns undefined when there is none. */
function readValue(
  item: string,
  from: number,
  spec: CronFieldSpec,
  report: Report,
): Word | undefined {
  const word = readWord(item, from);
  if (word === "") {
    report(...explainMissingValue(item, from, spec));
    return undefined;
  }
  if (word.length > MAX_WORD) {
    report(`"${word.slice(0, 12)}…" is too long for cron (at most ${MAX_WORD} characters); ` +
      `write a ${spec.label}, ${allowedRange(spec)}`, from, word.length);
    return undefined;
  }
  if (isDigits(word)) return { text: word, at: from, value: Number(word) };
  const index = spec.names.indexOf(word.toLowerCase());
  if (index >= 0) return { text: word, at: from, value: spec.low + index };
  report(explainBadValue(word, spec), from, word.length);
  return undefined;
}

/** Message and span for a place where a number or name should start but does not. */
function explainMissingValue(item: string, from: number, spec: CronFieldSpec): [string, number, number] {
  const ch = item[from];
  if (ch === undefined) {
    // `5-` : nothing after the dash.
    return [`"${item}": a range needs an end after "-"; write e.g. "${item}${spec.high}"`, from - 1, 1];
  }
  const foreign = explainForeignChar(ch, item);
  if (foreign !== undefined) return [foreign, from, 1];
  if (from === 0 && ch === "-") {
    return [`"${item}": a value cannot start with "-" (no negative numbers, no open ranges); ` +
      `write a ${spec.label}, ${allowedRange(spec)}`, 0, 1];
  }
  if (from === 0 && ch === "/") {
    return [`"${item}": a step needs a range before "/"; write "*${item}"`, 0, 1];
  }
  if (ch === "@" && from === 0) {
    return [`"${item}": an @ keyword replaces all five fields; write it alone (e.g. "@daily")`, 0, item.length];
  }
  return [`"${item}": unexpected "${ch}"; write a ${spec.label} (${allowedRange(spec)}), "*", a range "A-B", ` +
    `a step "*/S" or "A-B/S", or a comma list of these`, from, 1];
}

function checkBounds(word: Word, spec: CronFieldSpec, report: Report): void {
  const value = word.value;
  if (value === undefined || (value >= spec.low && value <= spec.high)) return;
  let hint = "";
  if (spec.key === "minutes" && value === 60) hint = " (minute 60 is minute 0 of the next hour)";
  if (spec.key === "hours" && value === 24) hint = " (midnight is hour 0)";
  if (value === 0 && spec.low === 1) hint = ` (the ${spec.label} field counts from 1)`;
  // atoi() keeps the low 32 bits: 4294967296 silently reads as minute 0.
  const wrapped = isDigits(word.text) && word.text.length <= MAX_WORD ? cAtoi(word.text) : undefined;
  if (wrapped !== undefined && wrapped !== value && wrapped >= spec.low && wrapped <= spec.high) {
    hint = ` (cron's int would silently read it as ${wrapped})`;
  }
  report(`"${word.text}" is out of range for the ${spec.label} field; write a value in ${allowedRange(spec)}${hint}`,
    word.at, word.text.length);
}

/** Text after a complete item, which get_list()'s Skip_Nonblanks() would silently drop. */
function reportJunk(item: string, pos: number, report: Report): void {
  const valid = item.slice(0, pos);
  const junk = item.slice(pos);
  const ch = junk[0] ?? "";
  const silently = `cron would silently ignore "${junk}" and read "${valid}"`;
  if (ch === "?") {
    report(`"${item}": "?" is Quartz syntax that cron does not have; ${silently}; write "${valid}"`, pos, junk.length);
    return;
  }
  const foreign = explainForeignChar(ch, item) ?? explainForeignWord(junk);
  if (foreign !== undefined) {
    report(`${foreign} (${silently})`, pos, junk.length);
    return;
  }
  report(`"${item}": unexpected "${junk}" after "${valid}": ${silently}; write "${valid}"` +
    (ch === "-" || ch === "/" ? ` or a single range such as "A-B/S"` : ""), pos, junk.length);
}

/** A reversed range: suggest the swapped range and the wrap-around list. */
function reversedMessage(text: string, low: Word, high: Word, spec: CronFieldSpec): string {
  const head = `"${text}" is a reversed range: cron does not wrap around and matches nothing`;
  const named = !isDigits(low.text) && !isDigits(high.text);
  if (spec.key === "daysOfWeek" && high.value === 0) {
    return `${head}; write "${low.text}-7" (7 is also Sunday)`;
  }
  const last = named ? spec.names[spec.names.length - 1] ?? "" : String(spec.key === "daysOfWeek" ? 7 : spec.high);
  const first = named ? spec.names[0] ?? "" : String(spec.key === "daysOfWeek" ? 1 : spec.low);
  const wrap = `${span(low.text, last)},${span(first, high.text)}`;
  return `${head}; write "${high.text}-${low.text}", or "${wrap}" to wrap around`;
}

function span(a: string, b: string): string {
  return a.toLowerCase() === b.toLowerCase() ? a : `${a}-${b}`;
}
