// The Prometheus textfile of a job (src/switchman/records/textfile.ts): names, labels, values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyHostRecord, hostWithFinish, hostWithSkip, withStart, type RunFinish } from "../../../src/switchman/records/record.js";
import { METRICS, escapeLabelValue, renderTextfile } from "../../../src/switchman/records/textfile.js";

const finish: RunFinish = {
  at: "2026-11-28T05:41:34.059Z",
  host: "box1",
  pid: 1,
  run: "r",
  outcome: "failure",
  status: 4,
  exit: 4,
  signal: null,
  wall_s: 1.059,
  user_s: 0.22,
  sys_s: 0.09,
  maxrss_kib: 164140,
  killed: false,
};

function sample(text: string, name: string, labels: string): string | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line?.slice(line.lastIndexOf(" ") + 1);
}

test("a job's series: identity labels, base units, counters ending in _total", () => {
  let record = emptyHostRecord("foo.pl-mod-2");
  record = { ...withStart(record, { at: "2026-11-28T05:41:33.000Z", host: "box1", pid: 1, run: "r", user: "root", package: "scripts1", group: "g1" }) };
  record = hostWithFinish(record, finish);
  record = hostWithSkip(hostWithSkip(record, "lock-held", "t"), "not-in-group", "t");
  const text = renderTextfile(record, { package: "scripts1", user: "root" });
  const job = 'package="scripts1",lockname="foo.pl-mod-2",user="root"';
  assert.equal(sample(text, "switchman_job_info", `${job},group="g1"`), "1");
  assert.equal(sample(text, "switchman_job_last_start_timestamp_seconds", job), "1795844493.000");
  assert.equal(sample(text, "switchman_job_last_finish_timestamp_seconds", job), "1795844494.059");
  assert.equal(sample(text, "switchman_job_last_exit_code", job), "4");
  assert.equal(sample(text, "switchman_job_last_duration_seconds", job), "1.059");
  assert.equal(sample(text, "switchman_job_last_cpu_seconds", `${job},mode="user"`), "0.22");
  assert.equal(sample(text, "switchman_job_last_cpu_seconds", `${job},mode="system"`), "0.09");
  assert.equal(sample(text, "switchman_job_last_peak_rss_bytes", job), String(164140 * 1024));
  assert.equal(sample(text, "switchman_job_runs_total", job), "1");
  assert.equal(sample(text, "switchman_job_failures_total", job), "1");
  assert.equal(sample(text, "switchman_job_consecutive_failures", job), "1");
  assert.equal(sample(text, "switchman_job_skips_total", `${job},reason="lock-held"`), "1");
  assert.equal(sample(text, "switchman_job_skips_total", `${job},reason="not-in-group"`), "1");
  assert.equal(sample(text, "switchman_job_last_success_timestamp_seconds", job), undefined, "no success yet: no series");
  for (const [name, [type]] of Object.entries(METRICS)) {
    assert.equal(name.endsWith("_total"), type === "counter", name);
    assert.match(name, /^switchman_job_[a-z_]+$/);
  }
  assert.equal(renderTextfile(record, { package: "scripts1", user: "root" }), text, "deterministic");
  assert.ok(text.endsWith("\n"));
});

test("a job that only ever skipped has its counters and no last-run series", () => {
  const text = renderTextfile(hostWithSkip(emptyHostRecord("j"), "not-in-group", "t"), { package: "", user: "www-data" });
  assert.equal(sample(text, "switchman_job_runs_total", 'package="",lockname="j",user="www-data"'), "0");
  assert.doesNotMatch(text, /last_(start|finish|exit|duration)/);
});

test("label values are escaped as the text format requires", () => {
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});
