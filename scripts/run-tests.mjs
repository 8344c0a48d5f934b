#!/usr/bin/env node
// Runs the test files from source (TypeScript through tsx) with node's test runner.
//
//   --tier unit    test/**/*.test.ts outside test/system/: in-process, no system package needed
//   --tier system  test/system/**/*.test.ts: real processes, ZooKeeper, dpkg, cron, Chromium
//   --tier all     both (the default; what `npm test` and CI run)
//   --timings      after the run, each file's wall and CPU time (its own and its children's),
//                  slowest first, and the totals; to find what makes a tier slow
//
// Remaining arguments filter the files by substring. The list is explicit because Node 20's
// `--test DIR` would also run every helper module under a `test/` directory. System tests
// spawn the built executables in dist/; test/helpers/paths.ts refuses a dist/ older than src/.
// TEST_CONCURRENCY sets how many files run at once (default: the number of CPUs).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import fg from "fast-glob";

const args = process.argv.slice(2);
let tier = "all";
let timings = false;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--tier") tier = args[++i] ?? "";
  else if (args[i] === "--timings") timings = true;
  else filters.push(args[i]);
}
if (!["unit", "system", "all"].includes(tier)) {
  console.error(`run-tests: --tier must be unit, system or all (got "${tier}")`);
  process.exit(2);
}
const all = await fg("test/**/*.test.ts", { onlyFiles: true, ignore: ["test/fixtures/**"] });
const files = all
  .filter((f) => tier === "all" || (tier === "system") === f.startsWith("test/system/"))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`run-tests: no test files match (tier ${tier}${filters.length ? `, filters ${filters.join(" ")}` : ""})`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? String(availableParallelism());
const hookArgs = [];
const env = { ...process.env };
// The unit tier reaches no network: extra CA certificates would only cost each Node process its
// start-up time for reading them (about 50 ms, hundreds of processes).
if (tier === "unit") delete env.NODE_EXTRA_CA_CERTS;
let timingsDir;
if (timings) {
  timingsDir = mkdtempSync(join(tmpdir(), "cronmeta-timings-"));
  env.CRONMETA_TEST_TIMINGS = join(timingsDir, "timings.jsonl");
  hookArgs.push("--import", fileURLToPath(new URL("./test-timings-hook.mjs", import.meta.url)));
}
const started = performance.now();
const cpuBefore = childrenCpuMs();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", ...hookArgs, "--test", `--test-concurrency=${concurrency}`, ...files],
  { stdio: "inherit", env },
);
if (timingsDir !== undefined) {
  printTimings(env.CRONMETA_TEST_TIMINGS, performance.now() - started, childrenCpuMs() - cpuBefore);
  rmSync(timingsDir, { recursive: true, force: true });
}
process.exit(result.status ?? 1);

/** CPU time of this process's reaped children in ms (Linux; 0 elsewhere). */
function childrenCpuMs() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

function printTimings(path, wallMs, cpuMs) {
  let rows = [];
  try {
    rows = readFileSync(path, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    // no file finished: nothing to list
  }
  rows.sort((a, b) => b.wallMs - a.wallMs);
  const s = (ms) => (ms / 1000).toFixed(1).padStart(6);
  const lines = ["", `timings (${files.length} files, concurrency ${concurrency}):`, "  wall s  cpu s  file"];
  for (const r of rows) lines.push(`  ${s(r.wallMs)} ${s(r.cpuMs)}  ${r.file}`);
  const missing = files.filter((f) => !rows.some((r) => r.file === f));
  for (const f of missing) lines.push(`       ?      ?  ${f} (no timing: the file's process did not exit normally)`);
  const sumWall = rows.reduce((t, r) => t + r.wallMs, 0);
  lines.push(`  total: ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU (files' wall times add up to ${(sumWall / 1000).toFixed(1)} s)`);
  console.log(lines.join("\n"));
}
