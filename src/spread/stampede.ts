/**
 * Stampedes: minutes in which more than a threshold of jobs start together. Exact over the
 * 28-year reference span of ./calendar.ts (every combination of date and weekday): jobs are
 * grouped by the days they run on, days by which of those groups run on them, and for each such
 * set of days the starts per minute of the day are added up. Clock changes are left out (they
 * move a few starts on two days a year). Cost: linear in the jobs, plus per distinct time its
 * start minutes, plus the day combinations (calendar.ts, about 2,500 for the 10,227 days) times
 * the number of distinct day patterns; nothing is done per job beyond grouping it by its time.
 */
import type { CronTime } from "../types.js";
import { REFERENCE_DAYS, dayCombinations, dayKey, referenceDay, runCombinations } from "./calendar.js";

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
  /** A time of the class: all of them run on the same days (their day key). */
  time: CronTime;
  /** Groups of jobs with the same start minutes (jobs with equal times are one group). */
  groups: MinuteGroup[];
  perMinute: Uint32Array;
  /** The minutes with a start in perMinute, in the order first met. */
  touched: number[];
}

interface MinuteGroup {
  jobs: number[];
  starts: StartMinutes;
}

/** What the count needs of a time, computed once per parsed time (times are shared and never changed). */
interface StartMinutes {
  dayKey: string;
  /** Day key, minutes and hours: times with equal keys start in the same minutes on the same days. */
  groupKey: string;
  /** Every start, minute of the day, as the fields list them (hour by hour). */
  starts: number[];
  /** 1 at each start. */
  mask: Uint8Array;
}

const startMinutesOf = new WeakMap<CronTime, StartMinutes>();

function startMinutes(time: CronTime): StartMinutes {
  let found = startMinutesOf.get(time);
  if (found === undefined) {
    const key = dayKey(time);
    const starts = time.hours.flatMap((h) => time.minutes.map((m) => h * 60 + m));
    const mask = new Uint8Array(1440);
    for (const m of starts) mask[m] = 1;
    found = { dayKey: key, groupKey: `${key}|${time.minutes.join(",")}|${time.hours.join(",")}`, starts, mask };
    startMinutesOf.set(time, found);
  }
  return found;
}

const WEEKDAY_PLURALS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"] as const;

/**
 * For each job in a crowd of more than `threshold` starts in one minute, its worst crowd (by
 * input index). Jobs with the same start minutes share one Crowd object (nothing may change it).
 *
 * Work is done per distinct time, not per job: jobs of one text share one parsed CronTime
 * (src/jobs/analyse.ts), so a package of thousands of jobs usually has a few dozen distinct
 * times, and each is keyed, counted and given its minute set once.
 */
export function findCrowds(times: readonly CronTime[], threshold: number): Map<number, Crowd> {
  const result = new Map<number, Crowd>();
  if (times.length <= threshold) return result;
  // The jobs of each distinct time object, in input order.
  const jobsOf = new Map<CronTime, number[]>();
  times.forEach((time, index) => {
    if (time.reboot) return;
    const jobs = jobsOf.get(time);
    if (jobs === undefined) jobsOf.set(time, [index]);
    else jobs.push(index);
  });
  const classes = new Map<string, DayClass>();
  const groupsByKey = new Map<string, MinuteGroup>();
  for (const [time, jobs] of jobsOf) {
    const starts = startMinutes(time);
    let cls = classes.get(starts.dayKey);
    if (cls === undefined) {
      cls = { time, groups: [], perMinute: new Uint32Array(1440), touched: [] };
      classes.set(starts.dayKey, cls);
    }
    const per = cls.perMinute;
    for (const m of starts.starts) {
      if (per[m] === 0) cls.touched.push(m);
      per[m] = (per[m] ?? 0) + jobs.length;
    }
    const group = groupsByKey.get(starts.groupKey);
    if (group !== undefined) {
      for (const j of jobs) group.jobs.push(j);
      continue;
    }
    const created: MinuteGroup = { jobs: [...jobs], starts };
    groupsByKey.set(starts.groupKey, created);
    cls.groups.push(created);
  }
  const keys = [...classes.keys()].sort();
  const list = keys.map((k) => classes.get(k)).filter((c) => c !== undefined);
  // Fast path: even if every class ran on the same day, no minute would be crowded.
  // Only the minutes with a start are looked at (a few hundred of the 1,440 at most).
  const bound = new Uint32Array(1440);
  for (const cls of list) for (const m of cls.touched) bound[m] = (bound[m] ?? 0) + (cls.perMinute[m] ?? 0);
  const candidates: number[] = [];
  for (const cls of list) {
    for (const m of cls.touched) {
      if ((bound[m] ?? 0) <= threshold) continue;
      candidates.push(m);
      bound[m] = 0; // listed once
    }
  }
  if (candidates.length === 0) return result;

  // The days each class runs on are needed only now (most packages of a small tree have no
  // candidate minute: they never build them).
  const signatures = signaturesOf(keys, () => list.map((c) => runCombinations(c.time)));
  // Starts per minute on the days of each signature, added up from each class's minutes with a
  // start (most classes have a few), and the crowded minutes of each signature, ascending.
  const counts: Uint32Array[] = [];
  const crowdedOf: number[][] = [];
  for (const sig of signatures) {
    const perMinute = new Uint32Array(1440);
    const crowded: number[] = [];
    for (const c of sig.classes) {
      const cls = list[c];
      if (cls === undefined) continue;
      for (const m of cls.touched) {
        const before = perMinute[m] ?? 0;
        const n = before + (cls.perMinute[m] ?? 0);
        perMinute[m] = n;
        if (n > threshold && before <= threshold) crowded.push(m);
      }
    }
    counts.push(perMinute);
    crowdedOf.push(crowded.sort((x, y) => x - y));
  }
  const signaturesOfClass = list.map(() => [] as number[]);
  signatures.forEach((sig, s) => {
    for (const c of sig.classes) signaturesOfClass[c]?.push(s);
  });
  // The worst crowd of each group (most starts, then earliest minute, then first signature)
  // and every minute a group is crowded in: the crowded minutes of its signatures in which it
  // starts (the same pairs, in the same order, as its own minutes would give, in a fraction of
  // the steps: a `*/5` time has 288 minutes, a signature a few crowded ones); the members of a
  // crowd are listed only for the crowds that are some group's worst.
  const groups: MinuteGroup[] = [];
  const worstCount: number[] = [];
  const worstMinute: number[] = [];
  const worstSignature: number[] = [];
  const crowdedMinutes: number[][] = [];
  list.forEach((cls, c) => {
    for (const group of cls.groups) {
      const mask = group.starts.mask;
      const crowded = new Set<number>();
      let count = 0;
      let minute = 0;
      let signature = -1;
      for (const s of signaturesOfClass[c] ?? []) {
        const perMinute = counts[s] as Uint32Array;
        for (const m of crowdedOf[s] ?? []) {
          if (mask[m] !== 1) continue;
          const n = perMinute[m] ?? 0;
          crowded.add(m);
          if (signature === -1 || n > count || (n === count && m < minute)) {
            count = n;
            minute = m;
            signature = s;
          }
        }
      }
      if (signature === -1) continue;
      groups.push(group);
      worstCount.push(count);
      worstMinute.push(minute);
      worstSignature.push(signature);
      crowdedMinutes.push([...crowded].sort((x, y) => x - y));
    }
  });
  const memberLists = new Map<number, number[]>();
  groups.forEach((group, g) => {
    const s = worstSignature[g] ?? -1;
    const sig = signatures[s];
    if (sig === undefined) return;
    const minute = worstMinute[g] ?? 0;
    const crowdKey = s * 1440 + minute;
    let members = memberLists.get(crowdKey);
    if (members === undefined) {
      // In input order without a sort: mark the members, then collect the marks.
      const marked = new Uint8Array(times.length);
      for (const c of sig.classes) for (const other of list[c]?.groups ?? []) if (other.starts.mask[minute] === 1) for (const j of other.jobs) marked[j] = 1;
      members = [];
      for (let j = 0; j < marked.length; j++) if (marked[j] === 1) members.push(j);
      memberLists.set(crowdKey, members);
    }
    const minutes = crowdedMinutes[g] ?? [];
    const days = (sig.label ??= daysLabel(sig.combinations));
    const crowd: Crowd = { count: worstCount[g] ?? 0, minuteOfDay: minute, days, members, crowdedMinutes: minutes };
    for (const j of group.jobs) result.set(j, crowd);
  });
  return result;
}

interface Signature {
  /** Indices of the classes that run on these days. */
  classes: number[];
  /** The day combinations (calendar.ts) of these days. */
  combinations: number[];
  /** daysLabel of the days, once computed. */
  label?: string;
}

/** Signatures by the day keys of their classes: packages often share their day patterns. */
const signatureCache = new Map<string, Signature[]>();

/**
 * The sets of classes that run together on some day, with the days they share: each day
 * combination gets the list of its classes as a key (a bit mask while there are few classes).
 * Signatures come in the order of their first day (combinations are in that order).
 */
function signaturesOf(keys: readonly string[], runsOf: () => readonly Uint8Array[]): Signature[] {
  const cacheKey = keys.join("\n");
  const cached = signatureCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const runs = runsOf();
  const count = dayCombinations().count;
  const comboKeys: Array<number | string> = new Array<number | string>(count).fill(0);
  if (runs.length <= 30) {
    const masks = new Uint32Array(count);
    runs.forEach((run, i) => {
      for (let c = 0; c < count; c++) if (run[c] === 1) masks[c] = (masks[c] ?? 0) | (1 << i);
    });
    masks.forEach((mask, c) => (comboKeys[c] = mask));
  } else {
    for (let c = 0; c < count; c++) comboKeys[c] = runs.flatMap((run, i) => (run[c] === 1 ? [i] : [])).join(",");
  }
  const byKey = new Map<number | string, Signature>();
  comboKeys.forEach((key, c) => {
    if (key === 0 || key === "") return;
    const sig = byKey.get(key);
    if (sig !== undefined) sig.combinations.push(c);
    else byKey.set(key, { classes: runs.flatMap((run, i) => (run[c] === 1 ? [i] : [])), combinations: [c] });
  });
  const result = [...byKey.values()];
  if (signatureCache.size > 256) signatureCache.clear();
  signatureCache.set(cacheKey, result);
  return result;
}

let totals: number[] | undefined;

/** Reference days per weekday (day d has weekday referenceWeekday(d) = (1 + d) % 7). */
function weekdayTotals(): number[] {
  // The days with weekday w are d = first + 7k, first = (w + 6) % 7: ceil((REFERENCE_DAYS - first) / 7) of them.
  totals ??= [0, 1, 2, 3, 4, 5, 6].map((w) => Math.ceil((REFERENCE_DAYS - ((w + 6) % 7)) / 7));
  return totals;
}

/** Words for the reference days of a set of day combinations (ascending, so the first holds the first day). */
function daysLabel(combinationsOfDays: readonly number[]): string {
  const all = dayCombinations();
  let total = 0;
  const perWeekday = [0, 0, 0, 0, 0, 0, 0];
  for (const c of combinationsOfDays) {
    const size = all.size[c] ?? 0;
    const w = all.dow[c] ?? 0;
    total += size;
    perWeekday[w] = (perWeekday[w] ?? 0) + size;
  }
  if (total === REFERENCE_DAYS) return "every day";
  const allPerWeekday = weekdayTotals();
  const whole = perWeekday.every((n, w) => n === 0 || n === allPerWeekday[w]);
  if (whole) {
    // Monday first, as people read a week.
    const names = [1, 2, 3, 4, 5, 6, 0].filter((w) => (perWeekday[w] ?? 0) > 0).map((w) => WEEKDAY_PLURALS[w] ?? "");
    return `on ${names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`}`;
  }
  const perYear = Math.max(1, Math.round(total / 28));
  const first = combinationsOfDays[0];
  return `on some days (about ${perYear} a year, first ${referenceDay(first === undefined ? 0 : (all.first[first] ?? 0)).date})`;
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
