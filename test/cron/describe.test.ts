// Descriptions must say what Debian's cron does: the AND/OR day rule, 7 = Sunday,
// steps that restart, @reboot. Exact sentences, so any change of wording is deliberate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { describeCronTime } from "../../src/cron/describe.js";
import { timeOf } from "../list/cron-time.js";

const cases: [string, string][] = [
  ["* * * * *", "Every minute"],
  ["*/5 * * * *", "Every 5 minutes"],
  ["*/7 * * * *", "Every 7 minutes (minutes 0, 7, 14, …, 56 of the hour: the step restarts every hour)"],
  ["0 * * * *", "Every hour"],
  ["0-30/45 * * * *", "Every hour"],
  ["1-30/59 * * * *", "At 1 minute past the hour"],
  ["1-5,*/20 * * * *", "At 0 through 5, 20, and 40 minutes past the hour"],
  ["*/45 * * * *", "Every 45 minutes (minutes 0 and 45 of the hour: the step restarts every hour)"],
  ["0 2 * * *", "At 02:00"],
  ["0,30 2 * * *", "At 02:00 and 02:30"],
  ["10 1,13 * * *", "At 01:10 and 13:10"],
  ["0 */5 * * *", "At 00:00, 05:00, 10:00, 15:00 and 20:00"],
  ["*/10 9-17 * * *", "Every 10 minutes, between 09:00 and 17:59"],
  ["0 0 * * 7", "At 00:00, on Sunday"],
  ["0 0 * * 0,7", "At 00:00, on Sunday"],
  ["0 0 * * */2", "At 00:00, on Sunday, Tuesday, Thursday and Saturday"],
  ["15 10 * jan-mar mon-fri", "At 10:15, on Monday through Friday, in January through March"],
  ["0 0 29 2 *", "At 00:00, on day 29 of the month, in February"],
  ["0 0 */10 * *", "At 00:00, on days 1, 11, 21 and 31 of the month"],
  ["0 0 */2 * sun", "At 00:00, on days 1, 3, 5, …, 31 of the month, but only if that day is a Sunday (both day fields must match, because the day-of-month field starts with *)"],
  ["0 0 1-31/2 * sun", "At 00:00, on days 1, 3, 5, …, 31 of the month and on every Sunday (cron runs when either day field matches)"],
  ["30 4 1,15 * 5", "At 04:30, on days 1 and 15 of the month and on every Friday (cron runs when either day field matches)"],
  ["0 0 13 * fri", "At 00:00, on day 13 of the month and on every Friday (cron runs when either day field matches)"],
  ["0 0 1 * */7", "At 00:00, on day 1 of the month, but only if that day is a Sunday (both day fields must match, because the day-of-week field starts with *)"],
  ["0 0 1-31 * mon", "At 00:00, every day (day-of-month 1-31 matches every day, and cron runs when either day field matches)"],
  ["@daily", "At 00:00"],
  ["@hourly", "Every hour"],
  ["@weekly", "At 00:00, on Sunday"],
  ["@monthly", "At 00:00, on day 1 of the month"],
  ["@yearly", "At 00:00, on day 1 of the month, in January"],
  ["@reboot", "Once when cron starts after a boot (a cron restart does not run it again; installing the package does not run it)"],
];

for (const [text, expected] of cases) {
  test(`describes ${text}`, () => {
    assert.equal(describeCronTime(timeOf(text)), expected);
  });
}

test("never uses cronstrue's OR-less wording for both day fields", () => {
  for (const text of ["0 0 */2 * sun", "0 0 1,15 * fri"]) {
    assert.doesNotMatch(describeCronTime(timeOf(text)), /, and on /);
  }
});
