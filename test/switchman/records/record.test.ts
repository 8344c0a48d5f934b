// Run records as data (src/switchman/records/record.ts): transitions, parsing, size limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  isoTimestamp,
  FLEET_RECORD_MAX_BYTES,
  JOURNAL_LINE_MAX_BYTES,
  emptyFleetRecord,
  emptyHostRecord,
  hostWithFinish,
  hostWithSkip,
  journalLine,
  outcomeOf,
  parseFleetRecord,
  parseHostRecord,
  recordFileName,
  serializeFleetRecord,
  withFinish,
  withStart,
  type RunFinish,
  type StartFacts,
} from "../../../src/switchman/records/record.js";
import { randomHex } from "../../../src/switchman/records/random-id.js";

const start = (run: string, extra: Partial<StartFacts> = {}): StartFacts => ({
  at: "2026-11-28T05:41:33.000Z",
  host: "box1.example.com",
  pid: 4242,
  run,
  user: "root",
  package: "my-scripts",
  group: "scripts",
  ...extra,
});

const finish = (run: string, outcome: RunFinish["outcome"], status: number, at = "2026-11-28T05:41:34.059Z"): RunFinish => ({
  at,
  host: "box1.example.com",
  pid: 4242,
  run,
  outcome,
  status,
  exit: outcome === "success" || outcome === "failure" ? status : null,
  signal: outcome === "signal" ? "SIGKILL" : null,
  wall_s: 1.059,
  user_s: 0.22,
  sys_s: 0.09,
  maxrss_kib: 164140,
  killed: false,
});

test("a START counts a run and replaces the start; a FINISH tracks success and the failure streak", () => {
  let record = withStart(emptyFleetRecord(), start("a"));
  assert.equal(record.runs, 1);
  assert.equal(record.start?.run, "a");
  assert.equal(record.package, "my-scripts");
  record = withFinish(record, finish("a", "failure", 3));
  assert.equal(record.consecutive_failures, 1);
  assert.equal(record.last_success, undefined);
  record = withFinish(withStart(record, start("b")), finish("b", "timeout", 124));
  assert.equal(record.consecutive_failures, 2);
  record = withFinish(withStart(record, start("c", { package: undefined })), finish("c", "success", 0, "2026-11-28T06:00:00.000Z"));
  assert.deepEqual([record.runs, record.consecutive_failures, record.last_success, record.package], [3, 0, "2026-11-28T06:00:00.000Z", undefined]);
});

test("host records count failures and skips by reason", () => {
  let record = emptyHostRecord("job");
  record = hostWithSkip(record, "lock-held", "2026-11-28T05:00:00.000Z");
  record = hostWithSkip(record, "lock-held", "2026-11-28T05:01:00.000Z");
  record = hostWithSkip(record, "not-in-group", "2026-11-28T05:02:00.000Z");
  record = hostWithFinish(withStart(record, start("a")), finish("a", "lost", 70));
  record = hostWithFinish(withStart(record, start("b")), finish("b", "success", 0));
  assert.deepEqual(record.skips, { "not-in-group": 1, "lock-held": 2, "wait-timeout": 0 });
  assert.deepEqual(record.last_skip, { at: "2026-11-28T05:02:00.000Z", reason: "not-in-group" });
  assert.deepEqual([record.runs, record.failures, record.consecutive_failures], [2, 1, 0]);
  assert.deepEqual(parseHostRecord(JSON.stringify(record)), record, "what is written reads back the same");
});

test("outcome: the first cause that applies", () => {
  const base = { lost: false, timedOut: false, signal: null, exitCode: 0 };
  assert.equal(outcomeOf(base), "success");
  assert.equal(outcomeOf({ ...base, exitCode: 3 }), "failure");
  assert.equal(outcomeOf({ ...base, exitCode: null, signal: "SIGSEGV" }), "signal");
  assert.equal(outcomeOf({ ...base, exitCode: null, signal: "SIGTERM", timedOut: true }), "timeout");
  assert.equal(outcomeOf({ ...base, exitCode: null, signal: "SIGTERM", timedOut: true, lost: true }), "lost");
  assert.equal(outcomeOf({ ...base, startError: "setpriv not found", lost: true }), "error");
});

test("parsing refuses what is not a record and keeps what it knows", () => {
  for (const bad of [undefined, "", "not json", "[]", "{}", '{"v":0}', '{"v":"1"}', "null"]) assert.equal(parseFleetRecord(bad), undefined, String(bad));
  const later = parseFleetRecord(JSON.stringify({ v: 2, runs: 5, consecutive_failures: 1, future: { x: 1 }, start: { at: "t", host: "h", pid: 1, run: "r" } }));
  assert.deepEqual(later, { v: 2, runs: 5, consecutive_failures: 1, start: { at: "t", host: "h", pid: 1, run: "r", user: "" } });
  const wrongTypes = parseFleetRecord(JSON.stringify({ v: 1, runs: -1, consecutive_failures: 1.5, finish: { outcome: "bogus" } }));
  assert.deepEqual(wrongTypes, { v: 1, runs: 0, consecutive_failures: 0 });
  assert.equal(parseHostRecord(JSON.stringify({ v: 1, runs: 1 })), undefined, "a host record names its job");
});

test("the fleet record stays within 1 KB even with the longest names, and stays valid JSON", () => {
  const host = `${"h".repeat(61)}.${"e".repeat(61)}.${"x".repeat(61)}.${"a".repeat(61)}.com`.slice(0, 253);
  let record = withStart(emptyFleetRecord(), start("0123456789abcdef", { host, package: "p".repeat(300), group: "g".repeat(300), build: "b".repeat(200), timeout_s: 7200 }));
  record = withFinish(record, { ...finish("0123456789abcdef", "signal", 137), host });
  const bytes = serializeFleetRecord(record);
  assert.ok(bytes.length <= FLEET_RECORD_MAX_BYTES, `${bytes.length} bytes`);
  const back = parseFleetRecord(bytes);
  assert.equal(back?.start?.run, "0123456789abcdef", "the run id is never cut");
  assert.equal(back?.finish?.status, 137);
  assert.ok(back?.group?.endsWith("…"));
  // A record with ordinary names is written as it is.
  const plain = withFinish(withStart(emptyFleetRecord(), start("r")), finish("r", "success", 0));
  assert.deepEqual(parseFleetRecord(serializeFleetRecord(plain)), plain);
});

test("journal lines: one line, below PIPE_BUF, with the event's fields", () => {
  const identity = { lockname: "l".repeat(512), package: "p", group: "g", host: "box1", pid: 7, user: "www-data" };
  const skip = journalLine(identity, { event: "skip", at: "2026-11-28T05:00:00.000Z", reason: "lock-held", detail: "x\n".repeat(5000) });
  assert.ok(Buffer.byteLength(skip) <= JOURNAL_LINE_MAX_BYTES + 1, `${Buffer.byteLength(skip)} bytes`);
  assert.equal(skip.indexOf("\n"), skip.length - 1, "exactly one newline, at the end");
  const parsed = JSON.parse(skip) as Record<string, unknown>;
  assert.equal(parsed.lockname, identity.lockname, "the lock name is never cut");
  assert.equal(parsed.event, "skip");
  assert.equal(parsed.reason, "lock-held");
  const done = JSON.parse(journalLine(identity, { event: "finish", at: "t", finish: finish("r", "timeout", 124) })) as Record<string, unknown>;
  assert.deepEqual([done.event, done.outcome, done.status, done.run, done.user, done.user_s], ["finish", "timeout", 124, "r", "www-data", 0.22]);
});

test("record file names: the lock name, or a bounded name with a digest", () => {
  assert.equal(recordFileName("foo.pl-mod-2"), "foo.pl-mod-2");
  const long = recordFileName("a".repeat(512));
  assert.ok(long.length <= 200 && long.includes("~"));
  assert.notEqual(recordFileName(`${"a".repeat(511)}b`), long, "different long names, different files");
});

test("timestamps: the text of toISOString, without its time zone lookup", () => {
  const cases = [0, 1, 999, 1000, Date.UTC(2026, 11, 2, 6, 58, 12, 7), Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(12, 0, 1), -1, Date.UTC(10000, 0, 1), -62198755200001];
  for (const ms of cases) assert.equal(isoTimestamp(ms), new Date(ms).toISOString(), String(ms));
  assert.match(isoTimestamp(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test("random ids: 2 hex digits a byte, and a fresh value every time", () => {
  for (const bytes of [1, 4, 8, 9]) assert.match(randomHex(bytes), new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
  const seen = new Set(Array.from({ length: 1000 }, () => randomHex(8)));
  assert.equal(seen.size, 1000);
});
