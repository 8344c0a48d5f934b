/**
 * Stampedes: minutes in which more than a threshold of jobs start together. Exact over the
 * 28-year reference span of ./calendar.ts (every combination of date and weekday): jobs are
 * grouped by the days they run on, days by which of those groups run on them, and for each such
 * set of days the starts per minute of the day are added up. Clock changes are left out (they
 * move a few starts on two days a year). Cost: linear in the jobs' start minutes per day, plus
 * the reference days times the number of distinct day patterns.
 */
import type { CronTime } from "../types.js";
import { REFERENCE_DAYS, dayKey, referenceDay, referenceWeekday, runDays } from "./calendar.js";

/** The worst crowd a job is part of. */
export interface Crowd {
  /** Jobs starting together (this one included). */
  count: number;
  /** Minute of the day, 0-1439. */
  minuteOfDay: number;
  /** `every day`, `on Mondays and Fridays`, `on some days (about 12 a year)`. */
  days: string;
  /** Indices (into the input) of the jobs in the crowd, in input order. */
  members: number[];
  /** Every minute of the day in which this job is in a crowd over the threshold, sorted. */
  crowdedMinutes: number[];
}

interface DayClass {
  days: Uint8Array;
  /** Groups of jobs with the same start minutes (jobs with equal times are one group). */
  groups: MinuteGroup[];
  perMinute: Uint16Array;
}

interface MinuteGroup {
  jobs: number[];
  minutes: Set<number>;
}

const WEEKDAY_PLURALS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"] as const;

function minutesOfDay(time: CronTime): number[] {
  return time.hours.flatMap((h) => time.minutes.map((m) => h * 60 + m));
}

/** For each job in a crowd of more than `threshold` starts in one minute, its worst crowd (by input index). */
export function findCrowds(times: readonly CronTime[], threshold: number): Map<number, Crowd> {
  const result = new Map<number, Crowd>();
  if (times.length <= threshold) return result;
  const classes = new Map<string, DayClass>();
  const groupsByKey = new Map<string, MinuteGroup>();
  times.forEach((time, index) => {
    if (time.reboot) return;
    const key = dayKey(time);
    let cls = classes.get(key);
    if (cls === undefined) {
      cls = { days: runDays(time), groups: [], perMinute: new Uint16Array(1440) };
      classes.set(key, cls);
    }
    const per = cls.perMinute;
    for (const h of time.hours) for (const m of time.minutes) per[h * 60 + m] = (per[h * 60 + m] ?? 0) + 1;
    const groupKey = `${key}|${time.minutes.join(",")}|${time.hours.join(",")}`;
    const group = groupsByKey.get(groupKey);
    if (group !== undefined) {
      group.jobs.push(index);
      return;
    }
    const created: MinuteGroup = { jobs: [index], minutes: new Set(minutesOfDay(time)) };
    groupsByKey.set(groupKey, created);
    cls.groups.push(created);
  });
  const keys = [...classes.keys()].sort();
  const list = keys.map((k) => classes.get(k)).filter((c) => c !== undefined);
  // Fast path: even if every class ran on the same day, no minute would be crowded.
  const bound = new Uint32Array(1440);
  for (const cls of list) for (let m = 0; m < 1440; m++) bound[m] = (bound[m] ?? 0) + (cls.perMinute[m] ?? 0);
  if (!bound.some((n) => n > threshold)) return result;

  const candidates: number[] = [];
  for (let m = 0; m < 1440; m++) if ((bound[m] ?? 0) > threshold) candidates.push(m);

  const signatures = signaturesOf(keys, list.map((c) => c.days));
  // The worst crowd of each group, and every minute a group is crowded in.
  const worst = new Map<MinuteGroup, { count: number; minute: number; days: string; groups: MinuteGroup[] }>();
  const crowdedMinutes = new Map<MinuteGroup, Set<number>>();
  for (const sig of signatures) {
    const classes = sig.classes.map((c) => list[c]).filter((c) => c !== undefined);
    const groups = classes.flatMap((c) => c.groups);
    for (const m of candidates) {
      let count = 0;
      for (const c of classes) count += c.perMinute[m] ?? 0;
      if (count <= threshold) continue;
      const label = (sig.label ??= daysLabel(sig.days));
      const members = groups.filter((g) => g.minutes.has(m));
      for (const g of members) {
        let seen = crowdedMinutes.get(g);
        if (seen === undefined) crowdedMinutes.set(g, (seen = new Set()));
        seen.add(m);
        const current = worst.get(g);
        if (current === undefined || count > current.count || (count === current.count && m < current.minute)) {
          worst.set(g, { count, minute: m, days: label, groups: members });
        }
      }
    }
  }
  const memberLists = new Map<readonly MinuteGroup[], number[]>();
  for (const [group, w] of worst) {
    let members = memberLists.get(w.groups);
    if (members === undefined) memberLists.set(w.groups, (members = w.groups.flatMap((g) => g.jobs).sort((a, b) => a - b)));
    const minutes = [...(crowdedMinutes.get(group) ?? [])].sort((a, b) => a - b);
    for (const j of group.jobs) result.set(j, { count: w.count, minuteOfDay: w.minute, days: w.days, members, crowdedMinutes: minutes });
  }
  return result;
}

interface Signature {
  /** Indices of the classes that run on these days. */
  classes: number[];
  days: number[];
  /** daysLabel(days), once computed. */
  label?: string;
}

/** Signatures by the day keys of their classes: packages often share their day patterns. */
const signatureCache = new Map<string, Signature[]>();

/**
 * The sets of classes that run together on some day, with the days they share: each day gets
 * the list of its classes as a key (a bit mask while there are few classes).
 */
function signaturesOf(keys: readonly string[], days: readonly Uint8Array[]): Signature[] {
  const cacheKey = keys.join("\n");
  const cached = signatureCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const dayKeys: Array<number | string> = new Array<number | string>(REFERENCE_DAYS).fill(0);
  if (days.length <= 30) {
    const masks = new Uint32Array(REFERENCE_DAYS);
    days.forEach((run, i) => {
      for (let d = 0; d < REFERENCE_DAYS; d++) if (run[d] === 1) masks[d] = (masks[d] ?? 0) | (1 << i);
    });
    masks.forEach((mask, d) => (dayKeys[d] = mask));
  } else {
    for (let d = 0; d < REFERENCE_DAYS; d++) dayKeys[d] = days.flatMap((run, i) => (run[d] === 1 ? [i] : [])).join(",");
  }
  const byKey = new Map<number | string, Signature>();
  dayKeys.forEach((key, d) => {
    if (key === 0 || key === "") return;
    const sig = byKey.get(key);
    if (sig !== undefined) sig.days.push(d);
    else byKey.set(key, { classes: days.flatMap((run, i) => (run[d] === 1 ? [i] : [])), days: [d] });
  });
  const result = [...byKey.values()];
  if (signatureCache.size > 256) signatureCache.clear();
  signatureCache.set(cacheKey, result);
  return result;
}

let totals: number[] | undefined;

/** Reference days per weekday. */
function weekdayTotals(): number[] {
  if (totals === undefined) {
    totals = [0, 0, 0, 0, 0, 0, 0];
    for (let d = 0; d < REFERENCE_DAYS; d++) {
      const w = referenceWeekday(d);
      totals[w] = (totals[w] ?? 0) + 1;
    }
  }
  return totals;
}

/** Words for a set of reference days. */
function daysLabel(days: readonly number[]): string {
  if (days.length === REFERENCE_DAYS) return "every day";
  const perWeekday = [0, 0, 0, 0, 0, 0, 0];
  const allPerWeekday = weekdayTotals();
  for (const d of days) {
    const w = referenceWeekday(d);
    perWeekday[w] = (perWeekday[w] ?? 0) + 1;
  }
  const whole = perWeekday.every((n, w) => n === 0 || n === allPerWeekday[w]);
  if (whole) {
    // Monday first, as people read a week.
    const names = [1, 2, 3, 4, 5, 6, 0].filter((w) => (perWeekday[w] ?? 0) > 0).map((w) => WEEKDAY_PLURALS[w] ?? "");
    return `on ${names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`}`;
  }
  const perYear = Math.max(1, Math.round(days.length / 28));
  return `on some days (about ${perYear} a year, first ${referenceDay(days[0] ?? 0).date})`;
}

/** `HH:MM`. */
export function clockLabel(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

/** Where a crowd happens, in words: `at :00 of every hour`, `at 03:00 on Mondays`, `at 00:00 every day (and in 11 other minutes of the day)`. */
export function crowdWhen(crowd: Crowd): string {
  const minutes = crowd.crowdedMinutes;
  const minuteOfHour = crowd.minuteOfDay % 60;
  if (minutes.length === 24 && minutes.every((m) => m % 60 === minuteOfHour)) {
    return `at :${String(minuteOfHour).padStart(2, "0")} of every hour${crowd.days === "every day" ? "" : ` ${crowd.days}`}`;
  }
  const others = minutes.length - 1;
  return `at ${clockLabel(crowd.minuteOfDay)} ${crowd.days}${others > 0 ? ` (and in ${others} other minute${others === 1 ? "" : "s"} of the day)` : ""}`;
}
