/**
 * The parts of the schedule report meant to be read at a glance: job counts rather than weekly
 * sums ("6 jobs start at :00 of every hour"), every-minute jobs set apart so that they do not
 * flatten the heat maps, the busiest minutes with the H form that would spread them and the peak
 * it would give, and a one-day timeline of every job. Pure; built by report.ts from the starts
 * of each job in the report's week.
 */
import { runsBetween } from "../cron/next.js";
import { identityLabel } from "../spread/hash.js";
import { spreadTime } from "../spread/resolve.js";
import { suggestHashForm } from "../spread/suggest.js";
import { parseCronTime } from "../cron/parse.js";
import type { Job } from "../types.js";

const MINUTE_MS = 60_000;
/** Minutes in the report's week. */
const WEEK_MINUTES = 7 * 1440;
/** How many busy minutes of the hour get a section with a suggestion. */
export const BUSY_MINUTES = 5;
/** Timeline rows at most (the JSON has them all). */
export const MAX_TIMELINE_ROWS = 150;
/** A run of at least this many starts with the same gap, of at most BAND_GAP minutes, is drawn as a band. */
const BAND_MIN = 4;
const BAND_GAP = 10;

/** A job as the glance sections name it: by script (file, params) and package; the lock name for tools. */
export interface GlanceJobRef {
  package: string;
  file: string;
  line: number;
  params: string;
  /** The time cron gets. */
  time: string;
  /** The H text it was resolved from, if any. */
  timeSource?: string;
  lockname: string;
}

/** Job counts per minute of the hour: how many start in it in every hour, and at most in one hour. */
export interface MinuteOfHourJobs {
  /** 60 counts: jobs that start at this minute of every hour of the week. */
  everyHour: number[];
  /** 60 counts: the most jobs that start at this minute in any one hour of the week. */
  mostInAnHour: number[];
  byPackage: Record<string, number[]>;
  byGroup: Record<string, number[]>;
  /** Jobs counted (every-minute jobs left out): all, with an every-hour minute, per package, per group. */
  jobCount: { all: number; everyHour: number; byPackage: Record<string, number>; byGroup: Record<string, number> };
}

/** Job counts per hour of the week (index day * 24 + hour), jobs that start in every hour left out. */
export interface HourOfWeekJobs {
  all: number[];
  byPackage: Record<string, number[]>;
  byGroup: Record<string, number[]>;
  /** Jobs counted: per day of the week (Monday first), per package, per group. */
  jobCount: { byDay: number[]; byPackage: Record<string, number>; byGroup: Record<string, number> };
}

/** A change of one job's time to its H form. */
export interface SpreadChange {
  job: GlanceJobRef;
  /** Written time now. */
  from: string;
  /** Suggested H form. */
  to: string;
  /** What the hash makes of it for this job. */
  resolved: string;
}

/** What writing H forms would do to the week's peak. */
export interface SpreadSuggestion {
  changes: SpreadChange[];
  /** Most jobs starting in one minute of the week, now and with the changes (hash placement). */
  peakBefore: number;
  peakAfter: number;
  /** For a busy minute: the most jobs at that minute of one hour with the changes (every-minute jobs left out). */
  minuteAfter?: number;
}

/** A busy minute of the hour. */
export interface BusyMinute {
  minute: number;
  /** `:00`. */
  label: string;
  everyHour: number;
  mostInAnHour: number;
  /** The first hour of the week with `mostInAnHour` jobs at this minute, `Mon 00:00`. */
  mostAt: string;
  jobs: Array<GlanceJobRef & { startsPerWeek: number; everyHour: boolean }>;
  suggestion?: SpreadSuggestion;
}

/** A job's starts on the timeline's day. */
export interface TimelineRow {
  job: GlanceJobRef;
  /** Starts that day. */
  count: number;
  /** Single starts, minutes of the day. */
  starts: number[];
  /** Runs of starts with a constant gap: from, to (minute of the day of the last start), every (minutes). */
  bands: Array<{ from: number; to: number; every: number }>;
  /**
   * Measured duration of a run, in minutes, from switchman's run records (a later issue; given
   * through BuildReportOptions.durations). Absent: the timeline shows the schedule alone.
   */
  durationMinutes?: number;
}

/** One day of the week, every job that starts on it. */
export interface Timeline {
  /** `Mon 2024-01-01`. */
  label: string;
  rows: TimelineRow[];
  /** Jobs with no start on that day. */
  notOnThisDay: number;
}

/** Everything at-a-glance. */
export interface Glance {
  /** Jobs with two starts one minute apart somewhere: listed apart, left out of the job counts below. */
  everyMinuteJobs: GlanceJobRef[];
  /** Jobs (every-minute ones included) that start in every hour of the week. */
  everyHourJobs: GlanceJobRef[];
  minuteOfHourJobs: MinuteOfHourJobs;
  hourOfWeekJobs: HourOfWeekJobs;
  busyMinutes: BusyMinute[];
  /** Every job that can take an H minute, changed at once. */
  spreadAll: SpreadSuggestion;
  timeline: Timeline;
}

/** What glance() is given by buildReport. */
export interface GlanceInput {
  jobs: readonly Job[];
  /** Per job: its starts as minutes since the start of the week. */
  startsByJob: readonly Uint16Array[];
  /** Per job: shortest gap between two starts (Infinity with fewer than two). */
  shortestGap: readonly number[];
  /** Starts per minute of the week, all jobs. */
  perMinute: Uint32Array;
  zone: string;
  start: number;
  /** Local wall time (as UTC ms) of an instant. */
  wallOf: (at: number) => number;
  weekdays: readonly string[];
  durations?: ReadonlyMap<string, number>;
}

/** The report's name for a job. */
export function glanceRef(job: Job): GlanceJobRef {
  const ref: GlanceJobRef = { package: job.package, file: job.file, line: job.line, params: job.params, time: job.time.text, lockname: job.lockname };
  if (job.timeSource !== undefined) ref.timeSource = job.timeSource.text;
  return ref;
}

function series(keys: Iterable<string>, size: number): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const key of [...new Set(keys)].sort()) result[key] = new Array<number>(size).fill(0);
  return result;
}

/** Builds the at-a-glance parts of the report. */
export function glance(input: GlanceInput): Glance {
  const { jobs, startsByJob, shortestGap, weekdays } = input;
  const everyMinute = jobs.map((_, i) => (shortestGap[i] ?? Infinity) <= 1);
  const hoursOf = startsByJob.map((minutes) => new Set([...minutes].map((m) => Math.floor(m / 60))));
  const everyHour = hoursOf.map((hours) => hours.size >= 168);

  // Starts per minute of the week without the every-minute jobs, overall, by package, by group.
  const scheduled = jobs.map((_, i) => !everyMinute[i]);
  // Per job: starts in each minute of the hour over the week.
  const minuteCounts = startsByJob.map((minutes) => {
    const counts = new Uint16Array(60);
    for (const m of minutes) counts[m % 60] = (counts[m % 60] ?? 0) + 1;
    return counts;
  });
  const perMinute = new Uint16Array(WEEK_MINUTES);
  const perMinuteBy = (key: (job: Job) => string): Map<string, Uint16Array> => {
    const map = new Map<string, Uint16Array>();
    jobs.forEach((job, i) => {
      if (!scheduled[i]) return;
      let counts = map.get(key(job));
      if (counts === undefined) map.set(key(job), (counts = new Uint16Array(WEEK_MINUTES)));
      for (const m of startsByJob[i] ?? []) counts[m] = (counts[m] ?? 0) + 1;
    });
    return map;
  };
  jobs.forEach((_, i) => {
    if (scheduled[i]) for (const m of startsByJob[i] ?? []) perMinute[m] = (perMinute[m] ?? 0) + 1;
  });
  const byPackageMinute = perMinuteBy((j) => j.package);
  const byGroupMinute = perMinuteBy((j) => j.group);

  const minuteOfHourJobs: MinuteOfHourJobs = {
    everyHour: new Array<number>(60).fill(0),
    mostInAnHour: mostPerMinuteOfHour(perMinute),
    byPackage: series(jobs.map((j) => j.package), 60),
    byGroup: series(jobs.map((j) => j.group), 60),
    jobCount: {
      all: scheduled.filter(Boolean).length,
      everyHour: minuteCounts.filter((counts, i) => scheduled[i] === true && counts.some((n) => n >= 168)).length,
      byPackage: countBy(jobs, scheduled, (j) => j.package),
      byGroup: countBy(jobs, scheduled, (j) => j.group),
    },
  };
  for (const [key, counts] of byPackageMinute) minuteOfHourJobs.byPackage[key] = mostPerMinuteOfHour(counts);
  for (const [key, counts] of byGroupMinute) minuteOfHourJobs.byGroup[key] = mostPerMinuteOfHour(counts);
  jobs.forEach((_, i) => {
    if (!scheduled[i]) return;
    minuteCounts[i]?.forEach((n, m) => {
      if (n >= 168) minuteOfHourJobs.everyHour[m] = (minuteOfHourJobs.everyHour[m] ?? 0) + 1;
    });
  });

  const counted = jobs.map((_, i) => !everyHour[i] && (hoursOf[i]?.size ?? 0) > 0);
  const hourOfWeekJobs: HourOfWeekJobs = {
    all: new Array<number>(168).fill(0),
    byPackage: series(jobs.map((j) => j.package), 168),
    byGroup: series(jobs.map((j) => j.group), 168),
    jobCount: {
      byDay: [0, 1, 2, 3, 4, 5, 6].map((d) => hoursOf.filter((hours, i) => counted[i] === true && [...hours].some((h) => Math.floor(h / 24) === d)).length),
      byPackage: countBy(jobs, counted, (j) => j.package),
      byGroup: countBy(jobs, counted, (j) => j.group),
    },
  };
  jobs.forEach((job, i) => {
    if (everyHour[i]) return;
    for (const h of hoursOf[i] ?? []) {
      for (const counts of [hourOfWeekJobs.all, hourOfWeekJobs.byPackage[job.package], hourOfWeekJobs.byGroup[job.group]]) {
        if (counts !== undefined) counts[h] = (counts[h] ?? 0) + 1;
      }
    }
  });

  const hourLabel = (minuteOfWeek: number): string => {
    const wall = new Date(input.wallOf(input.start + minuteOfWeek * MINUTE_MS));
    const day = weekdays[(wall.getUTCDay() + 6) % 7] ?? "";
    return `${day} ${String(wall.getUTCHours()).padStart(2, "0")}:${String(wall.getUTCMinutes()).padStart(2, "0")}`;
  };

  const suggestions = jobs.map((job) => suggestionFor(job));
  const peakBefore = max(input.perMinute);
  // Starts of each suggested time, computed once per distinct time (jobs share few).
  const startsOfTime = new Map<string, number[]>();
  const suggestedStarts = (time: Job["time"]): number[] => {
    let starts = startsOfTime.get(time.text);
    if (starts === undefined) {
      starts = runsBetween(time, new Date(input.start), new Date(input.start + WEEK_MINUTES * MINUTE_MS), input.zone)
        .map((at) => Math.round((at - input.start) / MINUTE_MS))
        .filter((m) => m >= 0 && m < WEEK_MINUTES);
      startsOfTime.set(time.text, starts);
    }
    return starts;
  };
  const spread = (indices: readonly number[], minute?: number): SpreadSuggestion => {
    const changes: SpreadChange[] = [];
    const after = Uint32Array.from(input.perMinute);
    const scheduledAfter = Uint16Array.from(perMinute);
    for (const i of indices) {
      const job = jobs[i];
      const s = suggestions[i];
      if (job === undefined || s === undefined) continue;
      for (const m of startsByJob[i] ?? []) {
        after[m] = (after[m] ?? 1) - 1;
        scheduledAfter[m] = (scheduledAfter[m] ?? 1) - 1;
      }
      for (const m of suggestedStarts(s.time)) {
        after[m] = (after[m] ?? 0) + 1;
        scheduledAfter[m] = (scheduledAfter[m] ?? 0) + 1;
      }
      changes.push({ job: glanceRef(job), from: s.from, to: s.to, resolved: s.time.text });
    }
    const suggestion: SpreadSuggestion = { changes, peakBefore, peakAfter: max(after) };
    if (minute !== undefined) suggestion.minuteAfter = mostPerMinuteOfHour(scheduledAfter)[minute] ?? 0;
    return suggestion;
  };

  // A busy minute is one where at least two jobs start together in some hour.
  const order = minuteOfHourJobs.mostInAnHour.map((_, m) => m).filter((m) => (minuteOfHourJobs.mostInAnHour[m] ?? 0) > 1);
  order.sort((a, b) => (minuteOfHourJobs.mostInAnHour[b] ?? 0) - (minuteOfHourJobs.mostInAnHour[a] ?? 0)
    || (minuteOfHourJobs.everyHour[b] ?? 0) - (minuteOfHourJobs.everyHour[a] ?? 0) || a - b);
  const busyMinutes: BusyMinute[] = order.slice(0, BUSY_MINUTES).map((minute) => {
    const most = minuteOfHourJobs.mostInAnHour[minute] ?? 0;
    let mostAt = 0;
    for (let m = minute; m < WEEK_MINUTES; m += 60) {
      if ((perMinute[m] ?? 0) === most) {
        mostAt = m;
        break;
      }
    }
    const members: number[] = [];
    const list: BusyMinute["jobs"] = [];
    jobs.forEach((job, i) => {
      if (!scheduled[i]) return;
      const starts = minuteCounts[i]?.[minute] ?? 0;
      if (starts === 0) return;
      members.push(i);
      list.push({ ...glanceRef(job), startsPerWeek: starts, everyHour: starts >= 168 });
    });
    list.sort((a, b) => b.startsPerWeek - a.startsPerWeek);
    const busy: BusyMinute = {
      minute,
      label: `:${String(minute).padStart(2, "0")}`,
      everyHour: minuteOfHourJobs.everyHour[minute] ?? 0,
      mostInAnHour: most,
      mostAt: hourLabel(mostAt),
      jobs: list,
    };
    const movable = members.filter((i) => suggestions[i] !== undefined);
    if (movable.length > 0) busy.suggestion = spread(movable, minute);
    return busy;
  });

  return {
    everyMinuteJobs: jobs.filter((_, i) => everyMinute[i]).map(glanceRef),
    everyHourJobs: jobs.filter((_, i) => everyHour[i]).map(glanceRef),
    minuteOfHourJobs,
    hourOfWeekJobs,
    busyMinutes,
    spreadAll: spread(jobs.map((_, i) => i).filter((i) => suggestions[i] !== undefined)),
    timeline: timeline(input, weekdays),
  };
}

function countBy(jobs: readonly Job[], include: readonly boolean[], key: (job: Job) => string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const k of [...new Set(jobs.map(key))].sort()) result[k] = 0;
  jobs.forEach((job, i) => {
    if (include[i] === true) result[key(job)] = (result[key(job)] ?? 0) + 1;
  });
  return result;
}

function max(counts: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < counts.length; i++) best = Math.max(best, counts[i] ?? 0);
  return best;
}

/** For each minute of the hour, the most starts in that minute of any hour of the week. */
function mostPerMinuteOfHour(perMinute: ArrayLike<number>): number[] {
  const result = new Array<number>(60).fill(0);
  for (let m = 0; m < perMinute.length; m++) result[m % 60] = Math.max(result[m % 60] ?? 0, perMinute[m] ?? 0);
  return result;
}

/** The job's H form and what the hash gives for it, when its minute can be spread. */
function suggestionFor(job: Job): { from: string; to: string; time: Job["time"] } | undefined {
  if (job.timeSource !== undefined) return undefined;
  const to = suggestHashForm(job.time.keyword ?? job.time.text);
  if (to === undefined) return undefined;
  // The hours stay as written, so DST plays no part: no zone is needed to resolve the minute.
  const time = spreadTime(to, job, {}, parseCronTime)?.result.time;
  return time === undefined ? undefined : { from: job.time.keyword ?? job.time.text, to, time };
}

/** The timeline of the week's first day (the reference Monday, also the 1st of the month). */
function timeline(input: GlanceInput, weekdays: readonly string[]): Timeline {
  const rows: TimelineRow[] = [];
  let notOnThisDay = 0;
  input.jobs.forEach((job, i) => {
    const starts = [...(input.startsByJob[i] ?? [])].filter((m) => m < 1440);
    if (starts.length === 0) {
      notOnThisDay++;
      return;
    }
    const row: TimelineRow = { job: glanceRef(job), count: starts.length, ...bandsOf(starts) };
    const duration = input.durations?.get(identityLabel(job));
    if (duration !== undefined) row.durationMinutes = duration;
    rows.push(row);
  });
  rows.sort((a, b) => firstStart(a) - firstStart(b) || b.count - a.count);
  const wall = new Date(input.wallOf(input.start));
  return { label: `${weekdays[0] ?? ""} ${wall.toISOString().slice(0, 10)}`, rows, notOnThisDay };
}

function firstStart(row: TimelineRow): number {
  return Math.min(row.starts[0] ?? Infinity, row.bands[0]?.from ?? Infinity);
}

/** Splits sorted starts into runs with one gap (bands) and the rest (single starts). */
function bandsOf(starts: readonly number[]): Pick<TimelineRow, "starts" | "bands"> {
  const single: number[] = [];
  const bands: TimelineRow["bands"] = [];
  let i = 0;
  while (i < starts.length) {
    const from = starts[i] ?? 0;
    const gap = (starts[i + 1] ?? Infinity) - from;
    let j = i + 1;
    while (j + 1 < starts.length && (starts[j + 1] ?? 0) - (starts[j] ?? 0) === gap) j++;
    if (gap <= BAND_GAP && j - i + 1 >= BAND_MIN) {
      bands.push({ from, to: starts[j] ?? from, every: gap });
      i = j + 1;
    } else {
      single.push(from);
      i++;
    }
  }
  return { starts: single, bands };
}
