/**
 * switchman's start-up overhead: the wall time from spawning a command to the command's first
 * instruction (its first byte on stdout, which switchman's child inherits), with and without
 * switchman in front; in local mode (flock) and against a local ZooKeeper started here from
 * Debian's zookeeper package (and always stopped).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStandalone, TestZk, type ZkCluster } from "../test/helpers/zookeeper.js";
import { median } from "./measure.js";

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

/** The whole switchman section of the results. */
export interface SwitchmanResults {
  direct: StartTimes;
  local: StartTimes;
  zookeeper: StartTimes | { error: string };
}

/** Spawns `argv` and resolves with the ms until its first stdout byte; rejects if it exits without one. */
function timeToFirstByte(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
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
  const env = { ...process.env, SWITCHMAN_HOSTNAME: HOST };
  const node = process.execPath;
  try {
    const direct = await times(CHILD, runs, env);
    const localConfig = join(dir, "local.json");
    writeFileSync(localConfig, JSON.stringify({ lockdir: join(dir, "locks") }));
    const local = await times([node, switchmanBin, "--config", localConfig, "--lockname", "bench", "--", ...CHILD], runs, env);
    let zk: SwitchmanResults["zookeeper"] = { error: "not measured (--no-zookeeper)" };
    if (zookeeper) {
      try {
        zk = await measureZooKeeper(switchmanBin, dir, runs, env);
      } catch (error) {
        zk = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    return {
      direct,
      local: withOverhead(local, direct),
      zookeeper: "error" in zk ? zk : withOverhead(zk, direct),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureZooKeeper(switchmanBin: string, dir: string, runs: number, env: NodeJS.ProcessEnv): Promise<StartTimes> {
  let cluster: ZkCluster | undefined;
  let client: TestZk | undefined;
  try {
    cluster = await startStandalone({ tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 60000 });
    client = await TestZk.connect(cluster.connectString);
    await client.setPrefix("/switchman/bench", { groups: { bench: HOST } });
    const config = join(dir, "zk.json");
    writeFileSync(config, JSON.stringify({ zkhosts: cluster.connectString, prefix: "/switchman/bench" }));
    return await times([process.execPath, switchmanBin, "--config", config, "--group", "bench", "--lockname", "bench", "--", ...CHILD], runs, env);
  } finally {
    await client?.close();
    await cluster?.stop();
  }
}
