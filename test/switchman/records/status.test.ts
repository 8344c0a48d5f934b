// `switchman --status` from the records (src/switchman/records/status-*.ts): the readers over a
// state directory, and the table and JSON printers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { updateHostRecord } from "../../../src/switchman/records/host-state.js";
import { emptyFleetRecord, hostWithFinish, hostWithSkip, withFinish, withStart, type RunFinish, type StartFacts } from "../../../src/switchman/records/record.js";
import { fleetTable, hostTable, statusJson } from "../../../src/switchman/records/status-format.js";
import { readFleetRecords, readHostRecords, type FleetReader } from "../../../src/switchman/records/status-read.js";
import { StoreError } from "../../../src/switchman/records/zookeeper-records.js";

const iso = (d: Date): string => d.toISOString().slice(0, 19).replace("T", " ");
const start = (run: string, at: string): StartFacts => ({ at, host: "box1.example.com", pid: 1, run, user: "root", package: "pkg" });
const finish = (run: string, at: string, outcome: RunFinish["outcome"], status: number): RunFinish => ({
  at, host: "box1.example.com", pid: 1, run, outcome, status, exit: status, signal: null, wall_s: 75.5, user_s: 1, sys_s: 0, maxrss_kib: 2048, killed: outcome === "timeout",
});

test("fleet table: the last start, the result or running, duration, memory, success, streak, runs", () => {
  let done = withStart(emptyFleetRecord(), start("a", "2026-11-28T05:00:00.000Z"));
  done = withFinish(done, finish("a", "2026-11-28T05:01:15.500Z", "timeout", 124));
  const running = withStart(done, start("b", "2026-11-28T06:00:00.000Z"));
  const text = fleetTable("/p", [
    { lockname: "done-job", record: done },
    { lockname: "running-job", record: running },
    { lockname: "asked-for", record: null },
  ], iso);
  const [header, ...rows] = text.trimEnd().split("\n");
  assert.match(header ?? "", /^LOCKNAME\s+PACKAGE\s+LAST START\s+HOST\s+RESULT\s+DURATION\s+PEAK RSS\s+LAST SUCCESS\s+FAILING\s+RUNS$/);
  assert.match(rows[0] ?? "", /^done-job\s+pkg\s+2026-11-28 05:00:00\s+box1\.example\.com\s+timeout \(124\) killed\s+1m16s\s+2\.0 MiB\s+-\s+1\s+1$/);
  assert.match(rows[1] ?? "", /^running-job\s+.*\s+running\s+1m16s/);
  assert.match(rows[2] ?? "", /^asked-for\s+-\s+never/);
  assert.equal(fleetTable("/p", [], iso), "no run records under /p/runs\n");
  const json = JSON.parse(statusJson({ source: "zookeeper", prefix: "/p" }, [{ lockname: "done-job", record: done }])) as { v: number; source: string; records: { record: { finish: { status: number } } }[] };
  assert.deepEqual([json.v, json.source, json.records[0]?.record.finish.status], [1, "zookeeper", 124]);
});

test("host records of every user in a state directory, with skips", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchman-status-"));
  try {
    await updateHostRecord(join(dir, "0"), "b-job", (r) => hostWithFinish(withStart(r, start("x", "2026-11-28T05:00:00.000Z")), finish("x", "2026-11-28T05:00:01.000Z", "success", 0)));
    await updateHostRecord(join(dir, "33"), "b-job", (r) => hostWithSkip(hostWithSkip(r, "lock-held", "t"), "not-in-group", "t"));
    await updateHostRecord(join(dir, "33"), "a-job", (r) => hostWithSkip(r, "not-in-group", "t"));
    const all = await readHostRecords(dir, []);
    assert.deepEqual(all.map((e) => [e.lockname, e.uid]), [["a-job", 33], ["b-job", 0], ["b-job", 33]]);
    const some = await readHostRecords(dir, ["b-job", "nope"]);
    assert.deepEqual(some.map((e) => [e.lockname, e.uid, e.record === null]), [["b-job", 0, false], ["b-job", 33, false], ["nope", null, true]]);
    const rows = hostTable(dir, all, iso).trimEnd().split("\n");
    assert.match(rows[0] ?? "", /^LOCKNAME\s+USER\s+PACKAGE.*RUNS\s+SKIPS \(group\/lock\)$/);
    assert.match(rows[2] ?? "", /^b-job\s+root\s+pkg\s+2026-11-28 05:00:00.*success \(0\).*\s1\s+0\/0$/);
    assert.match(rows[3] ?? "", /^b-job\s+uid 33\s+-\s+never.*\s1\/1$/);
    assert.deepEqual(await readHostRecords(join(dir, "missing"), []), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fleet reader: all children, or the names asked for (null when missing)", async () => {
  const nodes = new Map<string, Buffer>([["/p/runs/a", Buffer.from(JSON.stringify(withStart(emptyFleetRecord(), start("r", "t"))))], ["/p/runs/junk", Buffer.from("nope")]]);
  const reader: FleetReader = {
    async getChildren(path) {
      if (path !== "/p/runs") throw new StoreError("no node", "NO_NODE");
      return ["junk", "a"];
    },
    async getData(path) {
      const data = nodes.get(path);
      if (data === undefined) throw new StoreError("no node", "NO_NODE");
      return { data, version: 0 };
    },
  };
  assert.deepEqual((await readFleetRecords(reader, "/p", [], 1000)).map((e) => e.lockname), ["a"], "an unparsable node is skipped");
  assert.deepEqual((await readFleetRecords(reader, "/p", ["b", "a"], 1000)).map((e) => [e.lockname, e.record === null]), [["a", false], ["b", true]]);
  assert.deepEqual(await readFleetRecords(reader, "/other", [], 1000), []);
});
