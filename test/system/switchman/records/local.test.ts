// Run records of the real switchman in local mode (docs/switchman-records.md): host records,
// journal and Prometheus textfile after success, failure, signal death, timeout kill and a lost
// group; skips recorded without a START; --status; 50 concurrent starters; any job user; and a
// record that cannot be written never changes the job.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseHostRecord, recordFileName, type HostRecord } from "../../../../src/switchman/records/record.js";
import { NodeExporter, parseSamples, promtoolCheck, valueOf } from "../../../helpers/node-exporter.js";
import { builtBin, switchmanBin } from "../../../helpers/paths.js";
import { requireTools, runSwitchman, sandbox, startSwitchman, waitFor, type Sandbox } from "../../../helpers/switchman.js";

const HOST = "box1.example.com";
let box: Sandbox;
let state: string;
let textfiles: string;
let exporter: NodeExporter;

before(async () => {
  requireTools();
  builtBin(switchmanBin);
  box = sandbox();
  chmodSync(box.dir, 0o755); // other job users reach the state directory through it
  state = join(box.dir, "state");
  textfiles = join(box.dir, "textfiles");
  mkdirSync(textfiles);
  writeRecordsConfig();
  exporter = await NodeExporter.start(textfiles);
});
after(async () => {
  await exporter?.stop();
  box?.cleanup();
});

function writeRecordsConfig(extra: Record<string, unknown> = {}): void {
  box.writeConfig({ state_dir: state, textfile_dir: textfiles, groups: { g: HOST }, ...extra });
}

/** The newest host record of `lockname` for `uid`. */
function hostRecord(lockname: string, uid = 0): HostRecord | undefined {
  const dir = join(state, String(uid), "jobs", recordFileName(lockname));
  if (!existsSync(dir)) return undefined;
  const newest = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).sort((a, b) => parseInt(b) - parseInt(a))[0];
  return newest === undefined ? undefined : parseHostRecord(readFileSync(join(dir, newest)));
}

/** The journal lines of `uid` (both generations), parsed. */
function journal(uid = 0): Record<string, unknown>[] {
  const lines: string[] = [];
  for (const file of ["journal.jsonl.1", "journal.jsonl"]) {
    const path = join(state, String(uid), file);
    if (existsSync(path)) lines.push(...readFileSync(path, "utf8").split("\n").filter((l) => l !== ""));
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

const run = (lockname: string, command: string[], extra: string[] = []) =>
  runSwitchman(["--config", box.config, "--group", "g", "--lockname", lockname, ...extra, "--", ...command], { host: HOST });

test("success, failure, signal death and a timeout kill: START and FINISH in the host record, the journal and the textfile", async () => {
  writeRecordsConfig({ termination_timeout: 1 });
  const cases = [
    { lockname: "ok", command: ["sh", "-c", "exit 0"], status: 0, outcome: "success" },
    { lockname: "fails", command: ["sh", "-c", "exit 3"], status: 3, outcome: "failure" },
    { lockname: "segv", command: ["sh", "-c", "kill -SEGV $$"], status: 139, outcome: "signal" },
    { lockname: "slow", command: ["sleep", "30"], extra: ["--timeout", "1s"], status: 124, outcome: "timeout" },
    { lockname: "stubborn", command: ["sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30"], extra: ["--timeout", "1s"], status: 124, outcome: "timeout", killed: true },
  ];
  for (const c of cases) {
    const result = await run(c.lockname, c.command, c.extra);
    assert.equal(result.code, c.status, `${c.lockname}: ${result.stderr}`);
    const record = hostRecord(c.lockname);
    assert.equal(record?.runs, 1, c.lockname);
    assert.equal(record?.start?.run, record?.finish?.run, `${c.lockname}: FINISH belongs to its START`);
    assert.deepEqual([record?.finish?.outcome, record?.finish?.status, record?.finish?.killed], [c.outcome, c.status, c.killed === true], c.lockname);
    assert.equal(record?.failures, c.outcome === "success" ? 0 : 1);
    if (c.outcome === "signal") assert.equal(record?.finish?.signal, "SIGSEGV");
    if (c.outcome === "timeout") {
      assert.equal(record?.start?.timeout_s, 1);
      assert.match(result.stderr, /warning: timeout: CMD ran longer than 1s \(--timeout\)/);
      assert.match(result.stderr, /exit 124: CMD was stopped at its time limit \(--timeout 1s\)/);
      assert.ok(result.ms < (c.killed ? 6000 : 5000), `${c.lockname} took ${result.ms} ms`);
    } else assert.equal(result.stderr, "", `${c.lockname}: no record trouble on stderr`);
    const lines = journal().filter((l) => l.lockname === c.lockname);
    assert.deepEqual(lines.map((l) => l.event), ["start", "finish"]);
    assert.equal(lines[1]?.outcome, c.outcome);
    const file = join(textfiles, `switchman-0-${c.lockname}.prom`);
    const lint = promtoolCheck(readFileSync(file, "utf8"));
    assert.equal(lint.status, 0, lint.output);
  }
  const samples = parseSamples(await exporter.scrape());
  assert.equal(valueOf(samples, "node_textfile_scrape_error"), 0);
  const job = (lockname: string) => ({ package: "g", lockname, user: "root" });
  assert.equal(valueOf(samples, "switchman_job_last_exit_code", job("fails")), 3);
  assert.equal(valueOf(samples, "switchman_job_last_exit_code", job("segv")), 139);
  assert.equal(valueOf(samples, "switchman_job_last_exit_code", job("stubborn")), 124);
  assert.equal(valueOf(samples, "switchman_job_failures_total", job("slow")), 1);
  assert.equal(valueOf(samples, "switchman_job_runs_total", job("ok")), 1);
  assert.ok((valueOf(samples, "switchman_job_last_success_timestamp_seconds", job("ok")) ?? 0) > Date.now() / 1000 - 120);
  assert.equal(valueOf(samples, "switchman_job_last_success_timestamp_seconds", job("fails")), undefined);
  assert.ok((valueOf(samples, "switchman_job_last_duration_seconds", job("slow")) ?? 0) >= 1);
  assert.ok((valueOf(samples, "switchman_job_last_peak_rss_bytes", job("slow")) ?? 0) > 100_000, "sleep's peak memory, in bytes");
  writeRecordsConfig();
});

test("a lost group (exit 70) is recorded as lost", async () => {
  const running = startSwitchman(["--config", box.config, "--group", "g", "--lockname", "lost", "--", "sleep", "30"], { host: HOST });
  await waitFor("START in the journal", () => journal().some((l) => l.lockname === "lost" && l.event === "start"));
  writeRecordsConfig({ groups: { g: "box2.example.com" } });
  const result = await running.done;
  writeRecordsConfig();
  assert.equal(result.code, 70, result.stderr);
  const record = hostRecord("lost");
  assert.deepEqual([record?.finish?.outcome, record?.finish?.status, record?.consecutive_failures], ["lost", 70, 1]);
});

test("skips leave a journal line and a counter, never a START", async () => {
  const other = await runSwitchman(["--config", box.config, "--group", "g", "--lockname", "skipper", "--", "true"], { host: "box9.example.com" });
  assert.equal(other.code, 0);
  assert.equal(other.stderr, "");
  const holder = startSwitchman(["--config", box.config, "--group", "g", "--lockname", "skipper", "--", "sleep", "3"], { host: HOST });
  await waitFor("the holder's START", () => journal().some((l) => l.lockname === "skipper" && l.event === "start"));
  const held = await run("skipper", ["true"]);
  assert.equal(held.code, 0);
  assert.equal(held.stderr, "", "a held lock is still not worth a cron mail");
  await holder.done;
  const record = hostRecord("skipper");
  assert.deepEqual(record?.skips, { "not-in-group": 1, "lock-held": 1, "wait-timeout": 0 });
  assert.equal(record?.runs, 1, "only the holder's run");
  const events = journal().filter((l) => l.lockname === "skipper").map((l) => `${l.event}${l.reason ? `:${l.reason}` : ""}`);
  assert.deepEqual(events, ["skip:not-in-group", "start", "skip:lock-held", "finish"]);
});

test("--status prints this host's records as a table and as JSON", async () => {
  const table = await runSwitchman(["--config", box.config, "--status", "ok", "fails", "never-ran"], { host: HOST });
  assert.equal(table.code, 0, table.stderr);
  const rows = table.stdout.trimEnd().split("\n");
  assert.match(rows[0] ?? "", /^LOCKNAME\s+USER\s+PACKAGE\s+LAST START/);
  assert.match(rows.find((r) => r.startsWith("fails")) ?? "", /^fails\s+root\s+g\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+box1\.example\.com\s+failure \(3\)/);
  assert.match(rows.find((r) => r.startsWith("never-ran")) ?? "", /^never-ran\s+-\s+-\s+never/);
  const json = await runSwitchman(["--config", box.config, "--status", "--format", "json", "ok"], { host: HOST });
  const parsed = JSON.parse(json.stdout) as { source: string; records: { lockname: string; uid: number; record: HostRecord }[] };
  assert.equal(parsed.source, "local");
  assert.deepEqual(parsed.records.map((r) => [r.lockname, r.uid, r.record.finish?.outcome]), [["ok", 0, "success"]]);
  const bad = await runSwitchman(["--config", box.config, "--status", "--group", "g"], { host: HOST });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--group does not go with --status/);
});

test("50 concurrent starters: no journal line interleaved, counters exact, the cap holds", async () => {
  const cap = 64 * 1024;
  writeRecordsConfig({ journal_max_bytes: cap });
  const long = (i: number) => `distinct-${i}-${"x".repeat(215)}`; // above 200: a shortened record name; below 255: a lock file name
  const starters = Array.from({ length: 50 }, (_, i) =>
    i % 2 === 0
      ? startSwitchman(["--config", box.config, "--group", "g", "--lockname", "shared", "--", "sleep", "2"], { host: HOST })
      : startSwitchman(["--config", box.config, "--group", "g", "--lockname", long(i), "--", "true"], { host: HOST }),
  );
  const results = await Promise.all(starters.map((s) => s.done));
  writeRecordsConfig();
  assert.deepEqual(results.map((r) => r.code), results.map(() => 0), results.map((r) => r.stderr).join(""));
  const shared = hostRecord("shared");
  assert.equal((shared?.runs ?? 0) + (shared?.skips["lock-held"] ?? 0), 25, "every shared starter counted once");
  assert.ok((shared?.runs ?? 0) >= 1);
  for (let i = 1; i < 50; i += 2) assert.equal(hostRecord(long(i))?.finish?.outcome, "success", long(i));
  // Every line of both generations parses and belongs to a known job: nothing interleaved.
  const total = statSync(join(state, "0", "journal.jsonl")).size + (existsSync(join(state, "0", "journal.jsonl.1")) ? statSync(join(state, "0", "journal.jsonl.1")).size : 0);
  const lines = journal();
  for (const line of lines) assert.ok(typeof line.lockname === "string" && typeof line.event === "string");
  assert.ok(total <= cap + 50 * 1100, `${total} bytes with a cap of ${cap}`);
  console.log(`# 50 starters: ${shared?.runs} run(s) and ${shared?.skips["lock-held"]} skip(s) of the shared lock, journal ${total} bytes (cap ${cap}), ${lines.length} lines`);
});

test("a job user other than root gets its own state directory, and the job runs when records cannot be written", async () => {
  chmodSync(state, 0o1777);
  chmodSync(textfiles, 0o755); // www-data may not write here: one warning a day, the job runs
  chmodSync(box.config, 0o644);
  const asWwwData = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn("setpriv", ["--reuid=33", "--regid=33", "--clear-groups", "--", process.execPath, switchmanBin, ...args], {
        env: { PATH: "/usr/bin:/bin", SWITCHMAN_HOSTNAME: HOST },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
      child.on("close", (code) => resolve({ code, stderr }));
    });
  writeRecordsConfig({ lockdir: join(box.dir, "userlocks"), logfile: join(box.dir, "www.log") });
  mkdirSync(join(box.dir, "userlocks"), { mode: 0o755 });
  chmodSync(join(box.dir, "userlocks"), 0o1777);
  const first = await asWwwData(["--config", box.config, "--group", "g", "--lockname", "www", "--", "sh", "-c", "exit 5"]);
  assert.equal(first.code, 5, first.stderr);
  assert.match(first.stderr, /cannot write the Prometheus textfile in .* as user www-data \(uid 33\).*setfacl -m u:www-data:rwx .*once a day/);
  const second = await asWwwData(["--config", box.config, "--group", "g", "--lockname", "www", "--", "sh", "-c", "exit 5"]);
  assert.equal(second.code, 5);
  assert.doesNotMatch(second.stderr, /warning: .*textfile/, "the textfile warning comes once a day, not on every run");
  const own = join(state, "33");
  assert.equal(statSync(own).uid, 33);
  assert.equal(statSync(own).mode & 0o7777, 0o755);
  assert.deepEqual([hostRecord("www", 33)?.runs, hostRecord("www", 33)?.finish?.status], [2, 5]);
  assert.deepEqual(journal(33).map((l) => l.user), ["www-data", "www-data", "www-data", "www-data"]);

  // A state directory that is a file, and an explicit textfile directory that is missing: warnings, same exit status.
  const notDir = join(box.dir, "not-a-dir");
  writeFileSync(notDir, "");
  writeRecordsConfig({ state_dir: notDir, textfile_dir: join(box.dir, "missing") });
  const broken = await run("broken", ["sh", "-c", "exit 7"]);
  writeRecordsConfig();
  assert.equal(broken.code, 7);
  assert.match(broken.stderr, /warning: run records: .*not-a-dir.*the job runs without journal, host record and metrics/);
});
