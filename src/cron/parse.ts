/**
 * The time part of a Debian cron line, parsed the way Debian's cron does it.
 *
 * Why hand-written: every npm cron library differs from Debian's cron 3.0pl1 (Vixie cron
 * with Debian's patches). Some accept seconds/years, `L W ? # H` or `1/20` (Debian
 * rejects these), some reject `7` for Sunday or names in ranges (Debian accepts them),
 * and most compute day matching with POSIX's rules instead of cron's DOM_STAR/DOW_STAR
 * rule. The reference is Debian's entry.c (load_entry, get_list, get_range, get_number)
 * and cron.c (find_jobs); the verdicts are cross-checked against `crontab -n` in the
 * tests. Where cron silently reads something surprising (trailing junk, reversed ranges)
 * this parser reports an error instead (SPEC section 3). Grammar: docs/time-grammar.md.
 */
import type { CronTime, CronTimeProblem, CronTimeResult } from "../types.js";
import { CRON_FIELDS } from "./fields.js";
import { parseField, type StepItem } from "./parse-field.js";
import { explainBadKeyword, isCronKeyword, keywordTime } from "./parse-keyword.js";
import { dayOrWarning, neverWarning, onceWarnings, rebootWarning, type FieldSpan } from "./parse-warnings.js";
import { readPhrase } from "./parse-phrases.js";
import { explainForeignChar, explainForeignWord } from "./parse-words.js";

const FIVE_FIELDS = "cron has five fields: minute hour day-of-month month day-of-week";

/**
 * Parses a `time:` value (five fields or an `@` keyword). Never throws.
 * Every problem's offset/length index into `text`; `time` is set iff no problem is an error.
 */
export function parseCronTime(text: string): CronTimeResult {
  const fields = splitFields(text);
  const first = fields[0];
  if (first === undefined) {
    const message = `the time is empty; ${FIVE_FIELDS}: write them, e.g. "0 3 * * *", or an @ keyword`;
    return { problems: [invalid(message, 0, text.length)] };
  }
  // `0 3 * * *   # nightly`: a `#` word (not Quartz's `fri#2` or `#2`) starts a comment.
  const comment = fields.findIndex((f) => /^#(?![0-9])/.test(f.text));
  if (comment >= 0) return trailingComment(text, fields, comment);
  const phrase = readPhrase(text);
  if (phrase !== undefined) {
    const fix = phrase.time !== undefined && isValid(phrase.time) ? `write "${phrase.time}"` : `write five fields (${phrase.why ?? "see docs/time-grammar.md"})`;
    return { problems: [invalid(`"${phrase.phrase}" is English, not a cron time; ${FIVE_FIELDS}: ${fix}`, first.offset, text.trimEnd().length - first.offset)] };
  }
  if (first.text.startsWith("@")) return parseKeyword(text, fields);
  if (fields.length !== 5) return { problems: fieldCountProblems(text, fields).sort((a, b) => a.offset - b.offset) };
  return parseFiveFields(fields);
}

/** True when `text` is a time without errors (every suggestion is checked with it). */
function isValid(text: string): boolean {
  return !parseCronTime(text).problems.some((p) => p.severity === "error");
}

/**
 * A comment after the time. cron has no trailing comments: in a crontab line everything after
 * the time is the user and the command, so the comment would become part of them.
 */
function trailingComment(text: string, fields: FieldSpan[], index: number): CronTimeResult {
  const at = fields[index]?.offset ?? 0;
  const written = text.slice(at).trimEnd();
  const before = text.slice(0, at);
  const rest = before.trim() === "" ? undefined : parseCronTime(before);
  const fix =
    rest === undefined
      ? "; write the time itself"
      : rest.time !== undefined
        ? `; write "${rest.time.text}"`
        : "";
  const problem = invalid(
    `"${written}": cron has no trailing comments (in a crontab line everything after the time is the user and the command): ` +
      `put the comment on a line of its own (a # line in the section)${fix}`,
    at,
    written.length,
  );
  return { problems: [problem, ...(rest?.problems.filter((p) => p.severity === "error") ?? [])].sort((a, b) => a.offset - b.offset) };
}

/** Fields are separated by blanks and tabs (cron's Skip_Blanks). */
function splitFields(text: string): FieldSpan[] {
  const fields: FieldSpan[] = [];
  for (const m of text.matchAll(/[^ \t]+/g)) fields.push({ text: m[0], offset: m.index ?? 0 });
  return fields;
}

function invalid(message: string, offset: number, length: number): CronTimeProblem {
  return { severity: "error", rule: "cron-time-invalid", message, offset, length };
}

function parseKeyword(text: string, fields: FieldSpan[]): CronTimeResult {
  const [word, ...rest] = fields;
  if (word === undefined) return { problems: [] };
  const after = rest[0];
  const end = text.replace(/[ \t]+$/, "").length;
  const restText = after === undefined ? "" : text.slice(after.offset, end);
  const problems: CronTimeProblem[] = [];
  if (word.text === "@" && after !== undefined && isCronKeyword(`@${after.text.toLowerCase()}`)) {
    const fix = `@${after.text.toLowerCase()}`;
    const written = text.slice(word.offset, end);
    return { problems: [invalid(`"${written}": no blank may follow "@"; write "${fix}"`, word.offset, written.length)] };
  }
  if (!isCronKeyword(word.text)) {
    const every = word.text.toLowerCase() === "@every";
    // For @every the argument belongs to the mistake: point at both.
    const length = every && after !== undefined ? end - word.offset : word.text.length;
    problems.push(invalid(explainBadKeyword(word.text, restText), word.offset, length));
    if (every) return { problems };
  }
  if (after !== undefined) {
    // In a crontab, whatever follows the keyword is the user and command; here it can
    // only be a mistake (e.g. "@daily 3" meaning 03:00).
    const lower = word.text.toLowerCase();
    const keyword = isCronKeyword(lower) ? `"${lower}"` : "the keyword";
    problems.push(invalid(`"${restText}": nothing may follow an @ keyword; write ${keyword} alone, ` +
      `or five fields (e.g. "0 3 * * *" for 03:00 every day)`, after.offset, end - after.offset));
  }
  if (problems.length > 0 || !isCronKeyword(word.text)) return { problems };
  const time = keywordTime(word.text);
  return { time, problems: time.reboot ? [rebootWarning(word.offset, word.text.length)] : [] };
}

/** Seconds (`0 *\/5 * * * *`), years (`0 0 1 1 * 2030`), Quartz's both, or too few fields. */
function fieldCountProblems(text: string, fields: FieldSpan[]): CronTimeProblem[] {
  const n = fields.length;
  const problems: CronTimeProblem[] = [];
  const firstField = fields[0];
  const lastField = fields[n - 1];
  if (firstField === undefined || lastField === undefined) return problems;
  const join = (list: FieldSpan[]): string => list.map((f) => f.text).join(" ");
  if (n < 5) {
    const start = firstField.offset;
    // A suggestion only when the padded time is one (`every 5 minutes * *` is none).
    const padded = `${join(fields)}${" *".repeat(5 - n)}`;
    problems.push(invalid(`${FIVE_FIELDS}; this time has ${n}: add the missing ` +
      `field${n === 4 ? "" : "s"}${isValid(padded) ? `, e.g. "${padded}"` : ""}`, start,
    lastField.offset + lastField.text.length - start));
  } else if (n === 6 && looksLikeYear(lastField.text)) {
    const five = join(fields.slice(0, 5));
    problems.push(invalid(`"${lastField.text}" looks like a year field; ${FIVE_FIELDS}, no year: ` +
      `${isValid(five) ? `write "${five}"` : "remove it"} and test the year in the script`, lastField.offset, lastField.text.length));
  } else if (n === 6) {
    problems.push(invalid(sixFieldsMessage(fields), firstField.offset, firstField.text.length));
  } else if (n === 7) {
    const five = join(fields.slice(1, 6));
    problems.push(invalid(`"${firstField.text}" looks like a seconds field; ${FIVE_FIELDS}, no seconds ` +
      `(cron runs jobs on the minute): ${isValid(five) ? `write "${five}"` : "remove it"}`, firstField.offset, firstField.text.length));
    problems.push(invalid(`"${lastField.text}" looks like a year field; ${FIVE_FIELDS}, no year: remove it (write ` +
      `the five fields only) and test the year in the script`, lastField.offset, lastField.text.length));
  } else {
    const sixth = fields[5] ?? lastField;
    problems.push(invalid(`${FIVE_FIELDS}; this time has ${n}: remove "${text.slice(sixth.offset).trim()}"`,
      sixth.offset, lastField.offset + lastField.text.length - sixth.offset));
  }
  for (const field of fields) problems.push(...foreignSyntax(field));
  return problems;
}

/**
 * Six fields: a seconds field first (Quartz, Spring: `0 *\/5 * * * *`) or one field too many at
 * the end (`*\/5 * * * * *`, meant as every five minutes). Each reading is offered only when it
 * gives a valid time; dropping a first field that is not a plain number (`*\/5`) would change how
 * often the job runs, so that reading needs a last field other than `*`.
 */
function sixFieldsMessage(fields: FieldSpan[]): string {
  const join = (list: FieldSpan[]): string => list.map((f) => f.text).join(" ");
  const first = fields[0]?.text ?? "";
  const last = fields[5]?.text ?? "";
  const seconds = join(fields.slice(1, 6));
  const trailing = join(fields.slice(0, 5));
  const plainSeconds = /^[0-9]+$/.test(first);
  const options: string[] = [];
  if (last === "*" && isValid(trailing) && !plainSeconds) options.push(`"${trailing}" (the last "*" is one field too many)`);
  if (isValid(seconds) && (plainSeconds || last !== "*")) options.push(`"${seconds}" if "${first}" is a seconds field (as in Quartz or Spring)`);
  if (last === "*" && isValid(trailing) && plainSeconds) options.push(`"${trailing}" if the last "*" is one field too many`);
  const head = `"${first}" looks like a seconds field${last === "*" ? `, or the last "*" like one field too many` : ""}; ${FIVE_FIELDS}, no seconds (cron runs jobs on the minute)`;
  if (options.length === 0) return `${head}: remove ${plainSeconds ? `"${first}" if it is a seconds field` : "the extra field"} and fix the other fields`;
  return `${head}: write ${options.join(", or ")}`;
}

function looksLikeYear(field: string): boolean {
  return /^[0-9]{4}([-,/][0-9]{1,4})*$/.test(field);
}

/** With the fields misaligned we cannot check ranges, but `? # L W H` are wrong anywhere. */
function foreignSyntax(field: FieldSpan): CronTimeProblem[] {
  const problems: CronTimeProblem[] = [];
  for (const m of field.text.matchAll(/[?#]|[A-Za-z0-9]+/g)) {
    const token = m[0];
    const at = field.offset + (m.index ?? 0);
    const message = token.length === 1 && (token === "?" || token === "#")
      ? explainForeignChar(token, field.text)
      : explainForeignWord(token);
    if (message !== undefined) problems.push(invalid(message, at, token.length));
  }
  return problems;
}

function parseFiveFields(fields: FieldSpan[]): CronTimeResult {
  const problems: CronTimeProblem[] = [];
  const values: number[][] = [];
  const stepItems: StepItem[][] = [];
  CRON_FIELDS.forEach((spec, i) => {
    const field = fields[i] ?? { text: "", offset: 0 };
    const parsed = parseField(field.text, field.offset, spec);
    for (const p of parsed.problems) problems.push(invalid(p.message, p.offset, p.length));
    values.push(parsed.values);
    stepItems.push(parsed.stepItems);
  });
  if (problems.length > 0) return { problems };

  const [, , dom, month, dow] = fields as [FieldSpan, FieldSpan, FieldSpan, FieldSpan, FieldSpan];
  const time: CronTime = {
    // Names in lower case: cron compares them with strcasecmp() under the system locale
    // (setlocale(LC_ALL, "")), and in tr_TR / az_AZ "I" does not fold to "i", so "FRI" is
    // a bad day-of-week on such hosts while "fri" is read everywhere. A valid time has no
    // other letters, and ASCII toLowerCase() does not depend on any locale.
    text: fields.map((f) => f.text).join(" ").toLowerCase(),
    reboot: false,
    minutes: values[0] ?? [],
    hours: values[1] ?? [],
    daysOfMonth: values[2] ?? [],
    months: values[3] ?? [],
    // entry.c: "make sundays equivalent" (bit 7 and bit 0 are both Sunday).
    daysOfWeek: [...new Set((values[4] ?? []).map((d) => (d === 7 ? 0 : d)))].sort((a, b) => a - b),
    domStar: dom.text.startsWith("*"),
    dowStar: dow.text.startsWith("*"),
  };
  const warnings: CronTimeProblem[] = [...onceWarnings(stepItems)];
  const never = neverWarning(time, dom, month);
  if (never !== undefined) warnings.push(never);
  const dayOr = dayOrWarning(time, dom, dow);
  if (dayOr !== undefined) warnings.push(dayOr);
  return { time, problems: warnings };
}
