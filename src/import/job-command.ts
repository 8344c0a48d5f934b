/**
 * Takes a cron job's command apart into what METADATA says: the `[ -x SCRIPT ] &&` guard and
 * the switchman wrapper that cronmeta writes (src/jobs/command.ts) or a person wrote the same
 * way, the script, and its params. Pure.
 */
import { posix } from "node:path";

/** The switchman options of a wrapped command. */
export interface SwitchmanCall {
  bin: string;
  config?: string;
  group?: string;
  /** `--package`, which cronmeta writes when the group is not the job's package. */
  package?: string;
  lockname?: string;
  /** `--timeout` (METADATA `timeout`). */
  timeout?: string;
  /** `--concurrency` (METADATA `concurrency`), as written. */
  concurrency?: string;
  /** `--wait` or `--lease-timeout` (METADATA `wait`). */
  wait?: string;
  /** Every `--lease`, in order (METADATA `lease`, comma-separated); absent without one. */
  leases?: string[];
  noLock: boolean;
}

/** A command that runs one script, with what wrapped it. */
export interface JobCommand {
  /** The path of the `[ -x PATH ] &&` or `test -x PATH &&` guard. */
  guard?: string;
  switchman?: SwitchmanCall;
  /** The script as written (usually an absolute installed path). */
  script: string;
  /** Everything after the script, as written (trimmed). */
  params: string;
}

/** A word of the command and where the text after it starts. */
interface Token {
  word: string;
  start: number;
  end: number;
}

/** The next blank-separated word from `from`, one pair of outer quotes removed. */
function next(text: string, from: number): Token | undefined {
  const match = /[^ \t]+/.exec(text.slice(from));
  if (match === null) return undefined;
  const raw = match[0];
  const word = /^(['"])(.*)\1$/.exec(raw)?.[2] ?? raw;
  return { word, start: from + match.index, end: from + match.index + raw.length };
}

/** Switchman options that take a value, by every spelling switchman accepts (src/switchman/args.ts). */
const VALUE_OPTIONS: Readonly<Record<string, "config" | "group" | "package" | "lockname" | "timeout" | "concurrency" | "wait" | "lease">> = {
  "--config": "config",
  "-c": "config",
  "--group": "group",
  "-g": "group",
  "--package": "package",
  "--lockname": "lockname",
  "--timeout": "timeout",
  "--concurrency": "concurrency",
  "--wait": "wait",
  "--lease-timeout": "wait",
  "--lease": "lease",
};

/** Sets option `key` of `call` (`--lease` may come more than once). */
function setOption(call: SwitchmanCall, key: (typeof VALUE_OPTIONS)[string], value: string): void {
  if (key === "lease") call.leases = [...(call.leases ?? []), value];
  else call[key] = value;
}

/** The switchman call starting at `from` (after its binary), up to `--` or its first non-option (switchman stops there too). */
function readSwitchman(text: string, from: number, bin: string): { call: SwitchmanCall; end: number } | string {
  const call: SwitchmanCall = { bin, noLock: false };
  let at = from;
  for (;;) {
    const token = next(text, at);
    if (token === undefined) return "switchman runs no command";
    if (!token.word.startsWith("-")) return { call, end: token.start };
    at = token.end;
    if (token.word === "--") return { call, end: at };
    if (token.word === "--no-lock") {
      call.noLock = true;
      continue;
    }
    if (token.word === "--lock") continue; // App::switchman's spelling of the default

    const eq = token.word.indexOf("=");
    const name = eq > 0 ? token.word.slice(0, eq) : token.word;
    const key = VALUE_OPTIONS[name];
    if (key === undefined) return `switchman option "${token.word}" has no METADATA key`;
    if (eq > 0) {
      setOption(call, key, token.word.slice(eq + 1));
      continue;
    }
    const value = next(text, at);
    if (value === undefined) return `switchman option ${token.word} has no value`;
    setOption(call, key, value.word);
    at = value.end;
  }
}

/** Takes a command (as cron runs it, `%` escapes resolved) apart, or says why it is not one script call. */
export function parseJobCommand(text: string): JobCommand | string {
  let at = 0;
  let first = next(text, at);
  if (first === undefined) return "the command is empty";
  let guard: string | undefined;
  // `[ -x PATH ] &&` (what cronmeta writes) or `test -x PATH &&`.
  if (first.word === "[" || first.word === "test") {
    const x = next(text, first.end);
    const path = x === undefined ? undefined : next(text, x.end);
    let after = path === undefined ? undefined : next(text, path.end);
    if (first.word === "[" && after?.word === "]") after = next(text, after.end);
    if (x?.word !== "-x" || path === undefined || after?.word !== "&&") return "the command is not a script call (a test other than [ -x SCRIPT ] &&)";
    guard = path.word;
    at = after.end;
    first = next(text, at);
    if (first === undefined) return "nothing follows the [ -x … ] && guard";
  }
  let switchman: SwitchmanCall | undefined;
  if (posix.basename(first.word) === "switchman") {
    const read = readSwitchman(text, first.end, first.word);
    if (typeof read === "string") return read;
    switchman = read.call;
    at = read.end;
    first = next(text, at);
    if (first === undefined) return "switchman runs no command";
  }
  const command: JobCommand = { script: first.word, params: text.slice(first.end).trim() };
  if (guard !== undefined) command.guard = guard;
  if (switchman !== undefined) command.switchman = switchman;
  return command;
}
