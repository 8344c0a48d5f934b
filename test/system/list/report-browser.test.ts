// The schedule report of examples/my-project, opened in headless Chromium (Debian package
// `chromium`, driven by playwright-core with the system binary) at 1400 px, a laptop width:
// nothing may overflow horizontally (the per-minute map once hid :58, :59 and its total), the
// summaries must say what they mean in jobs ("6 jobs start at :00 of every hour"), jobs are named
// by script and package, the busiest minutes carry the H forms that would spread them, the day
// timeline has every job of the day, the page fetches nothing, and a screenshot goes to
// test-output/report.png.
//
// Hand-counted for the example (UTC, week of Monday 2024-01-01):
// - Every hour: process-queue.pl twice (*/2), expire-sessions (*/15), rebuild-index and
//   check-disk (*/10), check-replication (*/3) start at :00: 6 jobs at :00 of every hour; with
//   cleanup-tmp (@daily) at Mon 00:00 that hour has 7, the most at :00 in one hour.
// - Those six and sync-prices (5 * * * *) start in every hour of the week; the hour-of-week map
//   leaves them out and shows the rest: warm-cache on weekdays 08:00-20:59, the dailies and so on.
// - At most 7 jobs start in one minute (144 minutes of the week).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { buildReport, type ScheduleReport } from "../../../src/list/report.js";
import { renderReportHtml } from "../../../src/list/report-html.js";
import { loadReportTemplate } from "../../../src/list/report-template.js";
import { jobOf } from "../../list/jobs.js";
import { journalOf } from "../../list/journal.js";
import { lintProject } from "../../../src/project.js";
import { runInProcess } from "../../helpers/cli.js";
import { repoRoot, testOutputDir } from "../../helpers/paths.js";

const CHROMIUM = "/usr/bin/chromium";
const WIDTH = 1400;
const example = join(repoRoot, "examples", "my-project");
const htmlPath = join(testOutputDir, "report.html");
const screenshotPath = join(testOutputDir, "report.png");

let context: BrowserContext | undefined;
let page: Page;
let userDataDir: string | undefined;
let expected: ScheduleReport;
const foreignRequests: string[] = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian package chromium`);
  mkdirSync(testOutputDir, { recursive: true });
  const run = await runInProcess(["report", "--html", htmlPath, "--tz", "UTC"], example);
  assert.equal(run.code, 0, run.stderr);
  expected = buildReport((await lintProject({ root: example })).jobs, "UTC");
  userDataDir = mkdtempSync(join(tmpdir(), "cronmeta-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: WIDTH, height: 900 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  // Self-contained: anything but the file itself is recorded and refused.
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith("file://")) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  await page.goto(`file://${htmlPath}`);
});

after(async () => {
  await context?.close();
  if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
});

/** What sticks out sideways on the page shown: [scrollWidth, clientWidth], wider boxes, boxes past the edge. */
async function overflowOf(target: Page): Promise<{ page: number[]; wider: string[]; outside: string[] }> {
  return target.evaluate((width) => {
    const g = globalThis as unknown as PageGlobals;
    const root = g.document.documentElement;
    const all = Array.from(g.document.querySelectorAll("body *"));
    return {
      page: [root.scrollWidth, root.clientWidth],
      // Every box, table cells included: a cell whose content is wider is cut off or spills over.
      wider: all.filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && el.tagName !== "svg")
        .map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}: ${(el.textContent ?? "").slice(0, 60)}`),
      outside: all.filter((el) => el.getBoundingClientRect().right > width + 0.5).map((el) => `${el.tagName}.${el.className}`),
    };
  }, WIDTH);
}

/** The data-count values of one heat map row. */
async function rowCounts(kind: string, series: string, row: string): Promise<number[]> {
  const cells = page.locator(`table[data-heatmap="${kind}"][data-series="${series}"] tr[data-row="${row}"] td[data-count]`);
  return (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-count"))))) as number[];
}

/** The project compiles without the DOM library: the page's globals, typed as far as used here. */
interface PageGlobals {
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
  getComputedStyle(element: unknown): { backgroundColor: string; overflowX: string };
}
interface PageElement {
  tagName: string;
  textContent: string | null;
  className: string;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { left: number; right: number; width: number };
}

describe("schedule report in Chromium at 1400 px", () => {
  it("overflows nowhere: the page, every table and every box fit the window", async () => {
    const overflow = await overflowOf(page);
    assert.deepEqual(overflow.page, [WIDTH, WIDTH], "no horizontal scrollbar");
    assert.deepEqual(overflow.wider, [], "no element is cut off, scrolls or spills sideways");
    assert.deepEqual(overflow.outside, [], "nothing reaches past the right edge");
    // The cells the old page cut off: :58, :59 and the jobs column of the per-minute map.
    const row = page.locator('table[data-heatmap="minute-of-hour"][data-series="all"] tr[data-row="every hour"]');
    for (const [what, cell] of [[":58", row.locator("td[data-count]").nth(58)], [":59", row.locator("td[data-count]").nth(59)], ["jobs", row.locator("td.total")]] as const) {
      const box = await cell.boundingBox();
      assert.ok(box !== null && box.x + box.width <= WIDTH && box.width > 4, `${what}: ${JSON.stringify(box)}`);
      assert.ok(await cell.isVisible(), what);
    }
    const cells = await rowCounts("minute-of-hour", "all", "every hour");
    assert.equal(cells.length, 60);
  });

  it("sums up in jobs, not weekly sums", async () => {
    assert.equal(await page.locator("#job-count").getAttribute("data-value"), "14");
    assert.equal(await page.locator("#busiest-minute").getAttribute("data-value"), ":00");
    assert.match((await page.locator("#busiest-minute").textContent()) ?? "", /6 jobs every hour, up to 7/);
    assert.equal(await page.locator("#peak-minute").getAttribute("data-value"), "7");
    assert.equal(await page.locator("#peak-with-h").getAttribute("data-value"), String(expected.spreadAll.peakAfter));
    assert.ok(expected.spreadAll.peakAfter < 7, "the H forms lower the peak");
    assert.equal(await page.locator("#every-minute-jobs").getAttribute("data-value"), "0");
    const headlines = await page.locator("ul.glance li").allTextContents();
    assert.equal(headlines[0], "6 jobs start at :00 of every hour, and up to 7 in one hour (first Mon 00:00).");
    assert.match(headlines[1] ?? "", /^Besides the 7 jobs that start in every hour, the busiest hour of the week is /);
    assert.match(headlines[2] ?? "", new RegExp(`^At most 7 jobs start in the same minute, in 144 minutes of the week\\. Writing the suggested H forms for the 14 jobs that can take one would bring that to ${expected.spreadAll.peakAfter}\\.$`));
    assert.equal(headlines[3], "3 jobs start more often than every 5 minutes.");
    assert.doesNotMatch((await page.locator("body").textContent()) ?? "", /\b1086\b/, "no weekly sum on the page");
  });

  it("counts jobs per minute of the hour, every hour and at most in one hour", async () => {
    const every = await rowCounts("minute-of-hour", "all", "every hour");
    const most = await rowCounts("minute-of-hour", "all", "most in one hour");
    assert.equal(every[0], 6);
    assert.equal(most[0], 7);
    assert.equal(most[30], 7, "warm-cache joins at :30 on weekdays");
    assert.deepEqual(every, expected.minuteOfHourJobs.everyHour);
    assert.deepEqual(most, expected.minuteOfHourJobs.mostInAnHour);
    for (const [name, counts] of Object.entries(expected.minuteOfHourJobs.byPackage)) {
      assert.deepEqual(await rowCounts("minute-of-hour", "package", name), counts, name);
    }
    // The busiest cell is coloured and shows its number.
    const busiest = page.locator('table[data-heatmap="minute-of-hour"][data-series="all"] tr[data-row="most in one hour"] td[data-count="7"]').first();
    assert.equal((await busiest.textContent())?.trim(), "7");
    type Styles = { getComputedStyle(element: unknown): { backgroundColor: string } };
    const colour = await busiest.evaluate((td) => (globalThis as unknown as Styles).getComputedStyle(td).backgroundColor);
    assert.match(colour, /^rgb\(/);
    assert.notEqual(colour, "rgb(255, 255, 255)");
  });

  it("shows the structure of the week without the jobs that start in every hour", async () => {
    const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const all: number[] = [];
    for (const day of days) all.push(...(await rowCounts("hour-of-week", "all", day)));
    assert.deepEqual(all, expected.hourOfWeekJobs.all);
    const mon = await rowCounts("hour-of-week", "all", "Mon");
    assert.equal(mon[0], 1, "Mon 00:00: cleanup-tmp (@daily)");
    assert.equal(mon[8], 1, "Mon 08:00: warm-cache");
    assert.equal(mon[21], 0, "no weekday job at 21:00");
    const sat = await rowCounts("hour-of-week", "all", "Sat");
    assert.equal(sat[8], 0, "warm-cache is weekdays only");
    assert.equal(new Set(all).size > 1, true, "not every cell the same");
  });

  it("lists the busiest minutes with the H forms that would spread them and the peak they would give", async () => {
    const first = page.locator("section.busy").first();
    assert.equal(await first.getAttribute("data-minute"), ":00");
    assert.equal(await first.getAttribute("data-every-hour"), "6");
    assert.equal(await first.getAttribute("data-most"), "7");
    assert.match((await first.locator("h3").textContent()) ?? "", /^:00: 6 jobs start at :00 of every hour, up to 7 in one hour \(first Mon 00:00\)$/);
    const rows = first.locator('tr[data-job]');
    assert.equal(await rows.count(), expected.busyMinutes[0]?.jobs.length);
    const suggestions = await first.locator("code[data-suggest]").evaluateAll((codes) => codes.map((c) => c.getAttribute("data-suggest")));
    assert.ok(suggestions.includes("H/2 * * * *"), suggestions.join(" | "));
    assert.ok(suggestions.includes("H 0 * * *"), "@daily keeps its hour");
    const suggest = first.locator("p.suggest");
    assert.equal(await suggest.getAttribute("data-peak-before"), "7");
    assert.equal(await suggest.getAttribute("data-peak-after"), String(expected.busyMinutes[0]?.suggestion?.peakAfter));
    assert.ok(Number(await suggest.getAttribute("data-peak-after")) < 7);
    assert.equal(await suggest.getAttribute("data-minute-after"), String(expected.busyMinutes[0]?.suggestion?.minuteAfter));
    assert.ok(Number(await suggest.getAttribute("data-minute-after")) < 7, "the crowd at :00 is spread");
  });

  it("names jobs by script and package, not by lock name", async () => {
    const week = page.locator('ol[data-list="minute-of-week"] > li').first();
    assert.equal(await week.getAttribute("data-minute"), "Mon 00:00");
    assert.equal(await week.getAttribute("data-count"), "7");
    const text = (await week.textContent()) ?? "";
    assert.match(text, /bin\/process-queue\.pl --mod 2 --rem 0 my-project-scripts1/);
    assert.match(text, /bin\/cleanup-tmp\.sh my-project-scripts1/);
    assert.doesNotMatch(text, /process-queue\.pl-mod-2-rem-0/, "lock names only in the tooltips");
  });

  it("draws a day timeline with every job of the day", async () => {
    const rows = page.locator('table[data-table="timeline"] tbody tr');
    assert.equal(await rows.count(), expected.timeline.rows.length);
    assert.equal(expected.timeline.rows.length, 13, "all but the Sunday job start on Monday the 1st");
    const queue = page.locator('table[data-table="timeline"] tr[data-job="bin/process-queue.pl:30"]');
    assert.equal(await queue.getAttribute("data-starts"), "720");
    assert.equal(await queue.locator("rect.band").count(), 1, "*/2 is one band");
    const daily = page.locator('table[data-table="timeline"] tr[data-job="bin/cleanup-tmp.sh:12"]');
    assert.equal(await daily.locator("rect.tick").count(), 1);
    const box = await daily.locator("svg").boundingBox();
    assert.ok(box !== null && box.width > 600 && box.x + box.width <= WIDTH, JSON.stringify(box));
  });

  it("lists the jobs that start more often than every 5 minutes, and every job", async () => {
    const frequent = await page.locator('table[data-table="frequent"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-job")));
    assert.deepEqual(frequent.sort(), ["bin/check-replication:6", "bin/process-queue.pl:30", "bin/process-queue.pl:35"]);
    assert.equal(await page.locator('table[data-table="jobs"] tbody tr').count(), expected.jobCount);
  });

  it("fits 1400 px for a big project too: 3000 jobs, 60 long package names, every-minute jobs", async () => {
    const times = ["*/5 * * * *", "0 * * * *", "15 3 * * *", "*/2 * * * *", "0 0 * * 0", "30 */6 * * *", "@daily", "0 9-17 * * 1-5", "* * * * *", "18-59/20 9 * jan,jul *"];
    const many = Array.from({ length: 3000 }, (_, i) => jobOf(times[i % times.length] ?? "@daily", `services/billing-and-invoicing/bin/job-with-a-long-name-${i}.sh`, {
      package: `acme-billing-and-invoicing-service-${i % 60}`, group: `acme-billing-and-invoicing-group-${i % 60}`, params: `--shard ${i % 7} --of 7 --region eu-central-1`,
    }));
    const file = join(userDataDir ?? tmpdir(), "big-report.html");
    writeFileSync(file, renderReportHtml(buildReport(many, "UTC"), await loadReportTemplate(), "cronmeta test"));
    const big = await context!.newPage();
    try {
      await big.goto(`file://${file}`);
      const overflow = await overflowOf(big);
      assert.deepEqual(overflow.page, [WIDTH, WIDTH]);
      assert.deepEqual(overflow.wider, []);
      assert.deepEqual(overflow.outside, []);
      await big.screenshot({ path: join(testOutputDir, "report-big.png"), clip: { x: 0, y: 0, width: WIDTH, height: 2400 } });
    } finally {
      await big.close();
    }
  });

  it("with --records: the measured side next to the schedule (p50, p95, peak memory, overlaps), fitting 1400 px", async () => {
    const jobs = (await lintProject({ root: example })).jobs;
    const queue = jobs.find((j) => j.file === "bin/process-queue.pl" && j.params === "--mod 2 --rem 0");
    const warm = jobs.find((j) => j.file === "bin/warm-cache.pl");
    assert.ok(queue && warm);
    const monday = Date.UTC(2026, 10, 2);
    const dir = mkdtempSync(join(userDataDir ?? tmpdir(), "records-"));
    // Every */2 slot of an hour: 30 s runs, every tenth one 150 s (past its next slot); warm-cache 42 s, 280 MiB.
    const journal =
      journalOf(queue, Array.from({ length: 30 }, (_, i) => ({ start: monday + i * 120_000 + 1000, wallS: i % 10 === 9 ? 150 : 30, rssKib: 20_000 + i }))) +
      journalOf(warm, [{ start: monday + 8 * 3_600_000 + 1000, wallS: 42, rssKib: 286_720 }]);
    writeFileSync(join(dir, "journal.jsonl"), journal);
    const file = join(testOutputDir, "report-measured.html");
    const run = await runInProcess(["report", "--html", file, "--tz", "UTC", "--records", dir], example);
    assert.equal(run.code, 0, run.stderr);
    const measured = await context!.newPage();
    try {
      await measured.goto(`file://${file}`);
      const overflow = await overflowOf(measured);
      assert.deepEqual(overflow.page, [WIDTH, WIDTH]);
      assert.deepEqual(overflow.wider, [], "the measured table fits too");
      assert.deepEqual(overflow.outside, []);
      assert.match((await measured.locator("#measured-note").textContent()) ?? "", /^31 runs from 1 journal, finished 2026-11-02 00:00 to 2026-11-02 08:00 UTC; 2 jobs of 14 with runs\./);
      const row = measured.locator('table[data-table="measured"] tr[data-job="bin/process-queue.pl:30"]');
      assert.deepEqual([await row.getAttribute("data-p50"), await row.getAttribute("data-p95"), await row.getAttribute("data-overlaps")], ["30", "150", "3"]);
      const cells = await row.locator("td").allTextContents();
      assert.deepEqual(cells.slice(1), ["*/2 * * * *", "30", "30 s", "2 min 30 s", "2 min 30 s", "19.6 MiB", "3 of 30 runs, up to 31 s past the next slot"]);
      const warmRow = measured.locator('table[data-table="measured"] tr[data-job="bin/warm-cache.pl:19"]');
      assert.equal((await warmRow.locator("td").allTextContents())[6], "280 MiB");
      const overlapping = await measured.locator('ul[data-table="overlapping"] li').allTextContents();
      assert.equal(overlapping.length, 1);
      assert.match(overlapping[0] ?? "", /^bin\/process-queue\.pl --mod 2 --rem 0my-project-scripts1 \*\/2 \* \* \* \*: 3 of 30 runs still going at the next slot \(p95 2 min 30 s, up to 31 s past the next slot\)/);
      // The day timeline draws the p95 run time of measured jobs: the */2 band reaches 3 minutes past its last start.
      const band = measured.locator('table[data-table="timeline"] tr[data-job="bin/process-queue.pl:30"] rect.band');
      assert.equal(await band.getAttribute("width"), String(1438 + 3));
      await measured.screenshot({ path: join(testOutputDir, "report-measured.png"), fullPage: true });
    } finally {
      await measured.close();
    }
  });

  it("fetches nothing and saves a screenshot", async () => {
    assert.deepEqual(foreignRequests, []);
    await page.screenshot({ path: screenshotPath, fullPage: true });
    assert.ok(statSync(screenshotPath).size > 20_000, "screenshot written");
  });
});
