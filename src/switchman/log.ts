/**
 * switchman's log (SPEC 8.5): `YYYY-MM-DD HH:MM:SS<TAB>[<pid>]<TAB><level><TAB><message>` lines
 * appended to `logfile`, in local time like App::switchman (strftime of localtime), so both can
 * share a log during a migration. Warnings and criticals also go to stderr, so cron mails them.
 *
 * A log file that cannot be opened or written never stops the job. Jobs run as many users
 * while the log file is usually root's, so this is an everyday case, not an accident: one line
 * on stderr names the file, the user and the fix, and the lines go to syslog instead (facility
 * cron, tag `switchman[<pid>]`), through util-linux logger(1) since Node cannot write to the
 * datagram socket /dev/log. Where syslog is unavailable too, they go to stderr.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { escapeControlCharacters } from "../syntax/control.js";
import { LOG_LEVELS, type LogLevel } from "./config.js";
import { describeUser, userName } from "./job-user.js";

/** Delivers one message to syslog; resolves true once delivered, false when it could not be. */
export type SyslogSink = (level: LogLevel, message: string) => Promise<boolean>;

/** Where a module that is handed a logger sends its lines (Logger.log, or a test's collector). */
export type LogFunction = (level: LogLevel, message: string) => void;

/** syslog priorities of switchman's levels (facility cron, like cron's own lines). */
const PRIORITY: Record<LogLevel, string> = { debug: "debug", info: "info", warning: "warning", critical: "crit" };

/** How long a finishing switchman waits for syslog deliveries still under way. */
export const SYSLOG_FLUSH_MS = 2000;

/** A syslog sink that runs `logger --id=<pid> -t switchman -p cron.<prio> -- MESSAGE`. */
export function loggerSyslog(pid: number, env: Record<string, string | undefined> = process.env): SyslogSink {
  // node:child_process is loaded only when a line goes to syslog: most starts never need it.
  return async (level, message) => {
    const { spawn } = await import("node:child_process");
    return new Promise((resolve) => {
      try {
        // --socket-errors=on: exit 1 when /dev/log is missing (its default is to stay silent).
        const child = spawn("logger", ["--socket-errors=on", "--size", "8192", `--id=${pid}`, "-t", "switchman", "-p", `cron.${PRIORITY[level]}`, "--", message], {
          stdio: "ignore",
          env: { PATH: env.PATH ?? "/usr/bin:/bin" },
          timeout: SYSLOG_FLUSH_MS,
          killSignal: "SIGKILL",
        });
        child.on("error", () => resolve(false));
        child.on("close", (code) => resolve(code === 0));
      } catch {
        resolve(false);
      }
    });
  };
}

/** What to change so that this user can use `file`, by errno. */
function logFileFix(file: string, code: string | undefined): string {
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return `make it writable by ${userName()} (for example through a group it shares, mode 0664) or point "logfile" at a file it can write`;
  }
  if (code === "ENOENT") return "create its directory";
  if (code === "EISDIR") return 'point "logfile" at a file, not a directory';
  return 'fix it or point "logfile" elsewhere';
}

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
  /** Where lines go when the file cannot be used; default: syslog through logger(1). */
  syslog?: SyslogSink;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS` in the local time zone (TZ applies). */
export function formatTimestamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** The log: file (filtered by level) plus stderr for warning and critical; syslog when the file fails. */
export class Logger {
  private fd: number | undefined;
  private readonly threshold: number;
  /** Set once the configured file cannot be used: lines go to syslog instead. */
  private toSyslog = false;
  private syslogFailed = false;
  /** syslog deliveries, one after the other so that START stays before FINISH. */
  private chain: Promise<void> = Promise.resolve();
  private pendingDeliveries = 0;

  constructor(private readonly options: LoggerOptions) {
    this.threshold = LOG_LEVELS.indexOf(options.level);
    if (options.file !== undefined) {
      try {
        // "a" is O_APPEND: concurrent switchman processes never overwrite each other's lines.
        this.fd = openSync(options.file, "a", 0o644);
      } catch (error) {
        this.trouble("open", error);
      }
    }
  }

  /** Writes one line at `level`. Never throws. */
  log(level: LogLevel, message: string): void {
    const text = escapeControlCharacters(message); // one log line stays one line
    const toStderr = level === "warning" || level === "critical";
    if (toStderr) this.options.stderr(`switchman: ${level}: ${text}\n`);
    if (LOG_LEVELS.indexOf(level) < this.threshold) return;
    if (this.fd !== undefined) {
      const now = (this.options.now ?? (() => new Date()))();
      const line = `${formatTimestamp(now)}\t[${this.options.pid}]\t${level}\t${text}\n`;
      try {
        writeSync(this.fd, line);
        return;
      } catch (error) {
        this.trouble("write", error);
        this.close();
      }
    }
    if (this.toSyslog) this.sendToSyslog(level, text, toStderr);
  }

  /** Waits (at most SYSLOG_FLUSH_MS) for syslog deliveries under way, so none is lost at exit. */
  async flush(): Promise<void> {
    if (this.pendingDeliveries === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SYSLOG_FLUSH_MS);
    });
    await Promise.race([this.chain, limit]);
    clearTimeout(timer);
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

  /** One line on stderr (cron mails it) naming the file, the user and the fix; then syslog. */
  private trouble(what: "open" | "write", error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    const file = this.options.file ?? "";
    this.options.stderr(
      `switchman: cannot ${what} log file ${file} as ${describeUser()}: ${(error as Error).message}; ` +
        `the job runs and its log lines go to syslog (facility cron) instead; to log to the file, ${logFileFix(file, code)}\n`,
    );
    this.toSyslog = true;
  }

  /** Sends a line to syslog; one that syslog cannot take goes to stderr (unless it went there already). */
  private sendToSyslog(level: LogLevel, text: string, onStderrAlready: boolean): void {
    const sink = this.options.syslog ?? (this.options.syslog = loggerSyslog(this.options.pid));
    this.pendingDeliveries++;
    this.chain = this.chain
      .then(() => (this.syslogFailed ? false : sink(level, text)))
      .catch(() => false)
      .then((delivered) => {
        this.pendingDeliveries--;
        if (delivered) return;
        if (!this.syslogFailed) {
          this.syslogFailed = true;
          this.options.stderr("switchman: syslog is unavailable too (logger(1) failed): log lines go to stderr\n");
        }
        if (!onStderrAlready) this.options.stderr(`switchman: ${level}: ${text}\n`);
      });
  }
}
