/**
 * Runs the real switchman executable (dist/switchman/cli.js, built by `npm run build`)
 * against test ZooKeeper servers, and a job script that records what happened to it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtBin, switchmanBin, testOutputDir } from "../../../helpers/paths.js";

/** What a finished switchman process left behind. */
export interface SwitchmanResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  ms: number;
}

/** A started switchman process. */
export interface SwitchmanProcess {
  child: ChildProcess;
  done: Promise<SwitchmanResult>;
  /** Set once the process has exited. */
  result?: SwitchmanResult;
}

/** Fails with the command to run when the executable has not been built. */
export function requireBuiltSwitchman(): void {
  builtBin(switchmanBin);
}

/** A temporary directory for one test file, removed by `cleanup()`. */
export function tempDir(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), "cronmeta-switchman-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes a switchman config (JSON) and returns its path. */
export function writeConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
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

/** Starts `switchman ARGS` with SWITCHMAN_HOSTNAME=host. */
export function startSwitchman(
  args: string[],
  options: { host?: string; stdin?: string; env?: Record<string, string> } = {},
): SwitchmanProcess {
  requireBuiltSwitchman();
  const begin = performance.now();
  const child = spawn(process.execPath, [switchmanBin, ...args], {
    env: { ...process.env, SWITCHMAN_HOSTNAME: options.host ?? "box1.example.org", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  started.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  child.stdin?.on("error", () => undefined);
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  else child.stdin?.end();
  const run: SwitchmanProcess = {
    child,
    done: new Promise<SwitchmanResult>((resolve) => {
      child.on("close", (code, signal) => {
        started.delete(child);
        run.result = { code, signal, stdout, stderr, ms: performance.now() - begin };
        resolve(run.result);
      });
    }),
  };
  return run;
}

/** Runs `switchman ARGS` to the end. */
export function runSwitchman(
  args: string[],
  options: { host?: string; stdin?: string; env?: Record<string, string> } = {},
): Promise<SwitchmanResult> {
  return startSwitchman(args, options).done;
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

/** True while a process with this pid exists and is not a zombie (a dead child not yet reaped). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3, after the parenthesised command name (which may hold spaces): the state.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Appends a measured timing to test-output/switchman-zookeeper-timings.log and returns the line. */
export function noteTiming(name: string, value: string): string {
  const line = `${new Date().toISOString()} ${name}: ${value}`;
  mkdirSync(testOutputDir, { recursive: true });
  appendFileSync(join(testOutputDir, "switchman-zookeeper-timings.log"), `${line}\n`);
  return line;
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
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
