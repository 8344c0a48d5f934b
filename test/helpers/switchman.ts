// The one switchman runner of the test suite: starts the real executable (dist/, refused when
// older than src/: builtBin), with a minimal environment, and inspects what it left behind.
// Used by the local-mode suites (test/system/switchman/) and the ZooKeeper suites alike.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtBin, switchmanBin, testOutputDir } from "./paths.js";

/** The host switchman believes it runs on unless a test says otherwise (SWITCHMAN_HOSTNAME). */
export const DEFAULT_TEST_HOST = "box1.example.com";

/** What a finished switchman process left behind. */
export interface SwitchmanResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  ms: number;
}

/** A started switchman: the child process itself, plus its end. */
export type SwitchmanProcess = ChildProcess & {
  /** The same process (for call sites that hold the handle apart from its result). */
  child: ChildProcess;
  done: Promise<SwitchmanResult>;
  /** Set once the process has exited. */
  result?: SwitchmanResult;
};

/** How to start switchman. */
export interface StartOptions {
  /** SWITCHMAN_HOSTNAME; default {@link DEFAULT_TEST_HOST}. */
  host?: string;
  /** Added to the minimal environment (PATH and SWITCHMAN_HOSTNAME). */
  env?: Record<string, string>;
  /** Written to switchman's stdin, which is then closed (closed at once by default). */
  input?: string;
}

/** Command and arguments that start switchman. */
export function switchmanCommand(args: string[]): { file: string; args: string[] } {
  return { file: builtBin(switchmanBin), args };
}

const started = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of started) {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone
    }
  }
});

/** Starts `switchman ARGS`. A test that does not wait for it is killed with the test process. */
export function startSwitchman(args: string[], options: StartOptions = {}): SwitchmanProcess {
  const { file, args: argv } = switchmanCommand(args);
  const begin = performance.now();
  const child = spawn(file, argv, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", SWITCHMAN_HOSTNAME: options.host ?? DEFAULT_TEST_HOST, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  }) as SwitchmanProcess;
  started.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  child.stdin?.on("error", () => undefined);
  child.stdin?.end(options.input ?? "");
  child.child = child;
  child.done = new Promise<SwitchmanResult>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      started.delete(child);
      child.result ??= { code, signal, stdout, stderr, ms: performance.now() - begin };
      resolve(child.result);
    };
    child.on("close", finish);
    // A process left behind (a bug under test) may keep switchman's stdio open: do not hang on it.
    child.on("exit", (code, signal) => setTimeout(() => finish(code, signal), 2000).unref());
  });
  return child;
}

/** Runs `switchman ARGS` to the end; SIGKILLs it after `timeoutMs` (default 30 s). */
export async function runSwitchman(args: string[], options: StartOptions & { timeoutMs?: number } = {}): Promise<SwitchmanResult> {
  const child = startSwitchman(args, options);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  try {
    return await child.done;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run records off unless a test turns them on: switchman's defaults (/var/lib/switchman and
 * node_exporter's textfile directory) belong to the machine, not to a test.
 */
export const RECORDS_OFF = { state_dir: false, textfile_dir: false } as const;

/** A temporary directory with a config file, a lock directory and a log file. */
export interface Sandbox {
  dir: string;
  config: string;
  lockdir: string;
  logfile: string;
  /** Writes the config (lockdir and logfile filled in unless given). */
  writeConfig(config: Record<string, unknown>): void;
  log(): string;
  cleanup(): void;
}

/** Creates a sandbox; call cleanup() in a finally or `after`. */
export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "switchman-test-"));
  const box: Sandbox = {
    dir,
    config: join(dir, "switchman.conf"),
    lockdir: join(dir, "locks"),
    logfile: join(dir, "switchman.log"),
    writeConfig(config) {
      writeFileSync(box.config, JSON.stringify({ lockdir: box.lockdir, logfile: box.logfile, loglevel: "debug", ...RECORDS_OFF, ...config }));
    },
    log: () => (existsSync(box.logfile) ? readFileSync(box.logfile, "utf8") : ""),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  box.writeConfig({});
  return box;
}

/** A temporary directory for one test file, removed by `cleanup()`. */
export function tempDir(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), "cronmeta-switchman-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes a switchman config (JSON, run records off unless `config` sets them) and returns its path. */
export function writeConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...RECORDS_OFF, ...config }));
  return path;
}

/** True while `pid` is a live process (zombies count as dead: this container's init does not reap). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3, after the parenthesised command name (which may hold spaces): the state.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Polls `check` every `everyMs` until it returns a value other than undefined or false; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Reads a file holding whitespace-separated pids (written by a job), or undefined if absent/empty. */
export function readPids(path: string): number[] | undefined {
  if (!existsSync(path)) return undefined;
  const pids = readFileSync(path, "utf8").split(/\s+/).filter(Boolean).map(Number);
  return pids.length > 0 ? pids : undefined;
}

/** Kills leftover processes of a test (best effort, by pid). */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Fails (never skips) when a system tool switchman needs is missing, naming its Debian package. */
export function requireTools(): void {
  for (const [tool, pkg] of [["setpriv", "util-linux"], ["flock", "util-linux"], ["sh", "dash"], ["bash", "bash"], ["hostname", "hostname"]] as const) {
    const found = (process.env.PATH ?? "/usr/bin:/bin").split(":").some((dir) => existsSync(join(dir, tool)));
    if (!found) throw new Error(`${tool} not found: install the Debian package ${pkg}`);
  }
}

/** Live (non-zombie) members of process group `pgid`, read from /proc independently of switchman's own code. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[2] === String(pgid) && fields[0] !== "Z" && fields[0] !== "X") members.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** Pids whose command line contains every one of `parts` (NUL-separated argv). */
export function findProcesses(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (parts.every((part) => argv.includes(part)) && alive(Number(entry))) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Processes that have `path` open, as "pid state argv" lines (for assertion messages). */
export function openers(path: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        let target = "";
        try {
          target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        } catch {
          continue;
        }
        if (target === path) {
          const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
          const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
          found.push(`${entry} ${stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)} ppid=${stat.slice(stat.lastIndexOf(")") + 4).split(" ")[0]} fd=${fd} ${argv}`);
        }
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * A job that appends `start <pid> <ns>` to `record` when it starts and `end <pid> <ns>` when it
 * ends normally, `term <pid> <ns>` on SIGTERM (unless `ignoreTerm`); it runs `seconds` (or until
 * `untilFile` exists), in steps of 0.2 s.
 * Timestamps are CLOCK_REALTIME nanoseconds of one machine (`date +%s%N`), one clock for all.
 */
export function jobCommand(
  record: string,
  seconds: number,
  options: { ignoreTerm?: boolean; exitCode?: number; untilFile?: string } = {},
): string[] {
  const trap = options.ignoreTerm
    ? `trap 'echo "ignored $$ $(date +%s%N)" >> "$R"' TERM`
    : `trap 'echo "term $$ $(date +%s%N)" >> "$R"; exit 143' TERM`;
  const script = [
    `R='${record}'`,
    `echo "start $$ $(date +%s%N)" >> "$R"`,
    trap,
    // `wait` returns when a trapped signal arrives; loop so an ignored SIGTERM does not end the job.
    `i=0`,
    `while [ "$i" -lt ${Math.ceil(seconds * 5)} ]${options.untilFile ? ` && [ ! -e '${options.untilFile}' ]` : ""}; do sleep 0.2 & wait $!; i=$((i + 1)); done`,
    `echo "end $$ $(date +%s%N)" >> "$R"`,
    `exit ${options.exitCode ?? 0}`,
  ].join("\n");
  return ["/bin/sh", "-c", script];
}

/** One line of a job record. */
export interface RecordEvent {
  kind: "start" | "end" | "term" | "ignored";
  pid: number;
  /** Milliseconds (realtime clock). */
  at: number;
}

/** Parses a job record file ([] when it does not exist). */
export function readRecord(path: string): RecordEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const [kind, pid, ns] = line.split(" ");
      return { kind: kind as RecordEvent["kind"], pid: Number(pid), at: Number(BigInt(ns ?? "0") / 1000n) / 1000 };
    });
}

/** Run intervals [start, end) per job pid; an unfinished job ends at `openEnd`. */
export function intervals(events: RecordEvent[], openEnd: number): { pid: number; start: number; end: number }[] {
  const byPid = new Map<number, { start: number; end: number }>();
  for (const e of events) {
    if (e.kind === "start") byPid.set(e.pid, { start: e.at, end: openEnd });
  }
  for (const e of events) {
    const run = byPid.get(e.pid);
    if (run && (e.kind === "end" || e.kind === "term") && e.at < run.end) run.end = e.at;
  }
  return [...byPid.entries()].map(([pid, r]) => ({ pid, ...r })).sort((a, b) => a.start - b.start);
}

/** Intervals that overlap an earlier one (should be none). */
export function overlaps(runs: { pid: number; start: number; end: number }[]): string[] {
  const found: string[] = [];
  let latest: { pid: number; start: number; end: number } | undefined;
  for (const run of [...runs].sort((a, b) => a.start - b.start)) {
    if (latest && run.start < latest.end) {
      found.push(`${latest.pid} [${latest.start}, ${latest.end}) overlaps ${run.pid} [${run.start}, ${run.end})`);
    }
    if (!latest || run.end > latest.end) latest = run;
  }
  return found;
}

/** Appends a measured timing to test-output/switchman-zookeeper-timings.log and returns the line. */
export function noteTiming(name: string, value: string): string {
  const line = `${new Date().toISOString()} ${name}: ${value}`;
  mkdirSync(testOutputDir, { recursive: true });
  appendFileSync(join(testOutputDir, "switchman-zookeeper-timings.log"), `${line}\n`);
  return line;
}

/**
 * Waits until the first job in `record` (the one `run` started, in a fresh record) wrote its
 * start line; fails with switchman's exit status and stderr if switchman ends first.
 */
export async function jobStarted(record: string, run: SwitchmanProcess, timeoutMs = 30_000): Promise<RecordEvent> {
  return waitFor(
    "the job to start",
    () => {
      const start = readRecord(record).find((e) => e.kind === "start");
      if (start) return start;
      if (run.result) {
        throw new Error(`switchman exited (${run.result.code ?? run.result.signal}) before its job started: ${run.result.stderr}`);
      }
      return undefined;
    },
    timeoutMs,
  );
}
