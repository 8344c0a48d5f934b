/**
 * Runs a command as a whole process and measures it: wall time and CPU time in milliseconds
 * from bash's `time` (TIMEFORMAT with 3 decimals: the command's own fork to exit and its
 * rusage), and peak resident memory from GNU time(1) around that bash. GNU time alone prints
 * CPU in steps of 10 ms, too coarse for starts of 20 to 60 ms judged by their ratio (a 28 ms
 * `node -e 0` read as 20 ms); bash reports the same rusage (wait4(2)) to the millisecond.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";
/**
 * bash -c SCRIPT REPORT COMMAND ARGS…: the command's real, user and system time (seconds, 3
 * decimals) to REPORT through fd 3; its stdout and stderr stay bash's.
 */
const TIMED = 'exec 3>"$0"; TIMEFORMAT="%3R %3U %3S"; { time "$@" 2>&4; } 4>&2 2>&3';

/** Fails with the Debian package to install when GNU time is missing. */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian package time (apt-get install time)`);
}

/** One measured run. */
export interface Run {
  wallMs: number;
  /** User + system CPU time of the process and its children, ms (1 ms resolution). */
  cpuMs: number;
  /** Peak resident set size, KiB. */
  maxRssKb: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args` in `cwd` and measures it. */
export async function measure(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  requireGnuTime();
  const dir = mkdtempSync(join(tmpdir(), "cronmeta-bench-time-"));
  const report = join(dir, "rusage");
  const times = join(dir, "times");
  try {
    const child = spawn(GNU_TIME, ["-o", report, "-f", "%M %x", "bash", "-c", TIMED, times, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => stdout.push(d));
    child.stderr.on("data", (d: Buffer) => stderr.push(d));
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (c) => resolve(c ?? -1));
    });
    const fields = readFileSync(report, "utf8").trim().split("\n").at(-1)?.split(" ") ?? [];
    const [rss, exit] = fields.map(Number);
    const timed = readFileSync(times, "utf8").trim().split(" ");
    const [real, user, system] = timed.map(Number);
    if (rss === undefined || exit === undefined || fields.length !== 2 || timed.length !== 3 || [real, user, system].some((n) => n === undefined || Number.isNaN(n))) {
      throw new Error(`unexpected time output for ${command}: ${readFileSync(report, "utf8")} / ${readFileSync(times, "utf8")}`);
    }
    return {
      wallMs: (real as number) * 1000,
      cpuMs: Math.round(((user as number) + (system as number)) * 1000),
      maxRssKb: rss,
      exitCode: Number.isNaN(exit) ? code : exit,
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: Buffer.concat(stderr).toString("utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Medians of several runs of one command. */
export interface Summary {
  runs: number;
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  /** Every run's wall time, in run order (to judge the noise). */
  wallMsAll: number[];
}

/** Summarises runs by their medians. */
export function summarise(runs: readonly Run[]): Summary {
  return {
    runs: runs.length,
    wallMs: round(median(runs.map((r) => r.wallMs))),
    cpuMs: round(median(runs.map((r) => r.cpuMs))),
    maxRssKb: round(median(runs.map((r) => r.maxRssKb))),
    wallMsAll: runs.map((r) => round(r.wallMs)),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
