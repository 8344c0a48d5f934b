// The report's measured side (issue 18, item 5): p50/p95/longest wall time, peak memory and the
// runs that overlap their job's next slot, from journals written in switchman's own line format
// (record.ts journalLine), through `cronmeta report --records` on examples/my-project.
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { finishedRuns, measure } from "../../src/list/measured.js";
import { formatKib, formatSeconds } from "../../src/list/report-html.js";
import { lintProject } from "../../src/project.js";
import type { Job } from "../../src/types.js";
import { runInProcess } from "../helpers/cli.js";
import { journalOf } from "./journal.js";
import { repoRoot } from "../helpers/paths.js";

const example = join(repoRoot, "examples", "my-project");
const MONDAY = Date.UTC(2026, 10, 2, 0, 0, 0); // Mon 2 Nov 2026, UTC

let jobs: Job[] = [];
const byFile = (file: string, params = ""): Job => {
  const job = jobs.find((j) => j.file === file && (params === "" || j.params === params));
  assert.ok(job, file);
  return job;
};

before(async () => {
  jobs = (await lintProject({ root: example })).jobs;
});

describe("measured runs", () => {
  it("p50, p95, longest, peak memory and failures by nearest rank; overlaps against Debian's next slot", () => {
    const queue = byFile("bin/process-queue.pl", "--mod 2 --rem 0"); // */2 * * * *
    // 20 runs, every 2 minutes: 1..20 s, except two that run 150 s and 200 s (past the next slot, 120 s later).
    const walls = Array.from({ length: 20 }, (_, i) => (i === 5 ? 150 : i === 9 ? 200 : i + 1));
    const text = journalOf(queue, walls.map((w, i) => ({ start: MONDAY + i * 120_000 + 2000, wallS: w, rssKib: 1000 + i, outcome: i === 3 ? "failure" : "success" })));
    const runs = finishedRuns(`${text}{"v":1,"event":"finish","cut short\n`);
    assert.equal(runs.length, 20, "a torn line is skipped");
    const result = measure(jobs, jobs.map((j) => ({ package: j.package, file: j.file, line: j.line, params: j.params, time: j.time.text, group: j.group, lockname: j.lockname })), runs, "UTC", ["j"]);
    assert.equal(result.jobs.length, 1);
    const m = result.jobs[0];
    assert.ok(m);
    // Sorted: 1,2,3,4,5,7,8,9,11,12,...,20,150,200 -> p50 = 10th = 12, p95 = 19th = 150.
    assert.deepEqual([m.runs, m.failures, m.p50Seconds, m.p95Seconds, m.maxSeconds, m.peakRssKib], [20, 1, 12, 150, 200, 1019]);
    assert.equal(m.overlaps, 2, "the 150 s and 200 s runs were still going at the next */2 slot");
    assert.equal(m.worstOverrunSeconds, 82, "200 s from :02 ends 82 s after the next slot");
    assert.equal(result.unmatched, 0);
  });

  it("a run of an unknown job is counted apart; a line without package matches a unique lock name", () => {
    const daily = byFile("bin/cleanup-tmp.sh");
    const other = journalOf({ lockname: "not-here", package: "nope", group: "nope" }, [{ start: MONDAY, wallS: 1, rssKib: null }]);
    const bare = `${JSON.stringify({ v: 1, at: new Date(MONDAY + 60_000).toISOString(), event: "finish", lockname: daily.lockname, host: "h", user: "root", pid: 1, run: "x", outcome: "success", status: 0, wall_s: 12.5, maxrss_kib: null })}\n`;
    const refs = jobs.map((j) => ({ package: j.package, file: j.file, line: j.line, params: j.params, time: j.time.text, group: j.group, lockname: j.lockname }));
    const result = measure(jobs, refs, finishedRuns(other + bare), "UTC", []);
    assert.equal(result.unmatched, 1);
    assert.deepEqual(result.jobs.map((j) => [j.lockname, j.runs, j.p95Seconds, j.peakRssKib, j.overlaps]), [[daily.lockname, 1, 12.5, null, 0]]);
  });

  it("formats seconds and memory for the page", () => {
    assert.deepEqual([0.42, 12.4, 185, 3600, 7440].map(formatSeconds), ["0.4 s", "12 s", "3 min 5 s", "1 h", "2 h 4 min"]);
    assert.deepEqual([800, 12800, 3 * 1024 * 1024, null].map(formatKib), ["800 KiB", "12.5 MiB", "3 GiB", "-"]);
  });
});

describe("cronmeta report --records", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "cronmeta-measured-"));
    const queue = byFile("bin/process-queue.pl", "--mod 2 --rem 0");
    const warm = byFile("bin/warm-cache.pl");
    // A state directory as switchman leaves it: one journal per job user, the older generation rotated.
    await mkdir(join(dir, "state", "0"), { recursive: true });
    await mkdir(join(dir, "state", "33"), { recursive: true });
    await writeFile(join(dir, "state", "0", "journal.jsonl.1"), journalOf(queue, [{ start: MONDAY + 2000, wallS: 130, rssKib: 2048 }]));
    await writeFile(join(dir, "state", "0", "journal.jsonl"), journalOf(queue, [{ start: MONDAY + 122_000, wallS: 10, rssKib: 4096 }]));
    await writeFile(join(dir, "state", "33", "journal.jsonl"), journalOf(warm, [{ start: MONDAY + 8 * 3_600_000 + 1000, wallS: 42, rssKib: 300_000, host: "box2.example.org" }]));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("JSON: the measured side next to the schedule, from a state directory's journals", async () => {
    const r = await runInProcess(["report", "--format", "json", "--tz", "UTC", "--records", join(dir, "state")], example);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { measured: { sources: string[]; runs: number; jobs: Array<{ file: string; time: string; runs: number; p95Seconds: number; peakRssKib: number; overlaps: number }> } };
    assert.equal(report.measured.sources.length, 3);
    assert.equal(report.measured.runs, 3);
    assert.deepEqual(report.measured.jobs.map((j) => [j.file, j.time, j.runs, j.p95Seconds, j.peakRssKib, j.overlaps]), [
      ["bin/process-queue.pl", "*/2 * * * *", 2, 130, 4096, 1],
      ["bin/warm-cache.pl", "*/5 8-20 * * mon-fri", 1, 42, 300_000, 0],
    ]);
  });

  it("bad --records paths are one-line usage errors", async () => {
    const missing = await runInProcess(["report", "--format", "json", "--records", join(dir, "nothing")], example);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^cronmeta: --records \S+nothing: ENOENT\n$/);
    await mkdir(join(dir, "empty"));
    const empty = await runInProcess(["report", "--format", "json", "--records", join(dir, "empty")], example);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no switchman journal \(journal\.jsonl\) in it/);
  });
});
