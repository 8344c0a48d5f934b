// `cronmeta report` on the list-basic fixture, in-process and through the real executable.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/paths.js";

/** Registers the `cronmeta report` CLI tests for each of `runners`. */
export function defineReportCliCases(runners: Runner[]): void {
const basic = join(fixturesDir, "list-basic");
const errors = join(fixturesDir, "list-errors");
const out = mkdtempSync(join(tmpdir(), "cronmeta-report-"));

after(() => rmSync(out, { recursive: true, force: true }));

interface ReportJson {
  version: number;
  zone: string;
  week: { start: string; end: string };
  startsPerWeek: number;
  hourOfWeek: { all: number[] };
  frequentJobs: Array<{ file: string; line: number; shortestGapMinutes: number }>;
  quietJobs: Array<{ time: string }>;
}

for (const [how, run] of runners) {
  describe(`cronmeta report (${how})`, () => {
    it("prints the report as JSON", async () => {
      const r = await run(["report", "--format", "json", "--tz", "Europe/Berlin"], basic);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as ReportJson;
      assert.equal(report.version, 1);
      assert.deepEqual(report.week, { start: "2024-01-01T00:00:00+01:00", end: "2024-01-08T00:00:00+01:00" });
      // Two every-2-minutes halves (5040 each), 02:30 daily (7), 0 0 */2 * sun (Sunday Jan 7, an
      // odd date: 1), 0 6 1,15 * mon (Monday Jan 1, also the 1st: one start, not two).
      assert.equal(report.hourOfWeek.all.reduce((a, b) => a + b, 0), report.startsPerWeek);
      assert.equal(report.startsPerWeek, 5040 + 5040 + 7 + 1 + 1);
      assert.deepEqual(report.frequentJobs.map((j) => `${j.file}:${j.line}`), ["bin/sync-orders.pl:10", "bin/sync-orders.pl:15"]);
      assert.deepEqual(report.quietJobs.map((j) => j.time), ["@reboot"]);
    });

    it("writes a self-contained HTML page", async () => {
      const file = join(out, how, "report.html");
      const r = await run(["report", "--html", file, "--tz", "UTC"], basic);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /wrote .*report\.html \(6 jobs, 10089 starts in the week\)/);
      const html = readFileSync(file, "utf8");
      assert.match(html, /^<!DOCTYPE html>/);
      assert.match(html, /data-heatmap="hour-of-week"/);
      assert.doesNotMatch(html, /https?:\/\//);
    });

    it("exits 1 on lint errors and 2 on usage errors, writing nothing", async () => {
      const file = join(out, how, "broken.html");
      const broken = await run(["report", "--html", file], errors);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /bin\/bad\.sh:7:15 error cron-time-invalid/);
      assert.equal(existsSync(file), false);
      const zone = await run(["report", "--format", "json", "--tz", "Nowhere/Land"], basic);
      assert.equal(zone.code, 2);
      assert.match(zone.stderr, /unknown time zone "Nowhere\/Land"/);
      const noTarget = await run(["report"], basic);
      assert.equal(noTarget.code, 2);
    });
  });
}
}
