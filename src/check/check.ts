/**
 * `cronmeta check FILE…`: reads the given crontabs (and the files directly in given
 * directories), looks at what cron looks at before reading them, and checks them. The only
 * module of src/check/ that reads files or asks the system (getent passwd).
 */
import { spawnSync } from "node:child_process";
import { lstatSync, openSync, closeSync, fstatSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { compareDiagnostics } from "../lint/engine.js";
import type { Diagnostic } from "../types.js";
import { checkCrontab } from "./check-file.js";
import { type CrontabPlace, type CrontabType, cronDName, isLeftoverName, placeOf, typeFromPath } from "./crontab-kind.js";
import type { FileFacts, PasswdEntry } from "./rule.js";

/** Options of {@link checkFiles}. */
export interface CheckOptions {
  /** Directory relative arguments are resolved against (and shown relative to). */
  cwd: string;
  /** `--type`: the grammar of every file; default: from each path (crontab-kind.ts). */
  type?: CrontabType;
  /** `--installed`: apply cron's owner/mode checks wherever the files are. */
  installed?: boolean;
  config: Config;
}

/** What `check` found, in the shape the lint formatters take. */
export interface CheckResult {
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  jobCount: number;
  fileCount: number;
}

/** One file to check: where it is and how to show it. */
interface Target {
  path: string;
  display: string;
}

/** Files of the arguments: a file as given, a directory's files (not its subdirectories, as cron). */
function targets(args: readonly string[], cwd: string): Target[] {
  if (args.length === 0) throw new UsageError("check needs at least one FILE (a cron.d file, /etc/crontab or a user crontab) or directory");
  const out: Target[] = [];
  for (const arg of args) {
    const path = resolve(cwd, arg);
    let info;
    try {
      info = statSync(path);
    } catch (error) {
      // A dangling symbolic link is a file cron would fail to open: check it (crontab-file-mode).
      if (lstatOrUndefined(path)?.isSymbolicLink() === true) {
        out.push({ path, display: arg });
        continue;
      }
      throw new UsageError(`${arg}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message}`);
    }
    if (!info.isDirectory()) {
      out.push({ path, display: arg });
      continue;
    }
    const names = readdirSync(path).filter((n) => !isLeftoverName(n)).sort();
    for (const name of names) {
      const entry = join(path, name);
      const kind = lstatOrUndefined(entry);
      if (kind === undefined || kind.isDirectory()) continue;
      if (kind.isSymbolicLink() && statOrUndefined(entry)?.isDirectory() === true) continue;
      out.push({ path: entry, display: isAbsolute(arg) ? entry : relative(cwd, entry) || name });
    }
  }
  return out;
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** What database.c looks at: the link itself, then the file it opens. */
function fileFacts(path: string): FileFacts {
  const link = lstatSync(path);
  const facts: FileFacts = { symlink: link.isSymbolicLink(), linkOwner: link.uid };
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const info = fstatSync(fd);
    facts.target = { uid: info.uid, mode: info.mode, isFile: info.isFile(), nlink: info.nlink };
  } catch (error) {
    facts.openError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return facts;
}

/** getpwnam() as cron calls it: `getent passwd` goes through NSS (LDAP, systemd-userdb) as cron does. */
function userLookup(): (name: string) => PasswdEntry | undefined {
  const cache = new Map<string, PasswdEntry | undefined>();
  let passwdFile: Map<string, PasswdEntry> | undefined;
  const fromFile = (name: string): PasswdEntry | undefined => {
    if (passwdFile === undefined) {
      passwdFile = new Map();
      const text = (() => {
        try {
          return readFileSync("/etc/passwd", "utf8");
        } catch {
          return "";
        }
      })();
      for (const line of text.split("\n")) {
        const [user, , uid] = line.split(":");
        if (user !== undefined && user !== "" && uid !== undefined) passwdFile.set(user, { name: user, uid: Number(uid) });
      }
    }
    return passwdFile.get(name);
  };
  return (name) => {
    if (cache.has(name)) return cache.get(name);
    let entry: PasswdEntry | undefined;
    // getent takes a number as a uid; cron's getpwnam() only ever looks up names.
    if (name !== "" && !/^\d+$/.test(name) && !name.includes(":") && !name.includes("\n")) {
      const run = spawnSync("getent", ["passwd", name], { encoding: "utf8" });
      if (run.error !== undefined) {
        entry = fromFile(name);
      } else if (run.status === 0) {
        const [user, , uid] = run.stdout.split("\n")[0]?.split(":") ?? [];
        if (user === name && uid !== undefined) entry = { name: user, uid: Number(uid) };
      }
    }
    cache.set(name, entry);
    return entry;
  };
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Checks the files of `args`. Throws UsageError for a missing file or one whose type cannot be told. */
export function checkFiles(args: readonly string[], options: CheckOptions): CheckResult {
  const user = userLookup();
  const diagnostics: Diagnostic[] = [];
  let jobCount = 0;
  const files = targets(args, options.cwd);
  for (const target of files) {
    const type = options.type ?? typeFromPath(target.path);
    if (type === undefined) {
      throw new UsageError(
        `${target.display}: cannot tell whether this is a cron.d file (TIME USER COMMAND) or a user crontab (TIME COMMAND): pass --type cron.d or --type crontab`,
      );
    }
    // Where cron reads it: a symbolic link in /etc/cron.d is read there (through the link).
    const real = placeOf(target.path) === "elsewhere" ? realPathOf(target.path) : target.path;
    let place: CrontabPlace = placeOf(real);
    if (options.installed === true && place === "elsewhere") place = type === "cron.d" ? "system" : "spool";
    let text = "";
    try {
      text = readFileSync(target.path, "utf8");
    } catch (error) {
      if (place === "elsewhere") throw new UsageError(`${target.display}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const name = cronDName(target.path);
    const result = checkCrontab(
      {
        display: target.display,
        text,
        type,
        place,
        baseName: basename(target.path),
        ...(name === undefined ? {} : { cronDName: name }),
        ...(place === "elsewhere" ? {} : { facts: fileFacts(target.path) }),
        user,
      },
      options.config,
    );
    diagnostics.push(...result.diagnostics);
    jobCount += result.jobCount;
  }
  diagnostics.sort(compareDiagnostics);
  const errorCount = diagnostics.filter((d) => d.severity === "error").length;
  return { diagnostics, errorCount, warningCount: diagnostics.length - errorCount, jobCount, fileCount: files.length };
}
