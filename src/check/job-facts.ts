/**
 * One job line of a crontab, analysed once for all check rules: its time (parsed with the
 * grammar lint uses, src/cron/parse.ts), its user and its command as cron runs it.
 */
import { parseCronTime } from "../cron/parse.js";
import { unescapeCronCommand } from "../jobs/command.js";
import type { CronTimeResult } from "../types.js";
import type { CrontabType } from "./crontab-kind.js";
import type { JobEntry, Word } from "./crontab-lines.js";

/**
 * What a line that is no setting was meant to be, for messages (cron reads all of them as jobs):
 * a job (it starts like a time), a setting cron does not take for one, a blank line holding a
 * carriage return, or anything else.
 */
export type LineShape = "job" | "env" | "carriage-return" | "other";

/** A job line and what cron makes of it. */
export interface JobFacts {
  entry: JobEntry;
  shape: LineShape;
  /** The time as written: its words, from the first to the last time field (offset in the line). */
  time: Word;
  /**
   * Time-like words after the five fields that were taken into the time (a seconds or year
   * field written as in other crons), so that the time parser explains them.
   */
  extraFields: number;
  parsed: CronTimeResult;
  /** The user field (cron.d) when it is not an extra time field. */
  user?: Word;
  /** The command as written and as cron runs it (`%` ends it, `\%` is a `%`). */
  command?: Word & { runs: string; stdinAt?: number };
}

/** A word that reads as a cron time field rather than a user name or a command. */
const TIME_LIKE = /^(\*|\?|[0-9])[0-9A-Za-z*?/,#-]*$/;

/** The shape of a line that load_env() did not take for a setting. */
export function lineShape(entry: JobEntry): LineShape {
  const rest = entry.text.slice(entry.start);
  if (/^[ \t\r]*$/.test(rest)) return "carriage-return";
  const [first, second] = entry.words;
  if (first === undefined) return "other";
  if (first.text.includes("=") || second?.text.startsWith("=") === true) return "env";
  // `MAIL TO=ops`: a setting with a broken name, not a job (a job starts with a time).
  const eq = rest.indexOf("=");
  const name = rest.slice(0, Math.max(0, eq));
  if (eq > 0 && !/^[0-9*@]/.test(name) && !/[/$`;|&<>()]/.test(name) && name.trim().split(/[ \t]+/).length <= 3) return "env";
  // Quartz and Jenkins letters (L, W, H) start a time too; the time parser explains them.
  if (/^[0-9*@?/,-]/.test(first.text) || (/^[A-Za-z]{1,3}$/.test(first.text) && entry.words.length >= 6)) return "job";
  return "other";
}

/** Analyses a job line. */
export function jobFacts(entry: JobEntry, type: CrontabType): JobFacts {
  const { words, timeWords } = entry;
  let extraFields = 0;
  if (timeWords === 5) {
    // `0 */5 * * * * root cmd` (seconds) or `0 0 1 1 * 2030 cmd` (year): at most two more.
    while (extraFields < 2 && TIME_LIKE.test(words[5 + extraFields]?.text ?? "")) extraFields += 1;
    // In a cron.d file the word after them must still be there as the user.
    if (type === "cron.d" && words[5 + extraFields] === undefined) extraFields = Math.max(0, extraFields - 1);
  }
  const first = words[0];
  const last = words[timeWords + extraFields - 1];
  const time: Word =
    first === undefined || last === undefined
      ? { text: "", offset: entry.start }
      : { text: entry.text.slice(first.offset, last.offset + last.text.length), offset: first.offset };
  const facts: JobFacts = { entry, shape: lineShape(entry), time, extraFields, parsed: parseCronTime(time.text) };
  if (extraFields === 0) {
    if (entry.user !== undefined) facts.user = entry.user;
    if (entry.command !== undefined) facts.command = commandOf(entry.command);
    return facts;
  }
  // The fields after the extra ones, re-read with the extra ones counted as time.
  const after = words[timeWords + extraFields];
  if (after === undefined) return facts;
  if (type === "cron.d") {
    facts.user = after;
    const at = after.offset + after.text.length + 1;
    if (at <= entry.text.length) facts.command = commandOf({ text: entry.text.slice(at), offset: at });
  } else {
    facts.command = commandOf({ text: entry.text.slice(after.offset), offset: after.offset });
  }
  return facts;
}

function commandOf(word: Word): NonNullable<JobFacts["command"]> {
  const { command, stdinAt } = unescapeCronCommand(word.text);
  return stdinAt === undefined ? { ...word, runs: command } : { ...word, runs: command, stdinAt };
}
