// One run's records as the run path makes them (src/switchman/records/recorder.ts and
// zookeeper-records.ts), in process, over real files and an in-memory ZooKeeper store: what a
// short run, a longer run and a skip leave, and how many requests the fleet record costs. The
// same against the real switchman and ZooKeeper: test/system/switchman/records/ and
// test/system/switchman/zookeeper/records.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobDir } from "../../../src/switchman/records/host-state.js";
import { parseFleetRecord, parseHostRecord, type HostRecord, type RunFinish, type StartFacts } from "../../../src/switchman/records/record.js";
import { RunRecorder, type FinishFacts, type RecordsSettings } from "../../../src/switchman/records/recorder.js";
import { FleetRecordWriter, StoreError, runPath, runsPath, type RecordStore } from "../../../src/switchman/records/zookeeper-records.js";

const uid = process.geteuid?.() ?? 0;

async function withDirs(body: (dirs: { state: string; textfiles: string }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "switchman-recorder-"));
  try {
    const state = join(dir, "state");
    const textfiles = join(dir, "textfiles");
    mkdirSync(state, { mode: 0o1777 });
    mkdirSync(textfiles);
    await body({ state, textfiles });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function settings(dirs: { state: string; textfiles: string }, extra: Partial<RecordsSettings> = {}): RecordsSettings {
  return { stateDir: dirs.state, journalMaxBytes: 1 << 20, textfileDir: dirs.textfiles, textfileDirIsDefault: false, timeoutMs: 2000, ...extra };
}

const identity = { lockname: "job", package: "pkg", group: "grp", host: "box1.example.com", pid: 4242 };

const success: FinishFacts = { outcome: "success", status: 0, exitCode: 0, signal: null, wallS: 0.01, userS: 0, systemS: 0, peakRssKiB: 1000, killed: false };

/** The sequence files of the job's host record, oldest first. */
function published(state: string): number[] {
  const dir = jobDir(join(state, String(uid)), identity.lockname);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d+\.json$/.test(f))
    .map((f) => parseInt(f, 10))
    .sort((a, b) => a - b);
}

function newest(state: string): HostRecord | undefined {
  const seq = published(state).at(-1);
  return seq === undefined ? undefined : parseHostRecord(readFileSync(join(jobDir(join(state, String(uid)), identity.lockname), `${seq}.json`)));
}

function journal(state: string): Record<string, unknown>[] {
  const path = join(state, String(uid), "journal.jsonl");
  // The file exists, empty, between the append's open and its write.
  const lines = existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "") : [];
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

function warningsInto(list: string[]): (level: "debug" | "warning", message: string) => void {
  return (level, message) => {
    if (level === "warning") list.push(message);
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test("a run shorter than the START's delay: nothing local while it runs, then START and FINISH in the journal and one update of the host record and textfile", async () => {
  await withDirs(async (dirs) => {
    const warnings: string[] = [];
    // A delay no loaded machine reaches here (the default, 1 s, is START_RECORD_DELAY_MS).
    const recorder = new RunRecorder(settings(dirs, { startRecordDelayMs: 60_000 }), identity, warningsInto(warnings));
    recorder.start();
    await sleep(50); // what an immediate START would have written by now
    assert.deepEqual(journal(dirs.state), [], "no journal line while the START waits");
    assert.deepEqual(published(dirs.state), [], "no host record while the START waits");
    await recorder.finish(success);
    assert.deepEqual(warnings, []);
    assert.deepEqual(published(dirs.state), [1], "one update for the whole run");
    const record = newest(dirs.state);
    assert.equal(record?.runs, 1);
    assert.equal(record?.start?.run, recorder.run);
    assert.equal(record?.finish?.run, recorder.run);
    assert.equal(record?.start?.host, identity.host);
    assert.deepEqual(journal(dirs.state).map((l) => [l.event, l.run]), [["start", recorder.run], ["finish", recorder.run]]);
    const text = readFileSync(join(dirs.textfiles, `switchman-${uid}-job.prom`), "utf8");
    assert.match(text, /^switchman_job_runs_total\{package="pkg",lockname="job",user="[^"]+"\} 1$/m);
    assert.match(text, /^switchman_job_last_start_timestamp_seconds\{[^}]*\} \d+\.\d{3}$/m);
    assert.match(text, /^switchman_job_last_exit_code\{[^}]*\} 0$/m);
  });
});

test("a longer run: the START's host record and textfile are written once the delay is over, the FINISH's after them", async () => {
  await withDirs(async (dirs) => {
    const warnings: string[] = [];
    const recorder = new RunRecorder(settings(dirs, { startRecordDelayMs: 20 }), identity, warningsInto(warnings));
    recorder.start();
    const textfile = join(dirs.textfiles, `switchman-${uid}-job.prom`);
    await waitFor(() => published(dirs.state).length === 1 && existsSync(textfile)); // the textfile follows the record
    const running = newest(dirs.state);
    assert.deepEqual([running?.runs, running?.start?.run, running?.finish], [1, recorder.run, undefined], "a run under way");
    assert.deepEqual(journal(dirs.state).map((l) => [l.event, l.run]), [["start", recorder.run]], "the START's journal line before its host record");
    assert.match(readFileSync(textfile, "utf8"), /^switchman_job_runs_total\{[^}]*\} 1$/m);
    await recorder.finish({ ...success, outcome: "failure", status: 3, exitCode: 3 });
    assert.deepEqual(warnings, []);
    assert.deepEqual(published(dirs.state), [1, 2]);
    assert.deepEqual(journal(dirs.state).map((l) => l.event), ["start", "finish"]);
    const done = newest(dirs.state);
    assert.deepEqual([done?.runs, done?.failures, done?.finish?.run, done?.finish?.status], [1, 1, recorder.run, 3], "START counted once");
  });
});

test("the START's delayed update never runs after the FINISH (a FINISH just before the timer)", async () => {
  await withDirs(async (dirs) => {
    const recorder = new RunRecorder(settings(dirs, { startRecordDelayMs: 30 }), identity, () => undefined);
    recorder.start();
    await recorder.finish(success);
    await sleep(60); // past the delay: a timer left behind would add a second START now
    assert.deepEqual(published(dirs.state), [1]);
    assert.equal(newest(dirs.state)?.runs, 1);
    assert.deepEqual(journal(dirs.state).map((l) => l.event), ["start", "finish"]);
  });
});

test("a skip: one journal line, the counter, the textfile; every record off: nothing at all", async () => {
  await withDirs(async (dirs) => {
    const recorder = new RunRecorder(settings(dirs), identity, () => undefined);
    await recorder.skip("not-in-group", "box1.example.com is not in group grp");
    assert.deepEqual(journal(dirs.state).map((l) => [l.event, l.reason]), [["skip", "not-in-group"]]);
    assert.deepEqual(newest(dirs.state)?.skips, { "not-in-group": 1, "lock-held": 0, "wait-timeout": 0 });
    assert.match(readFileSync(join(dirs.textfiles, `switchman-${uid}-job.prom`), "utf8"), /^switchman_job_skips_total\{[^}]*reason="not-in-group"\} 1$/m);

    const off = new RunRecorder(settings(dirs, { stateDir: false, textfileDir: false }), { ...identity, lockname: "off" }, () => undefined);
    await off.skip("lock-held", "held");
    off.start();
    await off.finish(success);
    assert.deepEqual(readdirSync(join(dirs.state, String(uid), "jobs")), ["job"], "nothing of the run with every record off");
    assert.equal(journal(dirs.state).length, 1);
  });
});

// ---------------------------------------------------------------------------------------------
// The fleet record over an in-memory store that behaves as ZooKeeper does for these calls.

class MemoryStore implements RecordStore {
  readonly nodes = new Map<string, { data: Buffer; version: number }>([["/p", { data: Buffer.alloc(0), version: 0 }]]);
  readonly calls: string[] = [];
  /** Errors to throw, first come first served, for calls named like `getData`. */
  readonly failNext: { call: string; code: StoreError["code"] }[] = [];

  private fail(call: string): void {
    const index = this.failNext.findIndex((f) => f.call === call);
    if (index < 0) return;
    const [failure] = this.failNext.splice(index, 1);
    throw new StoreError(`${call}: ${failure?.code}`, failure?.code ?? "OTHER");
  }

  getData(path: string): Promise<{ data: Buffer | undefined; version: number }> {
    this.calls.push("getData");
    return Promise.resolve().then(() => {
      this.fail("getData");
      const node = this.nodes.get(path);
      if (node === undefined) throw new StoreError("no node", "NO_NODE");
      return { data: node.data, version: node.version };
    });
  }

  create(path: string, data: Buffer): Promise<void> {
    this.calls.push("create");
    return Promise.resolve().then(() => {
      this.fail("create");
      if (this.nodes.has(path)) throw new StoreError("exists", "NODE_EXISTS");
      if (!this.nodes.has(path.slice(0, path.lastIndexOf("/")))) throw new StoreError("no parent", "NO_NODE");
      this.nodes.set(path, { data, version: 0 });
    });
  }

  setData(path: string, data: Buffer, version: number): Promise<number> {
    this.calls.push("setData");
    return Promise.resolve().then(() => {
      this.fail("setData");
      const node = this.nodes.get(path);
      if (node === undefined) throw new StoreError("no node", "NO_NODE");
      if (version !== -1 && version !== node.version) throw new StoreError("bad version", "BAD_VERSION");
      node.data = data;
      node.version += 1;
      return node.version;
    });
  }
}

const start = (run: string): StartFacts => ({ at: new Date().toISOString(), host: "box1.example.com", pid: 1, run, user: "root" });
const finish = (run: string): RunFinish => ({
  ...start(run),
  outcome: "success",
  status: 0,
  exit: 0,
  signal: null,
  wall_s: 0.01,
  user_s: 0,
  sys_s: 0,
  maxrss_kib: 100,
  killed: false,
});

function writer(store: MemoryStore, warnings: string[]): FleetRecordWriter {
  return new FleetRecordWriter({ store, prefix: "/p", lockname: "job", timeoutMs: 2000, log: warningsInto(warnings) });
}

test("fleet record: the previous record is read when the writer is made, so START is one write; two writes per run", async () => {
  const store = new MemoryStore();
  const warnings: string[] = [];
  const first = writer(store, warnings);
  assert.deepEqual(store.calls, ["getData"], "read at once, before start()");
  await first.start(start("r1"));
  await first.finish(finish("r1"));
  assert.deepEqual(store.calls, ["getData", "create", "create", "create", "setData"], "a first run creates <prefix>/runs and then the record");
  store.calls.length = 0;
  const second = writer(store, warnings);
  await sleep(0);
  await second.start(start("r2"));
  assert.deepEqual(store.calls, ["getData", "setData"], "START: the early read and one write");
  await second.finish(finish("r2"));
  assert.deepEqual(store.calls, ["getData", "setData", "setData"]);
  assert.deepEqual(warnings, []);
  const node = store.nodes.get(runPath("/p", "job"));
  const record = parseFleetRecord(node?.data);
  assert.deepEqual([node?.version, record?.runs, record?.start?.run, record?.finish?.run], [3, 2, "r2", "r2"]);
  assert.ok(store.nodes.has(runsPath("/p")));
});

test("fleet record: a record changed after the early read is read again, and the FINISH is conditional on the START written", async () => {
  const store = new MemoryStore();
  const warnings: string[] = [];
  const done = writer(store, warnings);
  await done.start(start("old"));
  const next = writer(store, warnings); // reads the record with old's START
  await done.finish(finish("old")); // old's FINISH lands after that read
  store.calls.length = 0;
  await next.start(start("new"));
  assert.deepEqual(store.calls, ["setData", "getData", "setData"], "the early read's version was stale: read again, then written");
  await next.finish(finish("new"));
  assert.deepEqual(warnings, []);
  const record = parseFleetRecord(store.nodes.get(runPath("/p", "job"))?.data);
  assert.deepEqual([record?.runs, record?.start?.run, record?.finish?.run], [2, "new", "new"], "old's FINISH was read again, not lost");
});

test("fleet record: an early read that failed is made again by START", async () => {
  const store = new MemoryStore();
  store.failNext.push({ call: "getData", code: "CONNECTION_LOSS" });
  const warnings: string[] = [];
  const run = writer(store, warnings);
  await run.start(start("r"));
  await run.finish(finish("r"));
  assert.deepEqual(warnings, []);
  assert.equal(store.calls.filter((c) => c === "getData").length, 2);
  assert.equal(parseFleetRecord(store.nodes.get(runPath("/p", "job"))?.data)?.finish?.run, "r");
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(5);
  }
}
