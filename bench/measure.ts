/**
 * Runs a command as a whole process and measures it: wall time (from spawn to exit, in this
 * process), CPU time and peak resident memory (from GNU time(1), which reads them from the
 * child's rusage via wait4(2)).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

/** Fails with the Debian package to install when GNU time is missing. */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian package time (apt-get install time)`);
}

/** One measured run. */
export interface Run {
  wallMs: number;
  /** User + system CPU time of the process and its children, ms (10 ms resolution). */
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
  try {
    const started = performance.now();
    const child = spawn(GNU_TIME, ["-o", report, "-f", "%U %S %M %x", command, ...args], {
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
    const wallMs = performance.now() - started;
    const fields = readFileSync(report, "utf8").trim().split("\n").at(-1)?.split(" ") ?? [];
    const [user, system, rss, exit] = fields.map(Number);
    if (user === undefined || system === undefined || rss === undefined || exit === undefined || fields.length !== 4) {
      throw new Error(`unexpected GNU time output for ${command}: ${readFileSync(report, "utf8")}`);
    }
    return {
      wallMs,
      cpuMs: Math.round((user + system) * 1000),
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
