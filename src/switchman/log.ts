/**
 * switchman's log (SPEC 8.5): `YYYY-MM-DD HH:MM:SS<TAB>[<pid>]<TAB><level><TAB><message>` lines
 * appended to `logfile`, in local time like App::switchman (strftime of localtime), so both can
 * share a log during a migration. Warnings and criticals also go to stderr, so cron mails them.
 * A log file that cannot be opened or written never stops the job: one line on stderr, then
 * switchman carries on without it.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { LOG_LEVELS, type LogLevel } from "./config.js";

/** Where the log goes. */
export interface LoggerOptions {
  /** Append-only log file; none: only stderr. */
  file?: string;
  /** Lowest level written to the file. */
  level: LogLevel;
  /** Written as `[<pid>]`: switchman's own pid. */
  pid: number;
  /** Receives warning and critical lines (and log file trouble). */
  stderr: (text: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS` in the local time zone (TZ applies). */
export function formatTimestamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** One log line stays one line: control characters are escaped. */
export function escapeMessage(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

/** The log: file (filtered by level) plus stderr for warning and critical. */
export class Logger {
  private fd: number | undefined;
  private readonly threshold: number;

  constructor(private readonly options: LoggerOptions) {
    this.threshold = LOG_LEVELS.indexOf(options.level);
    if (options.file !== undefined) {
      try {
        // "a" is O_APPEND: concurrent switchman processes never overwrite each other's lines.
        this.fd = openSync(options.file, "a", 0o644);
      } catch (error) {
        this.trouble(`cannot open log file ${options.file}: ${(error as Error).message}`);
      }
    }
  }

  /** Writes one line at `level`. Never throws. */
  log(level: LogLevel, message: string): void {
    const text = escapeMessage(message);
    if (level === "warning" || level === "critical") this.options.stderr(`switchman: ${level}: ${text}\n`);
    if (this.fd === undefined || LOG_LEVELS.indexOf(level) < this.threshold) return;
    const now = (this.options.now ?? (() => new Date()))();
    const line = `${formatTimestamp(now)}\t[${this.options.pid}]\t${level}\t${text}\n`;
    try {
      writeSync(this.fd, line);
    } catch (error) {
      this.trouble(`cannot write log file ${this.options.file ?? ""}: ${(error as Error).message}`);
      this.close();
    }
  }

  debug(message: string): void {
    this.log("debug", message);
  }

  info(message: string): void {
    this.log("info", message);
  }

  warning(message: string): void {
    this.log("warning", message);
  }

  critical(message: string): void {
    this.log("critical", message);
  }

  /** Closes the log file (idempotent). */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Nothing left to tell: the file is gone either way.
    }
  }

  private trouble(message: string): void {
    this.options.stderr(`switchman: ${message}; the job runs without the log file\n`);
  }
}
