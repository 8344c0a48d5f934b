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

interface CalendarDay {
  month: number;
  dom: number;
  /** 0 = Sunday, as cron counts. */
  dow: number;
}

let days: CalendarDay[] | undefined;

function calendar(): CalendarDay[] {
  if (days === undefined) {
    days = [];
    for (let i = 0; i < REFERENCE_DAYS; i++) {
      const date = new Date(START + i * DAY_MS);
      days.push({ month: date.getUTCMonth() + 1, dom: date.getUTCDate(), dow: date.getUTCDay() });
    }
  }
  return days;
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
  calendar().forEach((day, i) => {
    if (runs(day.month, day.dom, day.dow)) result[i] = 1;
  });
  if (dayCache.size > 1024) dayCache.clear();
  dayCache.set(key, result);
  return result;
}

/**
 * The reference days by their (month, day of month, weekday): whether a time runs on a day
 * depends on nothing else, so the 2,500 or so combinations stand for the 10,227 days.
 */
export interface DayCombinations {
  /** The days of each combination, ascending; combinations in the order of their first day. */
  days: number[][];
  month: Uint8Array;
  dom: Uint8Array;
  dow: Uint8Array;
}

let combinations: DayCombinations | undefined;

export function dayCombinations(): DayCombinations {
  if (combinations === undefined) {
    const index = new Map<number, number>();
    const days: number[][] = [];
    const [month, dom, dow]: number[][] = [[], [], []];
    calendar().forEach((day, d) => {
      const id = (day.month * 32 + day.dom) * 7 + day.dow;
      let c = index.get(id);
      if (c === undefined) {
        index.set(id, (c = days.length));
        days.push([]);
        month?.push(day.month);
        dom?.push(day.dom);
        dow?.push(day.dow);
      }
      days[c]?.push(d);
    });
    combinations = { days, month: Uint8Array.from(month ?? []), dom: Uint8Array.from(dom ?? []), dow: Uint8Array.from(dow ?? []) };
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
  const result = new Uint8Array(all.days.length);
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
      const dow = cal[i]?.dow ?? 0;
      counts[dow] = (counts[dow] ?? 0) + 1;
    }
  }
  return counts;
}
