/** The command part of a cron.d line (SPEC 4.3). */
import type { Config } from "../config/schema.js";
import type { Concurrency } from "../syntax/concurrency.js";

/** Debian's cron (crontab(5)): an unescaped `%` becomes a newline and `\` escapes; so `\` → `\\`, then `%` → `\%`. */
export function escapeForCron(command: string): string {
  return command.replace(/\\/g, "\\\\").replace(/%/g, "\\%");
}

/**
 * The command cron runs for the command part of a crontab line, as Debian's do_command.c
 * reads it: `\%` is a `%` and `\\` a `\` (any other backslash stays), and the first
 * unescaped `%` ends the command: what follows it is fed to the command on standard input.
 * The inverse of {@link escapeForCron}. `stdinAt` is the offset of that `%` in `text`.
 */
export function unescapeCronCommand(text: string): { command: string; stdinAt?: number } {
  let command = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\" && i + 1 < text.length && (text[i + 1] === "%" || text[i + 1] === "\\")) {
      command += text[i + 1];
      i += 1;
    } else if (ch === "%") {
      return { command, stdinAt: i };
    } else {
      command += ch;
    }
  }
  return { command };
}

/** What the command is made of. */
export interface CommandParts {
  scriptPath: string;
  params: string;
  group: string;
  lockname: string;
  lock: boolean;
  /** The job's package: passed as `--package` when it is not the group (switchman takes the group otherwise). */
  package?: string;
  /** METADATA `timeout` (src/syntax/duration.ts), passed as `--timeout`. */
  timeout?: string;
  /** METADATA `concurrency`: only `replace` adds an option (forbid is the default, allow is `lock: false`). */
  concurrency?: Concurrency;
  /** METADATA `lease`, valid leases without blanks (src/syntax/lease.ts formatLease), in the order to write. */
  leases?: readonly string[];
  /** METADATA `wait` (a duration), passed as `--wait`. */
  wait?: string;
}

/**
 * A lease as one shell word: cron runs the command with /bin/sh, where `*` would glob and `(`
 * `)` are syntax, so a lease holding one is single-quoted (a lease never holds `'`).
 */
export function leaseWord(lease: string): string {
  return /[^A-Za-z0-9._=:+/-]/.test(lease) ? `'${lease}'` : lease;
}

/** The unescaped shell command: guard, switchman wrapper, `--`, script and params. */
export function buildCommand(parts: CommandParts, config: Config): string {
  const words: string[] = [];
  if (config.guard) words.push(`[ -x ${parts.scriptPath} ] &&`);
  if (config.switchman !== false) {
    words.push(config.switchman.bin, "--config", config.switchman.config, "--group", parts.group);
    // The run records name a job by package and lock name. The group is the package unless
    // METADATA says otherwise, so --package is written only then: lines stay short and the same.
    if (parts.package !== undefined && parts.package !== parts.group) words.push("--package", parts.package);
    // Options in one fixed order, so that the same METADATA always gives the same line.
    if (parts.lock) words.push("--lockname", parts.lockname);
    else words.push("--no-lock");
    if (parts.lock && parts.concurrency === "replace") words.push("--concurrency", "replace");
    for (const lease of parts.leases ?? []) words.push("--lease", leaseWord(lease));
    if (parts.wait !== undefined) words.push("--wait", parts.wait);
    if (parts.timeout !== undefined) words.push("--timeout", parts.timeout);
    words.push("--");
  }
  words.push(parts.scriptPath);
  if (parts.params !== "") words.push(parts.params);
  return words.join(" ");
}

/** Cron's limit for the command part of a line (SPEC 4.3). */
export const MAX_COMMAND_LENGTH = 998;
