/**
 * When Debian's cron really starts a job: the next run times of a CronTime in a time zone.
 *
 * Hand-written on purpose (SPEC 3): npm cron libraries use other day rules and other
 * daylight-saving rules. This module follows Debian cron 3.0pl1:
 * - cron.c find_jobs(): a minute matches when minute, hour and month match and the day rule
 *   holds: if DOM_STAR or DOW_STAR (the field's text starts with `*`) both day fields must
 *   match (AND), otherwise either may (OR).
 * - cron.c main loop: cron counts local wall-clock minutes; how it reacts when the wall clock
 *   jumps (DST) is in ./dst.ts. Skipped fixed-time minutes run right after a spring-forward
 *   change, once per skipped matching minute; in a repeated (fall-back) hour only wildcard
 *   jobs run again; wildcard jobs are not adjusted.
 * Zones come from the platform's tz database (./zone.ts, over Intl).
 */
import type { CronTime } from "../types.js";
import { isWildcardJob, wakeupKind } from "./dst.js";
import { zoneOffsets } from "./zone.js";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** One Gregorian cycle: weekdays and leap days repeat every 400 years, so a schedule that can fire does within it. */
const HORIZON_MS = 146_097 * DAY_MS + 2 * DAY_MS;
/** Days in each month of a leap year (index 1..12): Feb 29 exists in some year. */
const MAX_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A CronTime turned into lookup tables. */
interface Matcher {
  minutes: number[];
  hours: number[];
  month: boolean[];
  dom: boolean[];
  dow: boolean[];
  /** DOM_STAR || DOW_STAR: both day fields must match. */
  and: boolean;
}

function table(values: number[], size: number): boolean[] {
  const result = new Array<boolean>(size).fill(false);
  for (const v of values) result[v] = true;
  return result;
}

function matcherOf(time: CronTime): Matcher {
  return {
    minutes: [...time.minutes].sort((a, b) => a - b),
    hours: [...time.hours].sort((a, b) => a - b),
    month: table(time.months, 13),
    dom: table(time.daysOfMonth, 32),
    // CronTime folds 7 into 0 already; fold again in case a hand-made value did not.
    dow: table(time.daysOfWeek.map((d) => d % 7), 7),
    and: time.domStar || time.dowStar,
  };
}

function dayMatches(m: Matcher, dom: number, dow: number): boolean {
  return m.and ? m.dom[dom] === true && m.dow[dow] === true : m.dom[dom] === true || m.dow[dow] === true;
}

/** False when no date in any year matches (`0 0 31 2 *`, `0 0 30 2 *`): such a schedule never fires. */
function canFire(m: Matcher): boolean {
  if (m.minutes.length === 0 || m.hours.length === 0 || !m.dow.includes(true)) return false;
  for (let month = 1; month <= 12; month++) {
    if (!m.month[month]) continue;
    // Over 400 years every date of a month falls on every weekday, so only the day of month decides.
    if (!m.and) return true;
    for (let day = 1; day <= (MAX_DAYS[month] ?? 0); day++) if (m.dom[day]) return true;
  }
  return false;
}

/**
 * Matching wall-clock minutes in [`start`, `end`), ascending. Wall times are local times
 * written as if they were UTC (milliseconds), so plain UTC calendar arithmetic applies.
 */
function* wallMatches(m: Matcher, start: number, end: number): Generator<number> {
  let day = Math.floor(start / DAY_MS) * DAY_MS;
  let fromMinute = Math.round((start - day) / MINUTE_MS);
  while (day < end) {
    const date = new Date(day);
    if (!m.month[date.getUTCMonth() + 1]) {
      day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      fromMinute = 0;
      continue;
    }
    if (dayMatches(m, date.getUTCDate(), date.getUTCDay())) {
      for (const hour of m.hours) {
        if (hour * 60 + 59 < fromMinute) continue;
        for (const minute of m.minutes) {
          const minuteOfDay = hour * 60 + minute;
          if (minuteOfDay < fromMinute) continue;
          const wall = day + minuteOfDay * MINUTE_MS;
          if (wall >= end) return;
          yield wall;
        }
      }
    }
    day += DAY_MS;
    fromMinute = 0;
  }
}

/**
 * The instants (ms since the epoch, on whole minutes) at which Debian's cron starts a job
 * with this time, strictly after `from`, in ascending order (a fixed-time job with several
 * minutes inside a spring-forward gap yields the same instant once per skipped minute: cron
 * starts it that many times right after the change). Ends after 400 years without a run.
 * `zone` must be valid (see isValidZone); `@reboot` yields nothing.
 */
export function* iterateRuns(time: CronTime, from: Date, zone: string): Generator<number> {
  if (time.reboot) return;
  const m = matcherOf(time);
  if (!canFire(m)) return;
  const wild = isWildcardJob(time);
  const offsets = zoneOffsets(zone);
  const first = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const horizon = first + HORIZON_MS;
  // cron's virtualTime: the last wall minute it has handled. Assume it was running steadily.
  let virtual = first - MINUTE_MS + offsets.offsetAt(first - MINUTE_MS) * MINUTE_MS;
  let real = first;
  while (real < horizon) {
    const offsetMs = offsets.offsetAt(real) * MINUTE_MS;
    const wall = real + offsetMs;
    const kind = wakeupKind((wall - virtual) / MINUTE_MS);
    // Wall minutes up to `repeatedUntil` were handled before the clock went back.
    let repeatedUntil = -Infinity;
    if (kind === "catchUp" || (kind === "forward" && !wild)) {
      // cron.c runs find_jobs() once per skipped minute (draining the queue in between),
      // all of it right after the change.
      for (const _skipped of wallMatches(m, virtual + MINUTE_MS, wall)) yield real;
    }
    if (kind === "backward") repeatedUntil = virtual;
    else virtual = wall - MINUTE_MS;

    // From `real` on the offset is constant until the next change.
    let clearUntil = real;
    let nextReal = horizon;
    for (const w of wallMatches(m, wall, horizon + offsetMs)) {
      const at = w - offsetMs;
      if (at > clearUntil) {
        const change = offsets.firstChangeIn(clearUntil, at);
        if (change !== undefined) {
          nextReal = change.at;
          break;
        }
        clearUntil = at;
      }
      if (w <= repeatedUntil && !wild) continue;
      yield at;
    }
    if (nextReal >= horizon) return;
    virtual = Math.max(virtual, repeatedUntil, nextReal - MINUTE_MS + offsetMs);
    real = nextReal;
  }
}

/**
 * The next `count` times Debian's cron starts a job with this time, strictly after `from`,
 * with the wall clock of `zone` (an IANA name, validated by the caller with isValidZone).
 * `@reboot` and schedules that never fire give []. Never loops forever.
 */
export function nextRuns(time: CronTime, from: Date, count: number, zone: string): Date[] {
  const runs: Date[] = [];
  if (count <= 0) return runs;
  for (const at of iterateRuns(time, from, zone)) {
    runs.push(new Date(at));
    if (runs.length >= count) break;
  }
  return runs;
}

/** Start instants (ms) of the runs in [`start`, `end`): the report's one-week window. */
export function runsBetween(time: CronTime, start: Date, end: Date, zone: string): number[] {
  const runs: number[] = [];
  const endMs = end.getTime();
  for (const at of iterateRuns(time, new Date(start.getTime() - 1), zone)) {
    if (at >= endMs) break;
    runs.push(at);
  }
  return runs;
}
