/**
 * Reads the text of a crontab the way Debian's cron 3.0pl1 reads it (user.c load_user(),
 * misc.c skip_comments(), env.c load_env(), entry.c load_entry()), into entries with
 * positions, without judging them (the check rules do).
 *
 * Why hand-written: every verdict must be cron's to the letter, and the loop is small:
 * - a line whose first character that is not a blank or tab is `#`, or that holds only
 *   blanks and tabs, is skipped (a lone carriage return is neither: it is a job line);
 * - any other line is an environment setting when load_env() takes it for one (the one
 *   reading of that is src/cron/env-line.ts), otherwise a job line: an `@` keyword or five
 *   time fields, separated by blanks and tabs; in a cron.d file a user name (up to the next
 *   blank or tab); then the command, everything up to the newline. In a cron.d file the
 *   command starts right after the one blank that ends the user name, in a user crontab at
 *   its first character that is not a blank;
 * - a line that is not followed by a newline is not read at all, and then the whole file is
 *   ignored ("Missing newline before EOF"), unless it is a comment or blank line.
 */
import { readEnvLine, type EnvSetting } from "../cron/env-line.js";
import type { CrontabType } from "./crontab-kind.js";

/** A blank-separated word of a line, with its 0-based offset in the line. */
export interface Word {
  text: string;
  offset: number;
}

/** One line of the file that cron does not skip. */
interface EntryBase {
  /** 1-based line number. */
  line: number;
  /** The line without its newline. */
  text: string;
  /** 0-based offset of the first character that is not a blank or tab. */
  start: number;
}

/** A line load_env() takes for a setting. */
export interface EnvEntry extends EntryBase {
  kind: "env";
  setting: EnvSetting;
}

/** A line cron reads as a job (whether or not load_entry() then accepts it). */
export interface JobEntry extends EntryBase {
  kind: "job";
  /** The words of the line from `start` on. */
  words: Word[];
  /** How many of `words` are time fields (1 for an `@` keyword, else up to 5). */
  timeWords: number;
  /** The user field (cron.d only), when the line has one. */
  user?: Word;
  /** The command as cron reads it (offset in the line), when the line has one. */
  command?: Word;
}

export type CrontabEntry = EnvEntry | JobEntry;

/** The file as cron reads it. */
export interface CrontabText {
  entries: CrontabEntry[];
  /** Lines in the file (a last line without newline counts). */
  lineCount: number;
  /** The 1-based line that has content but no newline after it (cron then ignores the file). */
  unterminatedLine?: number;
}

/** skip_comments(): blank lines and comment lines. */
export function isSkipped(line: string): boolean {
  const rest = line.replace(/^[ \t]+/, "");
  return rest === "" || rest.startsWith("#");
}

/** The blank-separated words of `text` from `from` on (cron's Skip_Blanks/Skip_Nonblanks). */
function wordsOf(text: string, from: number): Word[] {
  const words: Word[] = [];
  for (const m of text.slice(from).matchAll(/[^ \t]+/g)) words.push({ text: m[0], offset: from + (m.index ?? 0) });
  return words;
}

function jobEntry(line: number, text: string, start: number, type: CrontabType): JobEntry {
  const words = wordsOf(text, start);
  const first = words[0];
  const timeWords = first?.text.startsWith("@") ? 1 : Math.min(5, words.length);
  const entry: JobEntry = { kind: "job", line, text, start, words, timeWords };
  const next = words[timeWords];
  if (next === undefined) return entry;
  if (type === "cron.d") {
    entry.user = next;
    // get_string(username, …, " \t") stops at the blank and consumes it; the command is the rest.
    const commandAt = next.offset + next.text.length + 1;
    if (commandAt <= text.length) entry.command = { text: text.slice(commandAt), offset: commandAt };
  } else {
    entry.command = { text: text.slice(next.offset), offset: next.offset };
  }
  return entry;
}

/** Reads a crontab's text into its settings and job lines. */
export function readCrontabText(text: string, type: CrontabType): CrontabText {
  const lines = text.split("\n");
  const terminated = lines.pop() ?? "";
  // After the split, the last piece is what follows the last newline: a line without one.
  const all = terminated === "" ? lines : [...lines, terminated];
  const result: CrontabText = { entries: [], lineCount: all.length };
  all.forEach((raw, index) => {
    const line = index + 1;
    if (isSkipped(raw)) return;
    if (index === lines.length) {
      // get_string() hits EOF before a newline: load_env() returns ERR with content.
      result.unterminatedLine = line;
    }
    const start = raw.length - raw.replace(/^[ \t]+/, "").length;
    const setting = readEnvLine(raw.slice(start));
    if (setting !== undefined) result.entries.push({ kind: "env", line, text: raw, start, setting });
    else result.entries.push(jobEntry(line, raw, start, type));
  });
  return result;
}
