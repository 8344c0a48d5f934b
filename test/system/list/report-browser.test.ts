// The schedule report of examples/my-project, opened in headless Chromium (Debian package
// `chromium`, driven by playwright-core with the system binary): the heat maps and the busiest
// minutes must be rendered with the right numbers, the page must fetch nothing from the
// network, and a screenshot goes to test-output/report.png.
//
// Hand-counted numbers for the example (UTC, week of Monday 2024-01-01):
// - Mon 00:00-00:59: 2 x 30 (*/2) + 4 (*/15) + 2 x 6 (*/10) + 20 (*/3) + 1 (@daily) + 1 (5 * * * *) = 98;
//   Mon 08:00-08:59 adds 12 starts of warm-cache (*/5 8-20 mon-fri) = 109.
// - Minute :00 over the week: 336 (*/2 x2) + 168 (*/15) + 336 (*/10 x2) + 168 (*/3)
//   + 65 (warm-cache, 13 hours x 5 days) + 7 (@daily) + 5 (0 7 * * mon-fri) + 1 (0 2 1 * *) = 1086.
// - At most 7 jobs start in one minute (the six every-few-minutes jobs at :00/:30 plus one more).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { buildReport, type ScheduleReport } from "../../../src/list/report.js";
import { lintProject } from "../../../src/project.js";
import { runInProcess } from "../../helpers/cli.js";
import { repoRoot, testOutputDir } from "../../helpers/paths.js";

const CHROMIUM = "/usr/bin/chromium";
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
    viewport: { width: 1400, height: 900 },
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

/** The data-count values of one heat map row. */
async function rowCounts(kind: string, series: string, row: string): Promise<number[]> {
  const cells = page.locator(`table[data-heatmap="${kind}"][data-series="${series}"] tr[data-row="${row}"] td[data-count]`);
  return (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-count"))))) as number[];
}

describe("schedule report in Chromium", () => {
  it("renders the hour-of-week heat map with the right numbers", async () => {
    const mon = await rowCounts("hour-of-week", "all", "Mon");
    assert.equal(mon.length, 24);
    assert.equal(mon[0], 98);
    assert.equal(mon[8], 109);
    const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const all: number[] = [];
    for (const day of days) all.push(...(await rowCounts("hour-of-week", "all", day)));
    assert.deepEqual(all, expected.hourOfWeek.all);
    assert.equal(all.reduce((a, b) => a + b, 0), Number(await page.locator("#start-count").textContent()));
    for (const [name, counts] of Object.entries(expected.hourOfWeek.byPackage)) {
      assert.deepEqual(await rowCounts("hour-of-week", "package", name), counts, name);
    }
    for (const [name, counts] of Object.entries(expected.hourOfWeek.byGroup)) {
      assert.deepEqual(await rowCounts("hour-of-week", "group", name), counts, name);
    }
    // The numbers are visible in the cells, and the busiest cells are coloured.
    const busiest = page.locator('table[data-heatmap="hour-of-week"][data-series="all"] tr[data-row="Mon"] td[data-count="109"]').first();
    assert.equal((await busiest.textContent())?.trim(), "109");
    assert.ok(await busiest.isVisible());
    // The project compiles without the DOM library: reach getComputedStyle through globalThis.
    type Styles = { getComputedStyle(element: unknown): { backgroundColor: string } };
    const colour = await busiest.evaluate((td) => (globalThis as unknown as Styles).getComputedStyle(td).backgroundColor);
    assert.match(colour, /^rgb\(/);
    assert.notEqual(colour, "rgb(255, 255, 255)");
  });

  it("renders the minute-of-hour heat map with the minute-0 stampede", async () => {
    const minutes = await rowCounts("minute-of-hour", "all", "all");
    assert.equal(minutes.length, 60);
    assert.equal(minutes[0], 1086);
    assert.equal(Math.max(...minutes), 1086);
    assert.deepEqual(minutes, expected.minuteOfHour.all);
    for (const [name, counts] of Object.entries(expected.minuteOfHour.byGroup)) {
      assert.deepEqual(await rowCounts("minute-of-hour", "group", name), counts, name);
    }
  });

  it("lists the busiest minutes with their jobs", async () => {
    const first = page.locator('ol[data-list="minute-of-hour"] > li').first();
    assert.equal(await first.getAttribute("data-minute"), ":00");
    assert.equal(await first.getAttribute("data-count"), "1086");
    const jobs = await first.locator("li[data-job]").evaluateAll((lis) => lis.map((li) => [li.getAttribute("data-job"), Number(li.getAttribute("data-count"))]));
    assert.equal(jobs.length, 10);
    assert.deepEqual(jobs.find(([job]) => job === "bin/cleanup-tmp.sh:12"), ["bin/cleanup-tmp.sh:12", 7]);
    assert.equal(jobs.reduce((sum, [, n]) => sum + Number(n), 0), 1086);
    assert.equal(await page.locator("#peak").getAttribute("data-peak"), "7");
    assert.equal(await page.locator("#peak").getAttribute("data-peak-minutes"), String(expected.peak.minutes));
    const week = page.locator('ol[data-list="minute-of-week"] > li');
    assert.equal(await week.count(), 10);
    assert.equal(await week.first().getAttribute("data-minute"), "Mon 00:00");
    assert.equal(await week.first().getAttribute("data-count"), "7");
    assert.match((await week.first().textContent()) ?? "", /cleanup-tmp\.sh/);
  });

  it("lists the jobs that start more often than every 5 minutes, and every job", async () => {
    const frequent = await page.locator('table[data-table="frequent"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-job")));
    assert.deepEqual(frequent.sort(), ["bin/check-replication:6", "bin/process-queue.pl:30", "bin/process-queue.pl:35"]);
    assert.equal(await page.locator('table[data-table="jobs"] tbody tr').count(), expected.jobCount);
  });

  it("fetches nothing and saves a screenshot", async () => {
    assert.deepEqual(foreignRequests, []);
    await page.screenshot({ path: screenshotPath, fullPage: true });
    assert.ok(statSync(screenshotPath).size > 20_000, "screenshot written");
  });
});
