/**
 * What a `cronmeta check` rule is: the same metadata and documentation as a lint rule
 * (src/lint/rule.ts), and a check over one crontab file as Debian's cron reads it.
 */
import type { RuleMeta } from "../lint/rule.js";
import type { CrontabPlace, CrontabType } from "./crontab-kind.js";
import type { CrontabText } from "./crontab-lines.js";
import type { JobFacts } from "./job-facts.js";

/** What database.c looks at before it reads a file (only for files where cron reads them). */
export interface FileFacts {
  /** The path itself is a symbolic link; `linkOwner` is its owner. */
  symlink: boolean;
  linkOwner: number;
  /** The file the path leads to; undefined when it cannot be opened (e.g. a broken link). */
  target?: { uid: number; mode: number; isFile: boolean; nlink: number };
  /** Why the target could not be opened. */
  openError?: string;
}

/** A user of this host, as getpwnam() finds it. */
export interface PasswdEntry {
  name: string;
  uid: number;
}

/** One file, read and analysed. */
export interface CheckedFile {
  type: CrontabType;
  place: CrontabPlace;
  /** Its name in /etc/cron.d, when known (crontab-kind.ts). */
  cronDName?: string;
  /** Its base name (a user crontab in the spool is named after its user). */
  baseName: string;
  text: CrontabText;
  /** The job lines, analysed once for every rule. */
  jobs: JobFacts[];
  /** Set when `place` is not "elsewhere". */
  facts?: FileFacts;
  /** getpwnam() on this host; undefined: no such user. */
  user(name: string): PasswdEntry | undefined;
}

/** A problem as a check rule reports it; the engine adds file, rule id and severity. */
export interface CheckReport {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
}

/** A check rule. */
export interface CheckRule {
  meta: RuleMeta;
  check(file: CheckedFile, report: (problem: CheckReport) => void): void;
}

/** A report spanning `length` characters from 0-based `offset` of a line. */
export function atOffset(line: number, offset: number, length: number, message: string): CheckReport {
  return { line, column: offset + 1, endLine: line, endColumn: offset + 1 + Math.max(1, length), message };
}

/** What cron does with the whole file after such a problem, for messages. */
export const IGNORES_FILE = "Debian's cron ignores the whole file";
