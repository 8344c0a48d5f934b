// The Prometheus textfile against Debian's real node_exporter and promtool: what switchman
// writes parses and lints, and a scrape concurrent with rewrites never sees a file half-written
// (a control writer that is not atomic shows that the scrape check would notice).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyHostRecord, hostWithFinish, hostWithSkip, withStart, type HostRecord } from "../../../../src/switchman/records/record.js";
import { renderTextfile } from "../../../../src/switchman/records/textfile.js";
import { textfileName, writeTextfileAtomically } from "../../../../src/switchman/records/textfile-write.js";
import { NodeExporter, parseSamples, promtoolCheck, valueOf, type Sample } from "../../../helpers/node-exporter.js";

let dir: string;
let exporter: NodeExporter;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "switchman-textfile-"));
  exporter = await NodeExporter.start(dir);
});
after(async () => {
  await exporter?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A record after `n` runs, all failing, so that runs, failures and the streak are equal in a whole file. */
function recordAfter(lockname: string, n: number): HostRecord {
  let record = emptyHostRecord(lockname);
  record = { ...record, runs: n - 1, failures: n - 1, consecutive_failures: n - 1 };
  record = withStart(record, { at: new Date(1_800_000_000_000 + n * 1000).toISOString(), host: "box1", pid: n, run: `r${n}`, user: "root", package: "pkg", group: "grp" });
  record = hostWithFinish(record, {
    at: new Date(1_800_000_000_000 + n * 1000 + 500).toISOString(),
    host: "box1",
    pid: n,
    run: `r${n}`,
    outcome: "failure",
    status: n % 200,
    exit: n % 200,
    signal: null,
    wall_s: n / 1000,
    user_s: 0.01,
    sys_s: 0.02,
    maxrss_kib: n,
    killed: false,
  });
  return hostWithSkip(record, "lock-held", "t");
}

const job = (lockname: string): Record<string, string> => ({ package: "pkg", lockname, user: "root" });
const SERIES_PER_JOB = 13; // info, start, finish, exit, duration, cpu x2, rss, streak, runs, failures, skips (lock-held); not-in-group and wait-timeout 0 too

test("what switchman writes passes promtool check metrics, and node_exporter serves it with the right values", async () => {
  const text = renderTextfile(recordAfter("foo.pl-mod-2", 7), { package: "pkg", user: "root" });
  const lint = promtoolCheck(text);
  assert.equal(lint.status, 0, `promtool check metrics: ${lint.output}`);
  assert.equal(lint.output, "", "no lint findings");
  await writeTextfileAtomically(dir, textfileName(0, "foo.pl-mod-2"), text);
  const samples = parseSamples(await exporter.scrape());
  assert.equal(valueOf(samples, "node_textfile_scrape_error"), 0);
  const labels = job("foo.pl-mod-2");
  assert.equal(valueOf(samples, "switchman_job_runs_total", labels), 7);
  assert.equal(valueOf(samples, "switchman_job_failures_total", labels), 7);
  assert.equal(valueOf(samples, "switchman_job_last_exit_code", labels), 7);
  assert.equal(valueOf(samples, "switchman_job_last_peak_rss_bytes", labels), 7 * 1024);
  assert.equal(valueOf(samples, "switchman_job_last_start_timestamp_seconds", labels), 1_800_000_007);
  assert.equal(valueOf(samples, "switchman_job_skips_total", { ...labels, reason: "lock-held" }), 1);
  assert.equal(valueOf(samples, "switchman_job_info", { ...labels, group: "grp" }), 1);
  // The whole scrape, other collectors' metrics included, lints too.
  const scrapeLint = promtoolCheck(await exporter.scrape());
  assert.equal(scrapeLint.status, 0, scrapeLint.output);
});

/** Whole-file check of one scrape: no parse error, and each job either absent or complete and consistent. */
function tornJobs(samples: Sample[], locknames: string[]): string[] {
  const problems: string[] = [];
  if (valueOf(samples, "node_textfile_scrape_error") !== 0) problems.push("node_textfile_scrape_error 1");
  for (const lockname of locknames) {
    const mine = samples.filter((s) => s.labels.lockname === lockname);
    if (mine.length === 0) {
      problems.push(`${lockname}: no series`);
      continue;
    }
    if (mine.length !== SERIES_PER_JOB + 1) problems.push(`${lockname}: ${mine.length} series`);
    const runs = valueOf(mine, "switchman_job_runs_total");
    const failures = valueOf(mine, "switchman_job_failures_total");
    const start = valueOf(mine, "switchman_job_last_start_timestamp_seconds");
    if (runs === undefined || runs !== failures || start !== 1_800_000_000 + runs) problems.push(`${lockname}: runs ${runs}, failures ${failures}, start ${start}`);
  }
  return problems;
}

async function hammer(write: (lockname: string, text: string) => Promise<void>, ms: number): Promise<{ scrapes: number; writes: number; torn: string[] }> {
  const locknames = Array.from({ length: 8 }, (_, i) => `job-${i}-${"x".repeat(150)}`);
  for (const lockname of locknames) await writeTextfileAtomically(dir, textfileName(0, lockname), renderTextfile(recordAfter(lockname, 1), { package: "pkg", user: "root" }));
  const stopAt = Date.now() + ms;
  let writes = 0;
  let scrapes = 0;
  const torn: string[] = [];
  const writer = (async () => {
    for (let n = 2; Date.now() < stopAt; n++) {
      for (const lockname of locknames) await write(lockname, renderTextfile(recordAfter(lockname, n), { package: "pkg", user: "root" }));
      writes += locknames.length;
    }
  })();
  const scraper = (async () => {
    while (Date.now() < stopAt) {
      const found = tornJobs(parseSamples(await exporter.scrape()), locknames);
      scrapes++;
      torn.push(...found);
    }
  })();
  await Promise.all([writer, scraper]);
  return { scrapes, writes, torn };
}

test("a scrape concurrent with rewrites never sees a textfile half-written", async () => {
  const atomic = await hammer((lockname, text) => writeTextfileAtomically(dir, textfileName(0, lockname), text), 4000);
  console.log(`# atomic writer: ${atomic.writes} rewrites during ${atomic.scrapes} scrapes, ${atomic.torn.length} torn`);
  assert.ok(atomic.scrapes >= 50 && atomic.writes >= 500, `${atomic.scrapes} scrapes, ${atomic.writes} writes`);
  assert.deepEqual(atomic.torn.slice(0, 5), []);

  // Control: the same files rewritten in place (truncate, half, a pause, the rest) are seen torn.
  const inPlace = await hammer(async (lockname, text) => {
    const file = await open(join(dir, textfileName(0, lockname)), "w");
    try {
      await file.write(text.slice(0, text.length / 2));
      await new Promise((r) => setTimeout(r, 2));
      await file.write(text.slice(text.length / 2));
    } finally {
      await file.close();
    }
  }, 3000);
  console.log(`# in-place control: ${inPlace.writes} rewrites during ${inPlace.scrapes} scrapes, ${inPlace.torn.length} torn`);
  assert.ok(inPlace.torn.length > 0, "the check sees torn files when the writer is not atomic");
  writeFileSync(join(dir, "placeholder"), ""); // not a .prom file: ignored by the collector
});
