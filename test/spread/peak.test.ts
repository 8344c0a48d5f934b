// The target, through the whole pipeline (scan, analyse, balance, lint): 200 hourly
// `H * * * *` jobs of one project start at most 10 to a minute with the hash and at most 4
// with config `spread: "balanced"` (200 at :00 without H). The figures are printed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintProject } from "../../src/project.js";
import { buildReport } from "../../src/list/report.js";
import type { Job } from "../../src/types.js";
import { pod, withProject } from "../helpers/project.js";
import { manyJobs } from "./projects.js";

/** Most jobs starting in one minute of the report's week. */
function peakOf(jobs: readonly Job[]): number {
  return buildReport(jobs, "UTC").peak.starts;
}

async function peak(time: string, config: Record<string, unknown> = {}): Promise<{ peak: number; jobs: Job[] }> {
  return withProject(manyJobs(200, time, config), async (root) => {
    const result = await lintProject({ root });
    assert.equal(result.errorCount, 0, JSON.stringify(result.diagnostics.slice(0, 3)));
    assert.equal(result.jobs.length, 200);
    return { peak: peakOf(result.jobs), jobs: result.jobs };
  });
}

describe("200 hourly jobs", () => {
  it("without H: all 200 start at :00", async () => {
    assert.equal((await peak("0 * * * *")).peak, 200);
  });

  it("hash: at most 10 start in one minute", async () => {
    const { peak: hashPeak, jobs } = await peak("H * * * *");
    console.log(`# 200 hourly H jobs, spread "hash": peak ${hashPeak} starts per minute`);
    assert.ok(hashPeak <= 10, `peak ${hashPeak}`);
    assert.ok(jobs.every((j) => j.timeSource?.by === "hash" && j.timeSource.text === "H * * * *"));
    assert.ok(jobs.every((j) => /^\d+ \* \* \* \*$/.test(j.time.text)), "one exact minute each");
  });

  it("balanced: at most 4 start in one minute (200 / 60 rounded up)", async () => {
    const { peak: balancedPeak, jobs } = await peak("H * * * *", { spread: "balanced" });
    console.log(`# 200 hourly H jobs, spread "balanced": peak ${balancedPeak} starts per minute`);
    assert.ok(balancedPeak <= 4, `peak ${balancedPeak}`);
    const perMinute = new Array<number>(60).fill(0);
    for (const j of jobs) perMinute[j.time.minutes[0] ?? 0]! += 1;
    assert.deepEqual([...new Set(perMinute)].sort(), [3, 4], "20 minutes with 4 jobs, 40 with 3");
    assert.ok(jobs.every((j) => j.timeSource?.by === "balanced"));
    assert.ok(jobs.some((j) => j.timeSource?.hash !== j.time.text), "some jobs moved away from their hash minute");
  });

  it("balanced places around the other jobs' schedule", async () => {
    // 10 fixed jobs at :00 and 60 balanced H jobs: the H jobs fill :01-:59 and leave :00 alone.
    const files = manyJobs(60, "H * * * *", { spread: "balanced" });
    files["bin/fixed.pl"] = pod(...Array.from({ length: 10 }, (_, i) => ["package: demo-cron", "time: 0 * * * *", `params: --fixed ${i}`]));
    await withProject(files, async (root) => {
      const result = await lintProject({ root });
      assert.equal(result.errorCount, 0);
      const hashed = result.jobs.filter((j) => j.timeSource !== undefined);
      assert.equal(hashed.length, 60);
      assert.ok(hashed.every((j) => j.time.minutes[0] !== 0), "no H job at the fixed jobs' :00");
      assert.equal(peakOf(result.jobs), 10, "the fixed :00 crowd stays the peak; every other minute has 1 or 2");
    });
  });
});
