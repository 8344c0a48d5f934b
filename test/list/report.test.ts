// The schedule report's numbers, hand-counted for small job sets, and its escaping (its size for
// thousands of jobs: test/system/list/report-size.test.ts). Week: Monday 2024-01-01 00:00 to
// Monday 2024-01-08 00:00 local.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildReport } from "../../src/list/report.js";
import { renderReportHtml } from "../../src/list/report-html.js";
import { loadReportTemplate } from "../../src/list/report-template.js";
import { formatReportJson } from "../../src/list/report-json.js";
import { jobOf } from "./jobs.js";

const jobs = [
  jobOf("0 * * * *", "bin/hourly.sh", { package: "p1", group: "g1" }),
  jobOf("*/2 * * * *", "bin/often.sh", { package: "p1", group: "g2" }),
  jobOf("0 0 1 * *", "bin/monthly.sh", { package: "p2", group: "g1" }),
  jobOf("@reboot", "bin/boot.sh", { package: "p2", group: "g2" }),
  jobOf("30 12 15 * *", "bin/mid-month.sh", { package: "p2", group: "g2" }),
];

describe("buildReport", () => {
  const report = buildReport(jobs, "UTC");

  it("covers the fixed week in the zone", () => {
    assert.deepEqual(report.week, { start: "2024-01-01T00:00:00+00:00", end: "2024-01-08T00:00:00+00:00" });
    assert.equal(report.jobCount, 5);
    assert.equal(report.packageCount, 2);
    assert.equal(report.groupCount, 2);
    // 168 hourly + 5040 every-two-minutes + 1 monthly (Jan 1 is in the week).
    assert.equal(report.startsPerWeek, 168 + 5040 + 1);
  });

  it("counts starts per hour of the week, overall, by package and by group", () => {
    const { all, byPackage, byGroup } = report.hourOfWeek;
    assert.equal(all.length, 168);
    assert.equal(all[0], 1 + 30 + 1, "Mon 00:00-00:59: hourly, 30 of */2, monthly");
    assert.equal(all[1], 31);
    assert.equal(all[167], 31, "Sun 23:00-23:59");
    assert.deepEqual(Object.keys(byPackage), ["p1", "p2"]);
    assert.equal(byPackage.p1?.[0], 31);
    assert.equal(byPackage.p2?.[0], 1);
    assert.equal(byPackage.p2?.[24], 0, "no monthly run on Tuesday");
    assert.equal(byGroup.g1?.[0], 2);
    assert.equal(byGroup.g2?.[0], 30);
  });

  it("counts starts per minute of the hour", () => {
    const { all, byPackage } = report.minuteOfHour;
    assert.equal(all.length, 60);
    assert.equal(all[0], 168 + 168 + 1);
    assert.equal(all[1], 0);
    assert.equal(all[2], 168);
    assert.equal(byPackage.p2?.[0], 1);
  });

  it("finds the peak minute and the minute-0 stampede", () => {
    assert.deepEqual(report.peak, { starts: 3, minutes: 1 });
    const [first, second] = report.busiestMinutes;
    assert.equal(first?.label, "Mon 00:00");
    assert.equal(first?.starts, 3);
    assert.deepEqual(first?.jobs.map((j) => j.file), ["bin/hourly.sh", "bin/often.sh", "bin/monthly.sh"]);
    assert.equal(second?.label, "Mon 01:00", "ties go earliest first");
    assert.equal(second?.starts, 2);
    assert.equal(report.busiestMinutes.length, 10);
    const stampede = report.busiestMinutesOfHour[0];
    assert.equal(stampede?.label, ":00");
    assert.equal(stampede?.starts, 337);
    assert.deepEqual(stampede?.jobs.map((j) => [j.file, j.starts]), [["bin/hourly.sh", 168], ["bin/often.sh", 168], ["bin/monthly.sh", 1]]);
  });

  it("lists jobs starting more often than every 5 minutes, and jobs with no start", () => {
    assert.deepEqual(report.frequentJobs.map((j) => [j.file, j.shortestGapMinutes, j.startsPerWeek]), [["bin/often.sh", 2, 5040]]);
    assert.deepEqual(report.quietJobs.map((j) => j.file), ["bin/boot.sh", "bin/mid-month.sh"]);
  });

  it("sees */7's 4-minute gap at the hour boundary", () => {
    const r = buildReport([jobOf("*/7 * * * *", "bin/seven.sh")], "UTC");
    assert.equal(r.frequentJobs[0]?.shortestGapMinutes, 4);
    assert.equal(r.startsPerWeek, 9 * 168);
  });

  it("uses local time of the zone", () => {
    const r = buildReport([jobOf("0 0 * * *", "bin/midnight.sh"), jobOf("30 9 * * 1-5", "bin/office.sh")], "Asia/Kolkata");
    assert.equal(r.week.start, "2024-01-01T00:00:00+05:30");
    for (let day = 0; day < 7; day++) assert.equal(r.hourOfWeek.all[day * 24], 1);
    assert.equal(r.hourOfWeek.all[9], 1, "Mon 09:30 local");
    assert.equal(r.hourOfWeek.all[5 * 24 + 9], 0, "not on Saturday");
    assert.equal(r.minuteOfHour.all[30], 5);
  });
});

describe("report output", () => {
  it("prints JSON with the same numbers", () => {
    const report = buildReport(jobs, "UTC");
    const parsed = JSON.parse(formatReportJson(report)) as unknown;
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(report)));
  });

  it("escapes METADATA text and fetches nothing", async () => {
    const evil = jobOf("0 3 * * *", 'bin/<b>x&y".sh', { package: "p", description: "<script>alert(1)</script>", lockname: "x" });
    const html = renderReportHtml(buildReport([evil], "UTC"), await loadReportTemplate(), "cronmeta test");
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /bin\/&lt;b&gt;x&amp;y&quot;\.sh/);
    assert.doesNotMatch(html, /https?:\/\/|\bsrc=|<link\b|@import/i);
  });
});

describe("report at a glance", () => {
  const glanceJobs = [
    jobOf("* * * * *", "bin/every.sh", { package: "p1" }),
    jobOf("0 * * * *", "bin/hourly-a.sh", { package: "p1", lockname: "a" }),
    jobOf("0 * * * *", "bin/hourly-b.sh", { package: "p1", lockname: "b" }),
    jobOf("0 3 * * *", "bin/nightly.sh", { package: "p2" }),
    jobOf("*/15 8-17 * * 1-5", "bin/office.sh", { package: "p2" }),
  ];
  const report = buildReport(glanceJobs, "UTC", { durations: new Map([["p2/nightly.sh", 42]]) });

  it("lists every-minute jobs apart and leaves them out of the job counts", () => {
    assert.deepEqual(report.everyMinuteJobs.map((j) => j.file), ["bin/every.sh"]);
    assert.deepEqual(report.everyHourJobs.map((j) => j.file), ["bin/every.sh", "bin/hourly-a.sh", "bin/hourly-b.sh"]);
    const m = report.minuteOfHourJobs;
    assert.equal(m.everyHour[0], 2, "the two hourly jobs, not the every-minute one");
    assert.equal(m.mostInAnHour[0], 3, "and the nightly job at 03:00 (or office at 08:00)");
    assert.equal(m.mostInAnHour[15], 1);
    assert.equal(m.mostInAnHour[1], 0, "the every-minute job is not counted");
    assert.deepEqual(m.jobCount, { all: 4, everyHour: 2, byPackage: { p1: 2, p2: 2 }, byGroup: { p1: 2, p2: 2 } });
  });

  it("counts jobs per hour of the week without those that start in every hour", () => {
    const h = report.hourOfWeekJobs;
    assert.deepEqual(h.all.slice(0, 24), [0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    assert.equal(h.all[5 * 24 + 8], 0, "office hours on weekdays only");
    assert.deepEqual(h.jobCount.byDay, [2, 2, 2, 2, 2, 1, 1]);
  });

  it("names the busy minutes with H forms, the peak they give, and only minutes where jobs meet", () => {
    assert.deepEqual(report.busyMinutes.map((b) => b.label), [":00"]);
    const [busy] = report.busyMinutes;
    assert.equal(busy?.everyHour, 2);
    assert.equal(busy?.mostInAnHour, 3);
    assert.equal(busy?.mostAt, "Mon 03:00");
    assert.deepEqual(busy?.suggestion?.changes.map((c) => [c.job.file, c.from, c.to]), [
      ["bin/hourly-a.sh", "0 * * * *", "H * * * *"],
      ["bin/hourly-b.sh", "0 * * * *", "H * * * *"],
      ["bin/nightly.sh", "0 3 * * *", "H 3 * * *"],
      ["bin/office.sh", "*/15 8-17 * * 1-5", "H/15 8-17 * * 1-5"],
    ]);
    for (const c of busy?.suggestion?.changes ?? []) assert.match(c.resolved, /^\d+(-59\/15)? /);
    assert.equal(busy?.suggestion?.peakBefore, 4, "the every-minute job counts in the peak of the week");
    assert.ok((busy?.suggestion?.minuteAfter ?? 9) <= 1, "the four spread over the hour");
    assert.equal(report.spreadAll.changes.length, 4, "the every-minute job cannot take an H minute");
  });

  it("draws the day with bands for steady runs, ticks for the rest, and measured durations when given", () => {
    const rows = Object.fromEntries(report.timeline.rows.map((r) => [r.job.file, r]));
    assert.equal(report.timeline.label, "Mon 2024-01-01");
    assert.deepEqual(rows["bin/every.sh"]?.bands, [{ from: 0, to: 1439, every: 1 }]);
    assert.equal(rows["bin/hourly-a.sh"]?.starts.length, 24, "hourly: ticks, not a band");
    assert.deepEqual(rows["bin/office.sh"]?.bands, [{ from: 480, to: 1065, every: 15 }].filter((b) => b.every <= 10));
    assert.equal(rows["bin/office.sh"]?.starts.length, 40);
    assert.deepEqual(rows["bin/nightly.sh"]?.starts, [180]);
    assert.equal(rows["bin/nightly.sh"]?.durationMinutes, 42);
    assert.equal(rows["bin/hourly-a.sh"]?.durationMinutes, undefined);
    assert.equal(report.timeline.notOnThisDay, 0);
  });

  it("names jobs by script and package on the page, and keeps counts, not weekly sums", async () => {
    const html = renderReportHtml(report, await loadReportTemplate(), "cronmeta test");
    assert.match(html, /<li>2 jobs start at :00 of every hour, and up to 3 in one hour \(first Mon 03:00\)\.<\/li>/);
    assert.match(html, /<li>1 job starts more often than every 5 minutes; 1 job starts every minute and is listed apart\.<\/li>/);
    assert.match(html, /<ul data-table="every-minute"><li data-job="bin\/every\.sh:3">/);
    assert.match(html, /<rect class="tick" x="180" y="1" width="42" height="14"\/>/, "the measured 42 minutes");
  });
});
