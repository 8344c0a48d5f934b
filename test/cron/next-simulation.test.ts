// nextRuns against a literal, minute-by-minute transcription of Debian cron's main loop
// (cron.c with debian/patches/features/Better-timeskip-handling.patch): for random schedules
// and random windows around DST changes, both must give the same start times. nextRuns jumps
// from match to match; the simulation below steps every real minute, like the daemon.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { CronTime } from "../../src/types.js";
import { nextRuns } from "../../src/cron/next.js";
import { formatInZone, zoneOffsets } from "../../src/cron/zone.js";
import { timeOf } from "../list/cron-time.js";

const MIN = 60_000;

/** find_jobs()'s test for one wall minute (wall ms: local time written as UTC). */
function matches(time: CronTime, wall: number): boolean {
  const d = new Date(wall);
  const dom = time.daysOfMonth.includes(d.getUTCDate());
  const dow = time.daysOfWeek.includes(d.getUTCDay());
  return (
    time.minutes.includes(d.getUTCMinutes()) &&
    time.hours.includes(d.getUTCHours()) &&
    time.months.includes(d.getUTCMonth() + 1) &&
    (time.domStar || time.dowStar ? dom && dow : dom || dow)
  );
}

/** entry.c: MIN_STAR / HR_STAR from the first character of the field; @hourly sets HR_STAR. */
function wildcard(time: CronTime): boolean {
  if (time.keyword !== undefined) return time.keyword === "@hourly";
  const [minute = "", hour = ""] = time.text.split(" ");
  return minute[0] === "*" || hour[0] === "*";
}

/**
 * The zone's offset (minutes) at each real minute, remembered: the 300 windows of the property
 * below fall around nine changes, so they ask for the same few thousand minutes again and again,
 * and each answer from the tz database (Intl) costs microseconds — 860,000 of them took 6 s.
 */
const offsetMemo = new Map<string, Map<number, number>>();
function offsetAt(zone: string, real: number): number {
  let memo = offsetMemo.get(zone);
  if (memo === undefined) offsetMemo.set(zone, (memo = new Map()));
  let offset = memo.get(real);
  if (offset === undefined) memo.set(real, (offset = zoneOffsets(zone).offsetAt(real)));
  return offset;
}

/** cron.c's main loop, one real minute at a time, from `from` (exclusive) to `until`. */
function simulate(time: CronTime, from: number, until: number, zone: string): number[] {
  const wallOf = (real: number): number => real + offsetAt(zone, real) * MIN;
  const wild = wildcard(time);
  const runs: number[] = [];
  const start = Math.floor(from / MIN) * MIN;
  let virtual = wallOf(start);
  let real = start + MIN;
  // Declared once, not once a minute: tsx wraps every closure it creates in a naming call.
  const run = (doWild: boolean, doNonWild: boolean, wall: number): void => {
    if (matches(time, wall) && ((doWild && wild) || (doNonWild && !wild))) runs.push(real);
  };
  for (; real < until; real += MIN) {
    const running = wallOf(real);
    const diff = (running - virtual) / MIN;
    if (diff === 1) {
      virtual = running;
      run(true, true, virtual);
    } else if (diff > 180 || diff <= -180) {
      virtual = running;
      run(true, true, running);
    } else if (diff > 5) {
      run(true, false, running);
      do {
        virtual += MIN;
        run(false, true, virtual);
      } while (virtual < running);
    } else if (diff > 0) {
      do {
        virtual += MIN;
        run(true, true, virtual);
      } while (virtual < running);
    } else {
      run(true, false, running);
    }
  }
  return runs;
}

const CHANGES: Array<[string, string]> = [
  ["Europe/Berlin", "2026-03-29T01:00:00Z"],
  ["Europe/Berlin", "2026-10-25T01:00:00Z"],
  ["America/New_York", "2026-03-08T07:00:00Z"],
  ["America/New_York", "2026-11-01T06:00:00Z"],
  ["Australia/Lord_Howe", "2026-04-04T15:00:00Z"],
  ["Australia/Lord_Howe", "2026-10-03T15:30:00Z"],
  ["America/Santiago", "2026-09-06T04:00:00Z"],
  ["Pacific/Apia", "2011-12-30T10:00:00Z"],
  ["UTC", "2026-01-01T00:00:00Z"],
];

const field = (items: string[]): fc.Arbitrary<string> => fc.constantFrom(...items);
const schedule = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(
    // Weighted towards what matters at a change: hours 1-3, every month, every day.
    field(["*", "*/7", "0", "30", "0,30", "*/15", "5-10", "59", "0-59/20", "1-59/2"]),
    field(["*", "2", "1,2,3", "1", "2,3", "*/3", "0-23/5", "3", "0"]),
    field(["*", "*", "*/2", "1-31/2", "1,15", "25-31", "29"]),
    field(["*", "*", "3,4,9,10,11", "*/2", "10-11", "3"]),
    field(["*", "*", "0", "7", "sun", "1-5", "*/2", "sat,sun"]),
  ).map((f) => f.join(" ")) },
  { weight: 1, arbitrary: field(["@hourly", "@daily", "@weekly", "@monthly", "@yearly"]) },
);

test("nextRuns equals the minute-by-minute simulation of cron.c around DST changes", () => {
  fc.assert(
    fc.property(schedule, fc.constantFrom(...CHANGES), fc.integer({ min: 0, max: 24 * 60 }), (text, [zone, change], before) => {
      const time = timeOf(text);
      const from = Date.parse(change) - before * MIN;
      const until = from + 2 * 24 * 60 * MIN;
      const expected = simulate(time, from, until, zone);
      const actual = nextRuns(time, new Date(from), expected.length + 1, zone)
        .map((d) => d.getTime())
        .filter((t) => t < until);
      const show = (list: number[]): string[] => list.map((t) => formatInZone(t, zone));
      assert.deepEqual(show(actual), show(expected), `${text} in ${zone} from ${new Date(from).toISOString()}`);
    }),
    { seed: 20260329, numRuns: 300 },
  );
});
