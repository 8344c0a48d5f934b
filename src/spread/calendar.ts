/**
 * On which days a schedule runs, over a reference span of 28 years (2024-01-01 to 2051-12-31):
 * the Gregorian calendar's weekdays repeat every 28 years between 1901 and 2099, so every
 * combination of date, month and weekday, leap days included, occurs in it. The day rule is
 * Debian cron's (cron.c find_jobs(): AND when a day field starts with `*`, else OR). Clock times
 * and DST are not involved: the spread and stampede checks count starts per minute of the day.
 */
import type { CronTime } from "../types.js";

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);
/** Days in the reference span. */
export const REFERENCE_DAYS = Math.round((Date.UTC(2052, 0, 1) - START) / DAY_MS);

/** The month (1-12), day of month and weekday (0 = Sunday, as cron counts) of every reference day. */
interface Calendar {
  month: Uint8Array;
  dom: Uint8Array;
  dow: Uint8Array;
}

let days: Calendar | undefined;

/** Days in `month` (1-12) of `year`, Gregorian. */
function monthLength(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Counted day by day into typed arrays rather than with a Date object per day: this runs as
// cold code in every lint whose stampede check gets this far. test/spread/stampede.test.ts
// compares every day with Date's.
function calendar(): Calendar {
  if (days === undefined) {
    const cal = { month: new Uint8Array(REFERENCE_DAYS), dom: new Uint8Array(REFERENCE_DAYS), dow: new Uint8Array(REFERENCE_DAYS) };
    let year = 2024;
    let month = 1;
    let dom = 1;
    for (let i = 0; i < REFERENCE_DAYS; i++) {
      cal.month[i] = month;
      cal.dom[i] = dom;
      cal.dow[i] = referenceWeekday(i);
      if (dom < monthLength(year, month)) dom += 1;
      else {
        dom = 1;
        if (month === 12) {
          month = 1;
          year += 1;
        } else month += 1;
      }
    }
    days = cal;
  }
  return days;
}

/** The reference day `index` as month, day of month and weekday (for tests). */
export function calendarDay(index: number): { month: number; dom: number; dow: number } {
  const cal = calendar();
  return { month: cal.month[index] ?? 0, dom: cal.dom[index] ?? 0, dow: cal.dow[index] ?? 0 };
}

/** The weekday (0 = Sunday) of reference day `index`: the span starts on a Monday. */
export function referenceWeekday(index: number): number {
  return (1 + index) % 7;
}

/** The reference day `index` as `YYYY-MM-DD` and its weekday (0 = Sunday). */
export function referenceDay(index: number): { date: string; dow: number } {
  const date = new Date(START + index * DAY_MS);
  return { date: date.toISOString().slice(0, 10), dow: date.getUTCDay() };
}

/** A key for the day fields of a time: times with equal keys run on the same days. */
export function dayKey(time: CronTime): string {
  if (time.reboot) return "reboot";
  return `${time.months.join(",")}|${time.daysOfMonth.join(",")}|${time.daysOfWeek.join(",")}|${time.domStar ? 1 : 0}${time.dowStar ? 1 : 0}`;
}

/** Whether a time runs on a day of the given month, day of month and weekday: Debian's day rule. */
function dayRule(time: CronTime): (month: number, dom: number, dow: number) => boolean {
  if (time.reboot) return () => false;
  const months = new Set(time.months);
  const doms = new Set(time.daysOfMonth);
  const dows = new Set(time.daysOfWeek.map((d) => d % 7));
  const and = time.domStar || time.dowStar;
  return (month, dom, dow) => {
    if (!months.has(month)) return false;
    const onDom = doms.has(dom);
    const onDow = dows.has(dow);
    return and ? onDom && onDow : onDom || onDow;
  };
}

const dayCache = new Map<string, Uint8Array>();

/** 1 for each reference day the time runs on (all 0 for `@reboot`). */
export function runDays(time: CronTime): Uint8Array {
  const key = dayKey(time);
  const cached = dayCache.get(key);
  if (cached !== undefined) return cached;
  const result = new Uint8Array(REFERENCE_DAYS);
  const runs = dayRule(time);
  const cal = calendar();
  for (let i = 0; i < REFERENCE_DAYS; i++) if (runs(cal.month[i] ?? 0, cal.dom[i] ?? 0, cal.dow[i] ?? 0)) result[i] = 1;
  if (dayCache.size > 1024) dayCache.clear();
  dayCache.set(key, result);
  return result;
}

/**
 * The reference days by their (month, day of month, weekday): whether a time runs on a day
 * depends on nothing else, so the 2,500 or so combinations stand for the 10,227 days.
 * Combinations are in the order of their first day.
 */
export interface DayCombinations {
  count: number;
  month: Uint8Array;
  dom: Uint8Array;
  dow: Uint8Array;
  /** The first reference day of each combination. */
  first: Uint16Array;
  /** How many reference days each combination stands for. */
  size: Uint16Array;
}

let combinations: DayCombinations | undefined;

export function dayCombinations(): DayCombinations {
  if (combinations === undefined) {
    // At most 366 dates times 7 weekdays.
    const most = 366 * 7;
    const all = { count: 0, month: new Uint8Array(most), dom: new Uint8Array(most), dow: new Uint8Array(most), first: new Uint16Array(most), size: new Uint16Array(most) };
    const index = new Int16Array(13 * 32 * 7).fill(-1);
    const cal = calendar();
    for (let d = 0; d < REFERENCE_DAYS; d++) {
      const m = cal.month[d] ?? 0;
      const md = cal.dom[d] ?? 0;
      const wd = cal.dow[d] ?? 0;
      const id = (m * 32 + md) * 7 + wd;
      let c = index[id] ?? -1;
      if (c < 0) {
        c = all.count++;
        index[id] = c;
        all.month[c] = m;
        all.dom[c] = md;
        all.dow[c] = wd;
        all.first[c] = d;
      }
      all.size[c] = (all.size[c] ?? 0) + 1;
    }
    combinations = all;
  }
  return combinations;
}

const combinationCache = new Map<string, Uint8Array>();

/** 1 for each day combination (dayCombinations) the time runs on: runDays, by combination. */
export function runCombinations(time: CronTime): Uint8Array {
  const key = dayKey(time);
  const cached = combinationCache.get(key);
  if (cached !== undefined) return cached;
  const all = dayCombinations();
  const result = new Uint8Array(all.count);
  const runs = dayRule(time);
  for (let c = 0; c < result.length; c++) if (runs(all.month[c] ?? 0, all.dom[c] ?? 0, all.dow[c] ?? 0)) result[c] = 1;
  if (combinationCache.size > 1024) combinationCache.clear();
  combinationCache.set(key, result);
  return result;
}

/** How many reference days of each weekday (0 = Sunday) the time runs on. */
export function weekdayRunCounts(time: CronTime): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  const run = runDays(time);
  const cal = calendar();
  for (let i = 0; i < run.length; i++) {
    if (run[i] === 1) {
      const dow = cal.dow[i] ?? 0;
      counts[dow] = (counts[dow] ?? 0) + 1;
    }
  }
  return counts;
}
