// Next run times with Debian cron's semantics: a hand-checked table.
// Calendar facts used: 2026-01-01 is a Thursday, 2026-02-01 a Sunday, 2028-02-29 a Tuesday,
// 2032-02-29 a Sunday, 2100 is not a leap year. DST changes (checked with GNU date and the
// tz database): Europe/Berlin 2026-03-29 02:00 CET -> 03:00 CEST and 2026-10-25 03:00 CEST ->
// 02:00 CET; Europe/London 2026-03-29 01:00 GMT -> 02:00 BST; America/New_York 2026-03-08
// 02:00 EST -> 03:00 EDT and 2026-11-01 02:00 EDT -> 01:00 EST; America/Santiago 2026-09-06
// 00:00 -04 -> 01:00 -03; Australia/Lord_Howe 2026-04-05 02:00 +11 -> 01:30 +10:30 and
// 2026-10-04 02:00 +10:30 -> 02:30 +11; Pacific/Apia skipped 2011-12-30 (-10 -> +14).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nextRuns, runsBetween } from "../../src/cron/next.js";
import { formatInZone } from "../../src/cron/zone.js";
import { timeOf } from "../list/cron-time.js";

interface Case {
  time: string;
  zone?: string;
  from: string;
  expect: string[];
  /** How many runs to ask for (default: expect.length, or 3 when nothing is expected). */
  count?: number;
  why: string;
}

const Z = "+00:00";
const cases: Case[] = [
  // Plain calendar arithmetic (UTC).
  { time: "* * * * *", from: "2026-01-01T00:00:00Z", expect: [`2026-01-01T00:01:00${Z}`, `2026-01-01T00:02:00${Z}`, `2026-01-01T00:03:00${Z}`], why: "every minute, strictly after from" },
  { time: "*/15 * * * *", from: "2026-01-01T00:07:30Z", expect: [`2026-01-01T00:15:00${Z}`, `2026-01-01T00:30:00${Z}`, `2026-01-01T00:45:00${Z}`, `2026-01-01T01:00:00${Z}`], why: "quarter hours" },
  { time: "5 4 * * *", from: "2026-01-01T04:05:00Z", expect: [`2026-01-02T04:05:00${Z}`], why: "a run exactly at from is not counted" },
  { time: "5 4 * * *", from: "2026-01-01T04:04:59.999Z", expect: [`2026-01-01T04:05:00${Z}`], why: "milliseconds before the run" },
  { time: "0 0 1 * *", from: "2026-01-15T00:00:00Z", expect: [`2026-02-01T00:00:00${Z}`, `2026-03-01T00:00:00${Z}`], why: "first of the month" },
  { time: "0 0 31 * *", from: "2026-01-01T00:00:00Z", expect: [`2026-01-31T00:00:00${Z}`, `2026-03-31T00:00:00${Z}`, `2026-05-31T00:00:00${Z}`, `2026-07-31T00:00:00${Z}`], why: "the 31st skips short months" },
  { time: "0 0 30 * *", from: "2026-01-31T00:00:00Z", expect: [`2026-03-30T00:00:00${Z}`, `2026-04-30T00:00:00${Z}`], why: "the 30th skips February" },
  { time: "0 0 29 2 *", from: "2026-01-01T00:00:00Z", expect: [`2028-02-29T00:00:00${Z}`, `2032-02-29T00:00:00${Z}`], why: "leap days only" },
  { time: "0 12 29 2 *", from: "2028-02-29T12:00:00Z", expect: [`2032-02-29T12:00:00${Z}`], why: "next leap day after a run" },
  { time: "0 0 29 2 *", from: "2096-03-01T00:00:00Z", expect: [`2104-02-29T00:00:00${Z}`], why: "2100 is not a leap year" },
  { time: "0 0 28-31 2 *", from: "2026-01-01T00:00:00Z", expect: [`2026-02-28T00:00:00${Z}`, `2027-02-28T00:00:00${Z}`, `2028-02-28T00:00:00${Z}`, `2028-02-29T00:00:00${Z}`], why: "February's end, leap and not" },
  { time: "0 0 31 2 *", from: "2026-01-01T00:00:00Z", expect: [], why: "never fires: empty, no endless loop" },
  { time: "0 0 30 2 *", from: "2026-01-01T00:00:00Z", expect: [], why: "never fires" },
  { time: "0 0 31 4,6,9,11 *", from: "2026-01-01T00:00:00Z", expect: [], why: "never fires: 30-day months" },
  { time: "@reboot", from: "2026-01-01T00:00:00Z", expect: [], why: "@reboot has no clock time" },
  { time: "59 23 31 12 *", from: "2026-01-01T00:00:00Z", expect: [`2026-12-31T23:59:00${Z}`, `2027-12-31T23:59:00${Z}`], why: "last minute of the year" },
  { time: "0 0 1 1 *", from: "2026-01-01T00:00:00Z", expect: [`2027-01-01T00:00:00${Z}`], why: "new year, strictly after" },
  { time: "0 0 31 1-12/2 *", from: "2026-01-01T00:00:00Z", expect: [`2026-01-31T00:00:00${Z}`, `2026-03-31T00:00:00${Z}`, `2026-05-31T00:00:00${Z}`, `2026-07-31T00:00:00${Z}`, `2027-01-31T00:00:00${Z}`], why: "odd months with 31 days (Sep, Nov have 30)" },
  { time: "0 0 */10 * *", from: "2026-01-21T12:00:00Z", expect: [`2026-01-31T00:00:00${Z}`, `2026-02-01T00:00:00${Z}`, `2026-02-11T00:00:00${Z}`, `2026-02-21T00:00:00${Z}`, `2026-03-01T00:00:00${Z}`], why: "day steps restart each month (31 then 1)" },
  { time: "*/7 * * * *", from: "2026-01-01T00:50:00Z", expect: [`2026-01-01T00:56:00${Z}`, `2026-01-01T01:00:00${Z}`, `2026-01-01T01:07:00${Z}`], why: "minute steps restart each hour" },
  { time: "0 */5 * * *", from: "2026-01-01T20:30:00Z", expect: [`2026-01-02T00:00:00${Z}`, `2026-01-02T05:00:00${Z}`, `2026-01-02T10:00:00${Z}`], why: "hour steps restart each day" },
  { time: "0 8-10 * * *", from: "2026-01-01T09:30:00Z", expect: [`2026-01-01T10:00:00${Z}`, `2026-01-02T08:00:00${Z}`, `2026-01-02T09:00:00${Z}`], why: "hour range" },
  // Day of month and day of week: Debian's AND/OR rule.
  { time: "0 0 */2 * sun", from: "2026-01-01T00:00:00Z", expect: [`2026-01-11T00:00:00${Z}`, `2026-01-25T00:00:00${Z}`, `2026-02-01T00:00:00${Z}`, `2026-02-15T00:00:00${Z}`], why: "*/2 starts with *: AND, Sundays on odd dates" },
  { time: "0 0 1-31/2 * sun", from: "2026-01-01T00:00:00Z", expect: [`2026-01-03T00:00:00${Z}`, `2026-01-04T00:00:00${Z}`, `2026-01-05T00:00:00${Z}`, `2026-01-07T00:00:00${Z}`, `2026-01-09T00:00:00${Z}`], why: "1-31/2: OR, odd dates and Sundays" },
  { time: "30 4 1,15 * 5", from: "2026-01-01T00:00:00Z", expect: [`2026-01-01T04:30:00${Z}`, `2026-01-02T04:30:00${Z}`, `2026-01-09T04:30:00${Z}`, `2026-01-15T04:30:00${Z}`, `2026-01-16T04:30:00${Z}`], why: "crontab(5) example: 1st, 15th and every Friday" },
  { time: "0 0 13 * fri", from: "2026-01-01T00:00:00Z", expect: [`2026-01-02T00:00:00${Z}`, `2026-01-09T00:00:00${Z}`, `2026-01-13T00:00:00${Z}`, `2026-01-16T00:00:00${Z}`], why: "not Friday the 13th: every 13th and every Friday" },
  { time: "0 0 */13 * fri", from: "2026-01-01T00:00:00Z", expect: [`2026-02-27T00:00:00${Z}`, `2026-03-27T00:00:00${Z}`], why: "AND: Fridays that are the 1st, 14th or 27th" },
  { time: "0 0 * * */2", from: "2026-01-01T00:00:00Z", expect: [`2026-01-03T00:00:00${Z}`, `2026-01-04T00:00:00${Z}`, `2026-01-06T00:00:00${Z}`, `2026-01-08T00:00:00${Z}`], why: "*/2 weekdays: Sun, Tue, Thu, Sat" },
  { time: "0 0 1 * */7", from: "2026-01-01T00:00:00Z", expect: [`2026-02-01T00:00:00${Z}`, `2026-03-01T00:00:00${Z}`, `2026-11-01T00:00:00${Z}`], why: "AND: the 1st when it is a Sunday" },
  { time: "0 0 29 2 */7", from: "2026-01-01T00:00:00Z", expect: [`2032-02-29T00:00:00${Z}`, `2060-02-29T00:00:00${Z}`], why: "AND: Feb 29 on a Sunday (28-year gap)" },
  { time: "0 0 29 2 mon", from: "2028-02-20T00:00:00Z", expect: [`2028-02-21T00:00:00${Z}`, `2028-02-28T00:00:00${Z}`, `2028-02-29T00:00:00${Z}`, `2029-02-05T00:00:00${Z}`], why: "OR: Mondays in February and the leap day" },
  { time: "0 0 * * 1-5", from: "2026-01-01T00:00:00Z", expect: [`2026-01-02T00:00:00${Z}`, `2026-01-05T00:00:00${Z}`, `2026-01-06T00:00:00${Z}`], why: "weekdays" },
  // 7 as Sunday, and names.
  { time: "0 0 * * 7", from: "2026-01-01T00:00:00Z", expect: [`2026-01-04T00:00:00${Z}`, `2026-01-11T00:00:00${Z}`], why: "7 is Sunday" },
  { time: "0 0 * * 0,7", from: "2026-01-01T00:00:00Z", expect: [`2026-01-04T00:00:00${Z}`, `2026-01-11T00:00:00${Z}`], why: "0 and 7 are the same Sunday, once" },
  { time: "0 0 * * 5-7", from: "2026-01-01T00:00:00Z", expect: [`2026-01-02T00:00:00${Z}`, `2026-01-03T00:00:00${Z}`, `2026-01-04T00:00:00${Z}`, `2026-01-09T00:00:00${Z}`], why: "Friday through Sunday written 5-7" },
  { time: "0 0 * * SAT,sun", from: "2026-01-01T00:00:00Z", expect: [`2026-01-03T00:00:00${Z}`, `2026-01-04T00:00:00${Z}`, `2026-01-10T00:00:00${Z}`], why: "weekday names, any case" },
  { time: "0 9 * feb mon-fri", from: "2026-01-01T00:00:00Z", expect: [`2026-02-02T09:00:00${Z}`, `2026-02-03T09:00:00${Z}`, `2026-02-04T09:00:00${Z}`], why: "month and weekday names" },
  { time: "0 0 1 jan-mar/2 *", from: "2026-01-01T00:00:00Z", expect: [`2026-03-01T00:00:00${Z}`, `2027-01-01T00:00:00${Z}`], why: "name range with a step: Jan and Mar" },
  // @ keywords.
  { time: "@yearly", from: "2026-06-01T00:00:00Z", expect: [`2027-01-01T00:00:00${Z}`, `2028-01-01T00:00:00${Z}`], why: "@yearly" },
  { time: "@annually", from: "2026-06-01T00:00:00Z", expect: [`2027-01-01T00:00:00${Z}`], why: "@annually" },
  { time: "@monthly", from: "2026-01-31T12:00:00Z", expect: [`2026-02-01T00:00:00${Z}`, `2026-03-01T00:00:00${Z}`], why: "@monthly" },
  { time: "@weekly", from: "2026-01-01T00:00:00Z", expect: [`2026-01-04T00:00:00${Z}`, `2026-01-11T00:00:00${Z}`], why: "@weekly: Sunday midnight" },
  { time: "@daily", from: "2026-01-01T00:00:00Z", expect: [`2026-01-02T00:00:00${Z}`, `2026-01-03T00:00:00${Z}`], why: "@daily" },
  { time: "@midnight", from: "2026-01-01T23:59:00Z", expect: [`2026-01-02T00:00:00${Z}`], why: "@midnight" },
  { time: "@hourly", from: "2026-01-01T00:30:00Z", expect: [`2026-01-01T01:00:00${Z}`, `2026-01-01T02:00:00${Z}`], why: "@hourly" },
  // Zones without DST.
  { time: "0 9 * * *", zone: "Asia/Kolkata", from: "2026-01-01T00:00:00Z", expect: ["2026-01-01T09:00:00+05:30", "2026-01-02T09:00:00+05:30"], why: "half-hour offset" },
  { time: "0 0 * * *", zone: "Asia/Kathmandu", from: "2026-01-01T00:00:00Z", expect: ["2026-01-02T00:00:00+05:45"], why: "quarter-hour offset" },
  { time: "0 0 1 1 *", zone: "Pacific/Kiritimati", from: "2026-06-01T00:00:00Z", expect: ["2027-01-01T00:00:00+14:00"], why: "UTC+14" },
  // Europe/Berlin, spring forward: 02:00-02:59 does not exist on 2026-03-29.
  { time: "30 2 * * *", zone: "Europe/Berlin", from: "2026-03-28T12:00:00+01:00", expect: ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"], why: "fixed time in the skipped hour runs right after the change" },
  { time: "0 2 * * *", zone: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", expect: ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"], why: "fixed 02:00 runs at 03:00 CEST" },
  { time: "0,30 2 * * *", zone: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", expect: ["2026-03-29T03:00:00+02:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"], why: "once per skipped minute (cron.c runs find_jobs per minute)" },
  { time: "0-59/30 2 * * *", zone: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", expect: ["2026-03-29T03:00:00+02:00", "2026-03-29T03:00:00+02:00"], why: "0-59/30 does not start with *: fixed-time" },
  { time: "0 2,3 * * *", zone: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", expect: ["2026-03-29T03:00:00+02:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"], why: "the skipped 02:00 and the real 03:00 both run" },
  { time: "*/30 * * * *", zone: "Europe/Berlin", from: "2026-03-29T01:00:00+01:00", expect: ["2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"], why: "wildcard job: skipped minutes are not made up" },
  { time: "30 * * * *", zone: "Europe/Berlin", from: "2026-03-29T01:00:00+01:00", expect: ["2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"], why: "* in the hour field makes it a wildcard job" },
  { time: "*/15 2 * * *", zone: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", expect: ["2026-03-30T02:00:00+02:00", "2026-03-30T02:15:00+02:00"], why: "* in the minute field: nothing on the change day" },
  { time: "@hourly", zone: "Europe/Berlin", from: "2026-03-29T00:30:00+01:00", expect: ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"], why: "@hourly sets HR_STAR: wildcard" },
  { time: "@daily", zone: "Europe/Berlin", from: "2026-03-28T12:00:00+01:00", expect: ["2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"], why: "midnight is not affected" },
  // Europe/Berlin, fall back: 02:00-02:59 happens twice on 2026-10-25.
  { time: "30 2 * * *", zone: "Europe/Berlin", from: "2026-10-25T00:00:00+02:00", expect: ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"], why: "fixed time in the repeated hour runs once" },
  { time: "15 2,3 * * *", zone: "Europe/Berlin", from: "2026-10-25T00:00:00+02:00", expect: ["2026-10-25T02:15:00+02:00", "2026-10-25T03:15:00+01:00", "2026-10-26T02:15:00+01:00"], why: "02:15 once, then 03:15" },
  { time: "*/30 * * * *", zone: "Europe/Berlin", from: "2026-10-25T01:45:00+02:00", expect: ["2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00", "2026-10-25T03:00:00+01:00"], why: "wildcard job runs in both copies of the hour" },
  { time: "0 * * * *", zone: "Europe/Berlin", from: "2026-10-25T01:30:00+02:00", expect: ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"], why: "hourly wildcard runs twice at 02:00" },
  // Europe/London.
  { time: "30 1 * * *", zone: "Europe/London", from: "2026-03-29T00:00:00Z", expect: ["2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00"], why: "01:30 GMT skipped: runs at 02:00 BST" },
  // America/New_York.
  { time: "30 2 * * *", zone: "America/New_York", from: "2026-03-07T12:00:00-05:00", expect: ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"], why: "spring forward: 02:30 runs at 03:00 EDT" },
  { time: "0 3 * * *", zone: "America/New_York", from: "2026-03-08T00:00:00-05:00", expect: ["2026-03-08T03:00:00-04:00", "2026-03-09T03:00:00-04:00"], why: "03:00 exists: one run" },
  { time: "30 1 * * *", zone: "America/New_York", from: "2026-11-01T00:00:00-04:00", expect: ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"], why: "fall back: 01:30 runs once (EDT)" },
  { time: "*/20 1 * * *", zone: "America/New_York", from: "2026-11-01T00:30:00-04:00", expect: ["2026-11-01T01:00:00-04:00", "2026-11-01T01:20:00-04:00", "2026-11-01T01:40:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T01:20:00-05:00", "2026-11-01T01:40:00-05:00", "2026-11-02T01:00:00-05:00"], why: "fall back: wildcard job runs in both hours" },
  { time: "0 0 * * *", zone: "America/Santiago", from: "2026-09-05T12:00:00-04:00", expect: ["2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00"], why: "midnight skipped (change at 24:00): runs at 01:00" },
  // A 30-minute DST zone.
  { time: "15 2 * * *", zone: "Australia/Lord_Howe", from: "2026-10-03T12:00:00+10:30", expect: ["2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"], why: "30-minute gap: 02:15 runs at 02:30" },
  { time: "*/15 * * * *", zone: "Australia/Lord_Howe", from: "2026-10-04T01:40:00+10:30", expect: ["2026-10-04T01:45:00+10:30", "2026-10-04T02:30:00+11:00", "2026-10-04T02:45:00+11:00"], why: "wildcard: 02:00 and 02:15 lost" },
  { time: "45 1 * * *", zone: "Australia/Lord_Howe", from: "2026-04-05T00:00:00+11:00", expect: ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"], why: "30-minute repeat: once" },
  // A change of more than 3 hours is a clock correction: skipped minutes are lost.
  { time: "0 12 * * *", zone: "Pacific/Apia", from: "2011-12-29T00:00:00-10:00", expect: ["2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00"], why: "Apia skipped Dec 30, 2011: no catch-up after a 24-hour jump" },
  { time: "0 0 * * *", zone: "Pacific/Apia", from: "2011-12-28T12:00:00-10:00", expect: ["2011-12-29T00:00:00-10:00", "2011-12-31T00:00:00+14:00"], why: "jump: the new minute runs normally" },
];

test("the table has at least 60 hand-checked schedules", () => {
  assert.ok(cases.length >= 60, `only ${cases.length} cases`);
});

for (const c of cases) {
  const zone = c.zone ?? "UTC";
  test(`${c.time} in ${zone} after ${c.from}: ${c.why}`, () => {
    const count = c.count ?? (c.expect.length === 0 ? 3 : c.expect.length);
    const runs = nextRuns(timeOf(c.time), new Date(c.from), count, zone).map((d) => formatInZone(d.getTime(), zone));
    assert.deepEqual(runs, c.expect);
  });
}

test("count 0 gives no runs", () => {
  assert.deepEqual(nextRuns(timeOf("* * * * *"), new Date("2026-01-01T00:00:00Z"), 0, "UTC"), []);
});

test("runsBetween covers [start, end) of a week", () => {
  const start = new Date("2026-01-05T00:00:00Z");
  const end = new Date("2026-01-12T00:00:00Z");
  const runs = runsBetween(timeOf("0 0 * * *"), start, end, "UTC");
  assert.equal(runs.length, 7);
  assert.equal(runs[0], start.getTime());
  assert.equal(runs.at(-1), Date.UTC(2026, 0, 11));
  assert.equal(runsBetween(timeOf("* * * * *"), start, end, "Europe/Berlin").length, 7 * 24 * 60);
});

test("a schedule that never fires returns quickly", () => {
  const started = process.hrtime.bigint();
  assert.deepEqual(nextRuns(timeOf("0 0 30 2 *"), new Date("2026-01-01T00:00:00Z"), 5, "Europe/Berlin"), []);
  // Generous bound: the point is that it ends, not how fast.
  assert.ok(process.hrtime.bigint() - started < 10_000_000_000n);
});
