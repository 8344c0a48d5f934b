/**
 * switchman's start-up overhead: the wall time from spawning a command to the command's first
 * instruction (its first byte on stdout, which switchman's child inherits), with and without
 * switchman in front; in local mode (flock) and against a local ZooKeeper started here from
 * Debian's zookeeper package (and always stopped). And what the run records add (issue 15): the
 * run path and the skip path to switchman's exit, records on against records off.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStandalone, TestZk, type ZkCluster } from "../test/helpers/zookeeper.js";
import { measure, median, summarise, type Run, type Summary } from "./measure.js";

/** The measured child: prints one byte as its first act. */
const CHILD = ["/bin/echo", "x"];
const HOST = "bench.example.org";

/** Start-to-first-instruction times of one way of starting the child. */
export interface StartTimes {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median minus the median of starting the child directly. */
  overheadMs?: number;
}

/**
 * The skip path (this host not in the job's group: most starts on a fleet) as a whole process:
 * CPU (bash's time, to the millisecond) and peak RSS (GNU time), against `node -e 0` measured in the same loop (issue 14).
 */
export interface SkipCost {
  /** `node -e 0`, interleaved with the skips. */
  floor: Summary;
  skip: Summary;
  /** Median CPU of the skip / median CPU of the floor. */
  cpuRatio: number;
}

/** The whole switchman section of the results. */
export interface SwitchmanResults {
  direct: StartTimes;
  local: StartTimes;
  zookeeper: StartTimes | { error: string };
  /** The skip path's CPU and memory, local mode and against local ZooKeeper (absent in results before issue 14). */
  skip?: { local: SkipCost; zookeeper: SkipCost | { error: string } };
  /** What the run records add (issue 15), against local ZooKeeper. */
  records?: RecordCosts | { error: string };
}

/** Spawn-to-exit times of switchman with the run records on and off, and the difference of the medians. */
export interface RecordCost {
  on: StartTimes;
  off: StartTimes;
  /** The median of the per-pair differences (on minus off, each pair run back to back): the added time of a run. */
  addedMs: number;
  /** The median of `on` minus the median of `off` (shown beside it). */
  differenceOfMediansMs: number;
}

/** The run path (START and FINISH: ZooKeeper record, journal, host record, textfile) and the skip path (not in the group). */
export interface RecordCosts {
  runPath: RecordCost;
  skipPath: RecordCost;
}

/** Spawns `argv` and resolves with the ms until its first stdout byte; rejects if it exits without one. */
function timeToFirstByte(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
  beforeEachStart();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let at: number | undefined;
    let stderr = "";
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.once("data", () => (at = performance.now() - started));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (at !== undefined && code === 0) resolve(at);
      else reject(new Error(`${argv.join(" ")} exited ${code} without output: ${stderr.trim()}`));
    });
  });
}

/** Spawns `argv` and resolves with the ms until it exited with status 0. */
function timeToExit(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
  beforeEachStart();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let stderr = "";
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 && stderr === "") resolve(performance.now() - started);
      else reject(new Error(`${argv.join(" ")} exited ${code}: ${stderr.trim()}`));
    });
  });
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function summary(all: number[]): StartTimes {
  return { runs: all.length, medianMs: round1(median(all)), minMs: round1(Math.min(...all)), maxMs: round1(Math.max(...all)) };
}

/**
 * Makes the bench's run records look as they would on a box, where cron starts a job at most
 * once a minute: before each measured start, every host-record sequence file
 * (`<state_dir>/<uid>/jobs/<name>/<seq>.json`) is dated two minutes back, so that the start's own
 * sweep (src/switchman/records/host-state.ts) leaves the two or three files a box has instead of
 * the hundred a few seconds of back-to-back starts would pile up (each read on every update).
 */
let beforeEachStart: () => void = () => undefined;

function asIfAMinuteApart(stateDir: string): () => void {
  return () => {
    if (!existsSync(stateDir)) return;
    const then = new Date(Date.now() - 120_000);
    for (const user of readdirSync(stateDir)) {
      const jobs = join(stateDir, user, "jobs");
      if (!existsSync(jobs)) continue;
      for (const job of readdirSync(jobs)) for (const file of readdirSync(join(jobs, job))) utimesSync(join(jobs, job, file), then, then);
    }
  };
}

/**
 * `on` and `off` spawn-to-exit times, alternated run by run so that drift of the machine hits
 * both alike, and in turns of which goes first (on-off, off-on, …): a fixed order measured up
 * to 6 ms "added" between two runs of the same build.
 */
async function pair(on: string[], off: string[], runs: number, env: NodeJS.ProcessEnv): Promise<RecordCost> {
  await timeToExit(on, env);
  await timeToExit(off, env);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a.push(await timeToExit(on, env));
      b.push(await timeToExit(off, env));
    } else {
      b.push(await timeToExit(off, env));
      a.push(await timeToExit(on, env));
    }
  }
  const result = { on: summary(a), off: summary(b) };
  // Paired: the machine's drift (another process, the page cache) hits both halves of a pair
  // alike, so the median of the differences is steadier than the difference of the medians.
  const added = median(a.map((x, i) => x - (b[i] as number)));
  return { ...result, addedMs: round1(added), differenceOfMediansMs: round1(result.on.medianMs - result.off.medianMs) };
}

/** `runs` skips through `argv` and as many `node -e 0`, alternated (in turns of which goes first), after one warm-up of each. */
async function skipCost(argv: string[], runs: number, env: NodeJS.ProcessEnv): Promise<SkipCost> {
  const [command, ...args] = argv as [string, ...string[]];
  const options = { cwd: tmpdir(), env };
  const ok = (run: Run, what: string): Run => {
    if (run.exitCode !== 0 || run.stderr !== "") throw new Error(`${what} exited ${run.exitCode}: ${run.stderr.trim()}`);
    return run;
  };
  const start = (): Promise<Run> => {
    beforeEachStart();
    return measure(command, args, options);
  };
  await measure(process.execPath, ["-e", "0"], options);
  ok(await start(), argv.join(" "));
  const floor: Run[] = [];
  const skip: Run[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) floor.push(await measure(process.execPath, ["-e", "0"], options));
    skip.push(ok(await start(), argv.join(" ")));
    if (i % 2 === 1) floor.push(await measure(process.execPath, ["-e", "0"], options));
  }
  const result = { floor: summarise(floor), skip: summarise(skip) };
  return { ...result, cpuRatio: Math.round((result.skip.cpuMs / result.floor.cpuMs) * 100) / 100 };
}

async function times(argv: string[], runs: number, env: NodeJS.ProcessEnv): Promise<StartTimes> {
  await timeToFirstByte(argv, env); // warm-up: page cache, JIT of nothing, DNS of nothing
  const all: number[] = [];
  for (let i = 0; i < runs; i++) all.push(await timeToFirstByte(argv, env));
  const r = (n: number): number => Math.round(n * 10) / 10;
  return { runs, medianMs: r(median(all)), minMs: r(Math.min(...all)), maxMs: r(Math.max(...all)) };
}

function withOverhead(t: StartTimes, direct: StartTimes): StartTimes {
  return { ...t, overheadMs: Math.round((t.medianMs - direct.medianMs) * 10) / 10 };
}

/** Measures direct, local-mode and (unless `zookeeper` is false) ZooKeeper starts, `runs` times each. */
export async function measureSwitchman(switchmanBin: string, runs: number, zookeeper: boolean): Promise<SwitchmanResults> {
  const dir = mkdtempSync(join(tmpdir(), "cronmeta-bench-switchman-"));
  const env = { ...startEnv(), SWITCHMAN_HOSTNAME: HOST };
  const node = process.execPath;
  beforeEachStart = asIfAMinuteApart(join(dir, "state"));
  try {
    const direct = await times(CHILD, runs, env);
    const localConfig = join(dir, "local.json");
    // The run records on, as on a box (in the bench's own directories).
    writeFileSync(localConfig, JSON.stringify({ lockdir: join(dir, "locks"), groups: { bench: HOST, other: "elsewhere.example.org" }, ...recordsIn(dir) }));
    const local = await times([node, switchmanBin, "--config", localConfig, "--group", "bench", "--lockname", "bench", "--", ...CHILD], runs, env);
    const localSkip = await skipCost([node, switchmanBin, "--config", localConfig, "--group", "other", "--lockname", "bench-skip", "--", "/bin/true"], runs, env);
    let zk: SwitchmanResults["zookeeper"] = { error: "not measured (--no-zookeeper)" };
    let records: RecordCosts | { error: string } = { error: "not measured (--no-zookeeper)" };
    let zkSkip: SkipCost | { error: string } = { error: "not measured (--no-zookeeper)" };
    if (zookeeper) {
      try {
        ({ zk, records, skip: zkSkip } = await measureZooKeeper(switchmanBin, dir, runs, env));
      } catch (error) {
        zk = { error: error instanceof Error ? error.message : String(error) };
        records = zk;
        zkSkip = zk;
      }
    }
    return {
      direct,
      local: withOverhead(local, direct),
      zookeeper: "error" in zk ? zk : withOverhead(zk, direct),
      skip: { local: localSkip, zookeeper: zkSkip },
      records,
    };
  } finally {
    beforeEachStart = () => undefined;
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The environment of every measured process: this one's without NODE_EXTRA_CA_CERTS, which
 * makes each Node start read the CA bundle (about 90 ms here) and is no part of a cron job's
 * or a CI step's start.
 */
export function startEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Run records into the bench's own directory (never the machine's /var/lib). */
function recordsIn(dir: string): Record<string, string> {
  mkdirSync(join(dir, "state"), { recursive: true });
  mkdirSync(join(dir, "textfiles"), { recursive: true });
  return { state_dir: join(dir, "state"), textfile_dir: join(dir, "textfiles") };
}

const RECORDS_OFF = { state_dir: false, textfile_dir: false, run_records: false };

async function measureZooKeeper(
  switchmanBin: string,
  dir: string,
  runs: number,
  env: NodeJS.ProcessEnv,
): Promise<{ zk: StartTimes; records: RecordCosts; skip: SkipCost }> {
  let cluster: ZkCluster | undefined;
  let client: TestZk | undefined;
  try {
    cluster = await startStandalone({ tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 60000 });
    client = await TestZk.connect(cluster.connectString);
    await client.setPrefix("/switchman/bench", { groups: { bench: HOST } });
    const base = { zkhosts: cluster.connectString, prefix: "/switchman/bench" };
    const config = join(dir, "zk.json");
    writeFileSync(config, JSON.stringify({ ...base, ...recordsIn(dir) }));
    const off = join(dir, "zk-records-off.json");
    writeFileSync(off, JSON.stringify({ ...base, ...RECORDS_OFF }));
    const zk = await times([process.execPath, switchmanBin, "--config", config, "--group", "bench", "--lockname", "bench", "--", ...CHILD], runs, env);
    // The run path to its end: with records, START (while CMD starts) and FINISH (before exit) write
    // the ZooKeeper record, the journal, the host record and the textfile.
    const run = (cfg: string): string[] => [process.execPath, switchmanBin, "--config", cfg, "--group", "bench", "--lockname", "bench-run", "--", "/bin/true"];
    const runPath = await pair(run(config), run(off), runs * 4, env);
    // The skip path: a host outside the group (every host of the fleet but the group's, every time).
    await client.setPrefix("/switchman/bench", { groups: { bench: HOST, other: "elsewhere.example.org" } });
    const skip = (cfg: string): string[] => [process.execPath, switchmanBin, "--config", cfg, "--group", "other", "--lockname", "bench-skip", "--", "/bin/true"];
    const skipPath = await pair(skip(config), skip(off), runs * 4, env);
    const skipCpu = await skipCost(skip(config), runs, env);
    return { zk, records: { runPath, skipPath }, skip: skipCpu };
  } finally {
    await client?.close();
    await cluster?.stop();
  }
}
