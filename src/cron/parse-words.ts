/**
 * Explanations for the words and characters Debian's cron does not understand.
 *
 * cron's get_number() (entry.c) collects a run of isalnum() characters and accepts it
 * only if it is all digits or, in the month and day-of-week fields, a three-letter name
 * (strcasecmp against MonthNames / DowNames). Everything else makes the line "bad".
 * These helpers turn such a word into a message that says what is wrong and what to
 * write instead, recognising the syntax people bring from Quartz, Jenkins and Go cron.
 */
import { allowedRange, monthLongNames, monthNames, weekdayLongNames, weekdayNames, type CronFieldSpec } from "./fields.js";

/** A run of ASCII letters and digits, as get_number() collects it (C locale isalnum). */
export function readWord(text: string, from: number): string {
  let end = from;
  while (end < text.length && isAlnum(text.charCodeAt(end))) end += 1;
  return text.slice(from, end);
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** True when the word is only ASCII digits. */
export function isDigits(word: string): boolean {
  return /^[0-9]+$/.test(word);
}

/**
 * Messages for Quartz / Jenkins letters (`L`, `W`, `LW`, `5L`, `15W`, `H`), which are
 * alphanumeric and so reach get_number(), where they fail. Undefined for other words.
 */
export function explainForeignWord(word: string): string | undefined {
  const upper = word.toUpperCase();
  if (/^[0-9]+L$/.test(upper)) {
    // Quartz's day-of-week "5L": the last Friday of the month.
    return `"${word}": "L" after a weekday (the last one of the month) is Quartz syntax that cron does not have; ` +
      `write the weekday, e.g. "${upper.slice(0, -1)}", and test for the last week in the script ` +
      `([ "$(date -d '+7 days' +%d)" -le 7 ] || exit 0)`;
  }
  if (upper === "L" || upper === "LW") {
    return `"${word}": "L" (last day / last weekday) is Quartz syntax that cron does not have; ` +
      `write the candidate days, e.g. "28-31", and test for the last one in the script ` +
      `([ "$(date -d tomorrow +%d)" = 01 ] || exit 0)`;
  }
  if (/^[0-9]+W$/.test(upper)) {
    return `"${word}": "W" (nearest weekday) is Quartz syntax that cron does not have; ` +
      `write plain days of the month, e.g. "${upper.slice(0, -1)}", and move to a weekday in the script`;
  }
  if (upper === "W") {
    return `"${word}": "W" (nearest weekday) is Quartz syntax that cron does not have; write plain days of the month`;
  }
  if (upper === "H") {
    return `"${word}": "H" (hashed value) is Jenkins syntax that cron does not have; write a fixed value, e.g. "17"`;
  }
  return undefined;
}

/** Message for `?` or `#` where a value should start. */
export function explainForeignChar(ch: string, item: string): string | undefined {
  if (ch === "?") {
    return `"${item}": "?" ("no specific value") is Quartz syntax that cron does not have; write "*"`;
  }
  if (ch === "#") {
    return `"${item}": "#" (nth weekday of the month) is Quartz syntax that cron does not have; ` +
      `write the weekday and test the week in the script (days 1-7 of the month are the first week)`;
  }
  return undefined;
}

/** Why a word is not a valid value of the field, and what to write instead. */
export function explainBadValue(word: string, spec: CronFieldSpec): string {
  const foreign = explainForeignWord(word);
  if (foreign !== undefined) return foreign;
  const lower = word.toLowerCase();
  const hasNames = spec.names.length > 0;

  if (hasNames && /^[a-z]{4,}$/.test(lower)) {
    const short = spec.names.find((name, i) => {
      const long = (spec.longNames[i] ?? "").toLowerCase();
      return lower.startsWith(name) && long.startsWith(lower);
    });
    if (short !== undefined) return `"${word}": names are three letters; write "${short}"`;
  }

  const monthIndex = nameIndex(lower, monthNames, monthLongNames);
  const weekdayIndex = nameIndex(lower, weekdayNames, weekdayLongNames);
  if (!hasNames && (monthIndex >= 0 || weekdayIndex >= 0)) {
    return `"${word}": names are allowed only in the month and day-of-week fields; ` +
      `write a number, ${allowedRange(spec)} in the ${spec.label} field`;
  }
  if (spec.key === "daysOfWeek" && monthIndex >= 0) {
    return `"${word}" is a month name in the day-of-week field; write a weekday, ${allowedRange(spec)}`;
  }
  if (spec.key === "months" && weekdayIndex >= 0) {
    return `"${word}" is a weekday name in the month field; write a month, ${allowedRange(spec)}`;
  }
  if (/^[0-9]+[a-z]+$/.test(lower)) {
    return `"${word}" is not a number: cron has no units, suffixes or am/pm; ` +
      `write a plain ${spec.label}, ${allowedRange(spec)}`;
  }
  return `"${word}" is not a valid ${spec.label}; write ${hasNames ? "a number or a three-letter name" : "a number"}, ` +
    `${allowedRange(spec)}`;
}

/** Index of a three-letter or full name (lower case), or -1. */
function nameIndex(lower: string, short: readonly string[], long: readonly string[]): number {
  const i = short.indexOf(lower);
  if (i >= 0) return i;
  return long.findIndex((name) => name.toLowerCase() === lower);
}

/** Why a word after `/` is not a step. */
export function explainBadStep(word: string, base: string): string {
  const lower = word.toLowerCase();
  if (nameIndex(lower, monthNames, monthLongNames) >= 0 || nameIndex(lower, weekdayNames, weekdayLongNames) >= 0) {
    return `"${base}/${word}": names cannot be steps (a step counts values); write a number, e.g. "${base}/2"`;
  }
  return `"${base}/${word}": a step is a whole number of at least 1; write e.g. "${base}/2"`;
}
