// Stampedes counted exactly over every combination of date and weekday (28 years), with
// Debian's day rule, and worded by minute and days.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REFERENCE_DAYS, calendarDay, dayCombinations } from "../../src/spread/calendar.js";
import { crowdWhen, findCrowds } from "../../src/spread/stampede.js";
import { timeOf } from "../list/cron-time.js";

const crowds = (times: string[], threshold: number) => findCrowds(times.map(timeOf), threshold);

describe("findCrowds", () => {
  it("finds nothing at or under the threshold", () => {
    assert.equal(crowds(["0 * * * *", "0 * * * *", "0 * * * *"], 3).size, 0);
    assert.equal(crowds(["0 * * * *", "1 * * * *", "2 * * * *", "3 * * * *"], 1).size, 0);
  });

  it("counts an hourly crowd at :00 of every hour", () => {
    const found = crowds(["0 * * * *", "0 * * * *", "*/15 * * * *", "@hourly", "5 * * * *"], 3);
    assert.deepEqual([...found.keys()].sort(), [0, 1, 2, 3]);
    const crowd = found.get(0);
    assert.equal(crowd?.count, 4);
    assert.deepEqual(crowd?.members, [0, 1, 2, 3]);
    assert.equal(crowd?.days, "every day");
    assert.equal(crowd && crowdWhen(crowd), "at :00 of every hour");
  });

  it("counts jobs on different days apart", () => {
    // Mondays and Tuesdays never meet; the 1st of the month meets each weekday some day.
    assert.equal(crowds(["0 3 * * mon", "0 3 * * mon", "0 3 * * tue", "0 3 * * tue"], 2).size, 0);
    const withFirst = crowds(["0 3 * * mon", "0 3 * * mon", "0 3 1 * *"], 2);
    assert.equal(withFirst.get(0)?.count, 3);
    assert.match(withFirst.get(2)?.days ?? "", /^on some days \(about 2 a year/);
    assert.equal(withFirst.get(0) && crowdWhen(withFirst.get(0)!), "at 03:00 on some days (about 2 a year, first 2024-01-01)");
  });

  it("follows Debian's day rule: OR when both day fields are restricted", () => {
    // 0 3 13 * fri runs every 13th and every Friday: it meets the Monday job on Monday the 13th.
    const or = crowds(["0 3 13 * fri", "0 3 * * mon", "0 3 * * mon"], 2);
    assert.equal(or.get(1)?.count, 3);
    // With */2 the day-of-month field starts with "*": AND, odd Fridays only, never a Monday.
    assert.equal(crowds(["0 3 */2 * fri", "0 3 * * mon", "0 3 * * mon"], 2).size, 0);
  });

  it("names weekdays when the crowd is on whole weekdays", () => {
    const found = crowds(["30 6 * * mon-fri", "30 6 * * 1-5", "30 6 * * *"], 2);
    assert.equal(found.get(2)?.days, "on Mondays, Tuesdays, Wednesdays, Thursdays and Fridays");
    assert.equal(crowdWhen(found.get(2)!), "at 06:30 on Mondays, Tuesdays, Wednesdays, Thursdays and Fridays");
  });

  it("gives every job its worst crowd and counts its other crowded minutes", () => {
    const found = crowds(["*/2 * * * *", "*/2 * * * *", "0 0 * * *", "0,30 * * * *"], 2);
    const daily = found.get(2);
    assert.equal(daily?.count, 4, "at 00:00 all four");
    assert.equal(daily?.minuteOfDay, 0);
    assert.deepEqual(daily?.crowdedMinutes, [0]);
    const half = found.get(3);
    assert.equal(half?.crowdedMinutes.length, 48, ":00 and :30 of every hour");
    assert.equal(half && crowdWhen(half), "at 00:00 every day (and in 47 other minutes of the day)");
    assert.equal(found.get(0)?.crowdedMinutes.length, 48);
  });

  it("leaves @reboot out", () => {
    assert.equal(crowds(["@reboot", "@reboot", "@reboot"], 1).size, 0);
  });

  it("handles a big package with one crowd per job", () => {
    const times = Array.from({ length: 3000 }, (_, i) => ["*/5 * * * *", "0 * * * *", "0 3 * * *", "30 4 * * 1-5", "0 0 1 * *"][i % 5] ?? "");
    const found = crowds(times, 5);
    assert.equal(found.size, 3000);
    assert.equal(found.get(4)?.count, 3 * 600, "00:00 on the 1st: the */5, hourly and monthly jobs (not the 03:00 or 04:30 ones)");
  });
});

describe("the reference calendar", () => {
  it("has every day's month, day and weekday as Date gives them, 2024-01-01 to 2051-12-31", () => {
    const start = Date.UTC(2024, 0, 1);
    for (let i = 0; i < REFERENCE_DAYS; i++) {
      const date = new Date(start + i * 86_400_000);
      assert.deepEqual(calendarDay(i), { month: date.getUTCMonth() + 1, dom: date.getUTCDate(), dow: date.getUTCDay() }, date.toISOString());
    }
    assert.equal(new Date(start + (REFERENCE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10), "2051-12-31");
  });

  it("stands for the days by their combinations of date and weekday, each counted once", () => {
    const all = dayCombinations();
    let days = 0;
    for (let c = 0; c < all.count; c++) {
      days += all.size[c] ?? 0;
      assert.deepEqual(calendarDay(all.first[c] ?? -1), { month: all.month[c], dom: all.dom[c], dow: all.dow[c] });
      if (c > 0) assert.ok((all.first[c] ?? 0) > (all.first[c - 1] ?? 0), "in the order of their first day");
    }
    assert.equal(days, REFERENCE_DAYS);
    // In 28 years every date, 29 February included, falls on every weekday.
    assert.equal(all.count, 366 * 7);
  });
});
