// The schedule report stays light for thousands of jobs: 3000 jobs and 2.7 million starts a week
// give a page of a few MB, aggregated rather than one element per run. System tier: a big input
// (about 3 s of CPU); the report's hand-counted numbers are test/list/report.test.ts, and the
// 3000-job page in Chromium is report-browser.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildReport } from "../../../src/list/report.js";
import { MAX_SERIES_ROWS, renderReportHtml } from "../../../src/list/report-html.js";
import { loadReportTemplate } from "../../../src/list/report-template.js";
import { jobOf } from "../../list/jobs.js";

describe("report output", () => {
  it("stays light for thousands of jobs", async () => {
    const times = ["*/5 * * * *", "0 * * * *", "15 3 * * *", "*/2 * * * *", "0 0 * * 0", "30 */6 * * *", "@daily", "0 9-17 * * 1-5"];
    const many = Array.from({ length: 3000 }, (_, i) =>
      jobOf(times[i % times.length] ?? "@daily", `bin/job-${i}.sh`, { package: `pkg-${i % 30}`, group: `grp-${i % 60}` }),
    );
    const report = buildReport(many, "Europe/Berlin");
    assert.equal(report.jobCount, 3000);
    const html = renderReportHtml(report, await loadReportTemplate(), "cronmeta test");
    // Per 8 jobs a week: 2016 + 168 + 7 + 5040 + 1 + 28 + 7 + 45 = 7312 starts.
    assert.equal(report.startsPerWeek, 375 * 7312);
    // Aggregated, not one element per run: a few MB at most for 3000 jobs and 2.7 million starts.
    assert.ok(html.length < 6_000_000, `${html.length} bytes`);
    assert.match(html, new RegExp(`${60 - MAX_SERIES_ROWS} more rows not shown`));
  });
});
