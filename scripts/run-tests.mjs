#!/usr/bin/env node
// Runs the test files from source (TypeScript through tsx) with node's test runner.
//
//   --tier unit    test/**/*.test.ts outside test/system/: in-process, no system package needed
//   --tier system  test/system/**/*.test.ts: real processes, ZooKeeper, dpkg, cron, Chromium,
//                  and big loops (hundreds of rebuilds, 10,000 journal runs)
//   --tier all     both (the default; what `npm test` and CI run)
//   --isolate      each unit test file in a process of its own (the system tier and `--tier all`
//                  always do that); see below
//   --timings      after the run, each file's wall time (and, in a process of its own, its CPU
//                  time, its children's included), slowest first, and the totals
//
// Remaining arguments filter the files by substring. The list is explicit because Node 20's
// `--test DIR` would also run every helper module under a `test/` directory. System tests
// spawn the built executables in dist/; test/helpers/paths.ts refuses a dist/ older than src/.
//
// Processes. Every Node process that loads tsx pays about 0.3 s of CPU before its first test
// (tsx's loader thread starts and loads), and each test file then loads its share of src/ again:
// for the 70 unit files that was about 40 of the tier's 80 s of CPU. So the unit tier runs its
// files in as many shared processes as it runs at once (scripts/test-shard.mjs imports them one
// after the other; their tests run in that order), the files dealt out slowest first to the
// least loaded process, by the times of the last run (node_modules/.cache/cronmeta-tests/; a
// file not timed yet counts by its size). Unit tests share no state through the process (no chdir, no environment or
// global changes, their own temp directories), and `npm test` still runs every file alone, so
// a test that passes only after another file has run fails there. TEST_CONCURRENCY sets how many
// processes (files) run at once: the CPUs by default, at most 2 in the system tier, whose
// ZooKeeper tests grow flaky when the machine is busy.
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import fg from "fast-glob";

const args = process.argv.slice(2);
let tier = "all";
let timings = false;
let isolate = false;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--tier") tier = args[++i] ?? "";
  else if (args[i] === "--timings") timings = true;
  else if (args[i] === "--isolate") isolate = true;
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
const shared = tier === "unit" && !isolate;
const concurrency = Number(process.env.TEST_CONCURRENCY ?? (tier === "unit" ? availableParallelism() : Math.min(2, availableParallelism())));
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`run-tests: TEST_CONCURRENCY must be a whole number from 1 (got "${process.env.TEST_CONCURRENCY}")`);
  process.exit(2);
}

const env = { ...process.env };
// The unit tier reaches no network: extra CA certificates would only cost each Node process
// the time to read them (about 50 ms a start; in-process CLI tests start none, others a few).
if (tier === "unit") delete env.NODE_EXTRA_CA_CERTS;
const script = (name) => fileURLToPath(new URL(name, import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "cronmeta-run-tests-"));
const nodeArgs = ["--import", "tsx"];
if (timings) {
  env.CRONMETA_TEST_TIMINGS = join(workDir, "processes.jsonl");
  nodeArgs.push("--import", script("./test-timings-hook.mjs"));
}

/** Where the last shared run's file times are kept: they only steer the dealing, never a result. */
const TIMES_FILE = "node_modules/.cache/cronmeta-tests/durations.json";

/** Shared processes: each file's time (ms), its top-level tests' durations added up. */
let fileTimes = new Map();
const started = performance.now();
const cpuBefore = childrenCpuMs();
let ok;
try {
  ok = shared ? await runShared() : await runIsolated();
  if (timings) printTimings(performance.now() - started, childrenCpuMs() - cpuBefore);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);

/** Node's own runner: one process per file, `concurrency` at once. */
async function runIsolated() {
  const child = spawn(process.execPath, [...nodeArgs, "--test", `--test-concurrency=${concurrency}`, ...files], { stdio: "inherit", env });
  return (await exited(child)) === 0;
}

/**
 * The files in `concurrency` shared processes. Each prints its report when it ends (two
 * reports interleaved line by line would be unreadable), then the summary adds them up.
 */
async function runShared() {
  const previous = readTimes();
  const shards = deal(files, Math.min(concurrency, files.length), previous);
  const reporter = process.stdout.isTTY ? "spec" : "tap";
  const runs = shards.map(async (shard, i) => {
    const events = join(workDir, `events-${i}.jsonl`);
    const child = spawn(
      process.execPath,
      [
        ...nodeArgs,
        `--test-reporter=${reporter}`,
        "--test-reporter-destination=stdout",
        `--test-reporter=${script("./test-events-reporter.mjs")}`,
        `--test-reporter-destination=${events}`,
        script("./test-shard.mjs"),
        ...shard,
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...env, CRONMETA_TEST_SHARD: String(i + 1) } },
    );
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    const code = await exited(child);
    process.stdout.write(`\n# run-tests: process ${i + 1} of ${shards.length}: ${shard.length} files, exit ${code}\n`);
    process.stdout.write(Buffer.concat(output));
    return { code, events: readEvents(events) };
  });
  const results = await Promise.all(runs);
  const counts = {};
  const failed = [];
  fileTimes = new Map();
  for (const { events } of results) {
    for (const e of events) {
      if (e.type === "count") counts[e.name] = (counts[e.name] ?? 0) + e.value;
      if (e.type === "failure") failed.push(`${e.file}: ${e.name}`);
      if (e.type === "pass" || e.type === "fail") {
        // Tests declared in x.cases.ts (tables shared with the system tier) belong to x.test.ts.
        const owner = e.file?.replace(/\.cases\.ts$/, ".test.ts");
        const file = files.includes(owner) ? owner : e.file;
        fileTimes.set(file, (fileTimes.get(file) ?? 0) + e.ms);
      }
    }
  }
  writeTimes({ ...Object.fromEntries(Object.entries(previous).filter(([f]) => existsSync(f))), ...Object.fromEntries([...fileTimes].filter(([f]) => files.includes(f)).map(([f, ms]) => [f, Math.round(ms)])) });
  const order = ["tests", "suites", "pass", "fail", "cancelled", "skipped", "todo"];
  console.log(`\n# run-tests: ${files.length} files in ${shards.length} processes: ${order.map((k) => `${k} ${counts[k] ?? 0}`).join(", ")}`);
  for (const f of failed) console.log(`# failed: ${f}`);
  const crashed = results.filter((r) => r.code !== 0 && r.events.every((e) => e.type !== "failure"));
  if (crashed.length > 0) console.log(`# run-tests: ${crashed.length} process(es) exited non-zero without a failed test: see their output above`);
  return results.every((r) => r.code === 0);
}

/**
 * `items` dealt into `n` lists: slowest file first, each to the list with the least time so far.
 * A file's time is its last run's (`times`, ms); one not timed yet is estimated from its size at
 * the timed files' rate (or, with none timed, counts by its size alone). Each list keeps path order.
 */
function deal(items, n, times) {
  const timed = items.filter((f) => times[f] !== undefined);
  const bytes = (f) => statSync(f).size;
  const msPerByte = timed.length === 0 ? 1 : timed.reduce((t, f) => t + times[f], 0) / Math.max(1, timed.reduce((t, f) => t + bytes(f), 0));
  const weighed = items.map((f) => ({ f, cost: times[f] ?? bytes(f) * msPerByte })).sort((a, b) => b.cost - a.cost || (a.f < b.f ? -1 : 1));
  const lists = Array.from({ length: n }, () => ({ cost: 0, files: [] }));
  for (const { f, cost } of weighed) {
    const lightest = lists.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.cost += cost;
    lightest.files.push(f);
  }
  return lists.map((l) => l.files.sort());
}

function readTimes() {
  try {
    const times = JSON.parse(readFileSync(TIMES_FILE, "utf8"));
    return typeof times === "object" && times !== null ? times : {};
  } catch {
    return {};
  }
}

function writeTimes(times) {
  try {
    mkdirSync(dirname(TIMES_FILE), { recursive: true });
    const temp = `${TIMES_FILE}.${process.pid}`;
    writeFileSync(temp, `${JSON.stringify(times, Object.keys(times).sort(), 1)}\n`);
    renameSync(temp, TIMES_FILE);
  } catch {
    // a read-only checkout: the next run deals by size
  }
}

function exited(child) {
  return new Promise((resolve) => {
    child.on("error", (error) => {
      console.error(`run-tests: cannot start node: ${error.message}`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function readEvents(path) {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

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

function printTimings(wallMs, cpuMs) {
  const s = (ms) => (ms === undefined ? "     -" : (ms / 1000).toFixed(1).padStart(6));
  const processes = readEvents(env.CRONMETA_TEST_TIMINGS);
  const lines = ["", `# timings (${files.length} files, ${shared ? `${Math.min(concurrency, files.length)} shared processes` : `one process each, ${concurrency} at once`}):`, "#  wall s  cpu s  file"];
  let rows;
  if (shared) {
    // In a shared process a file's time is that of its top-level tests (hooks included); the
    // CPU time is known per process only.
    rows = [...new Set([...files, ...fileTimes.keys()])].map((file) => ({ file, wallMs: fileTimes.get(file) }));
  } else {
    rows = files.map((file) => processes.find((p) => p.file === file) ?? { file });
  }
  rows.sort((a, b) => (b.wallMs ?? -1) - (a.wallMs ?? -1));
  for (const r of rows) lines.push(`# ${s(r.wallMs)} ${s(r.cpuMs)}  ${r.file}${r.wallMs === undefined ? " (no timing: no test finished, or its process did not exit normally)" : ""}`);
  if (shared) {
    for (const p of processes.filter((p) => p.shard !== undefined).sort((a, b) => a.shard - b.shard)) {
      lines.push(`# ${s(p.wallMs)} ${s(p.cpuMs)}  process ${p.shard} (start-up and loading included)`);
    }
  }
  const sum = rows.reduce((t, r) => t + (r.wallMs ?? 0), 0);
  lines.push(`# total: ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU (the files' wall times add up to ${(sum / 1000).toFixed(1)} s)`);
  console.log(lines.join("\n"));
}
