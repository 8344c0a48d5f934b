/**
 * The schedule report as data: when, over one week, the jobs start, aggregated per hour of
 * the week and per minute of the hour (all jobs, by package, by group), the busiest minutes
 * with their jobs, the jobs that start more often than every 5 minutes, and every job.
 * Pure; `report --format json` prints this object and the HTML page is rendered from it.
 *
 * The week: Monday 1 January 2024, 00:00 to Monday 8 January 00:00, local time of the zone.
 * A fixed week makes the report reproducible (same project, same page), and this one starts
 * on the 1st of a month and of a year, so `@monthly`, `@yearly` and day-1 jobs show up.
 * Jobs that start on no day of this week are listed apart.
 */
import { describeJobTime } from "./listing.js";
import { runsBetween } from "../cron/next.js";
import { formatInZone, zoneOffsets } from "../cron/zone.js";
import type { Job } from "../types.js";
import { type Glance, type GlanceJobRef, glance } from "./report-glance.js";
import { durationsOf, measure, type FinishedRun, type Measured } from "./measured.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Shorter gaps than this between two starts of one job are reported (the "every 5 minutes"). */
export const FREQUENT_GAP_MINUTES = 5;
/** How many busiest minutes the report lists. */
export const BUSIEST_COUNT = 10;
/** Local date of the report's Monday (see the module comment). */
export const REFERENCE_MONDAY = { year: 2024, month: 1, day: 1 };
/** Mon..Sun, the rows of the hour-of-week heat map. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** A job, as the report names it: as the glance sections do, and with its group. */
export interface JobRef extends GlanceJobRef {
  group: string;
}

/** Counts of job starts: `all`, and one series per package and per group (keys sorted). */
export interface HeatMap {
  all: number[];
  byPackage: Record<string, number[]>;
  byGroup: Record<string, number[]>;
}

/** One of the busiest minutes of the week. */
export interface BusyMinute {
  /** The minute as ISO 8601 with offset. */
  at: string;
  /** `Mon 00:00`. */
  label: string;
  starts: number;
  jobs: JobRef[];
}

/** A minute of the hour (`:00`) and the starts in it over the whole week. */
export interface BusyMinuteOfHour {
  minute: number;
  /** `:00`. */
  label: string;
  starts: number;
  /** The jobs starting in this minute of some hour, busiest first, with their starts in it. */
  jobs: Array<JobRef & { starts: number }>;
}

/** A job that starts more often than every 5 minutes somewhere in the week. */
export interface FrequentJob extends JobRef {
  startsPerWeek: number;
  /** Shortest time between two of its starts, in minutes. */
  shortestGapMinutes: number;
}

/** A row of the full job table. */
export interface ReportJob extends JobRef {
  description: string;
  user: string;
  lock: boolean;
  cronLine: string;
  comment?: string;
  startsPerWeek: number;
}

/** Everything the report shows (the at-a-glance parts: report-glance.ts). */
export interface ScheduleReport extends Glance {
  version: 1;
  zone: string;
  week: { start: string; end: string };
  jobCount: number;
  packageCount: number;
  groupCount: number;
  startsPerWeek: number;
  /** 168 counts per series: index = day * 24 + hour, day 0 = Monday (local time). */
  hourOfWeek: HeatMap;
  /** 60 counts per series: starts in that minute of any hour of the week. */
  minuteOfHour: HeatMap;
  /** The most job starts in one minute of the week, and in how many minutes that happens. */
  peak: { starts: number; minutes: number };
  /** The BUSIEST_COUNT minutes of the week with the most starts (ties: earlier first). */
  busiestMinutes: BusyMinute[];
  /** The BUSIEST_COUNT minutes of the hour with the most starts over the week (the minute-0 stampede). */
  busiestMinutesOfHour: BusyMinuteOfHour[];
  frequentJobs: FrequentJob[];
  /** Jobs with no start in the week (`@reboot`, other days of the month, other months). */
  quietJobs: JobRef[];
  jobs: ReportJob[];
  /** With `--records`: p50/p95 run time, peak memory and overlaps per job, from switchman's journals (measured.ts). */
  measured?: Measured;
}

/** The instant of a local wall time (wall ms: local time written as UTC) in `zone`. */
function instantOf(wall: number, zone: string): number {
  const offsets = zoneOffsets(zone);
  const guess = wall - offsets.offsetAt(wall) * MINUTE_MS;
  return wall - offsets.offsetAt(guess) * MINUTE_MS;
}

function refOf(job: Job): JobRef {
  const ref: JobRef = { package: job.package, file: job.file, line: job.line, params: job.params, time: job.time.text, group: job.group, lockname: job.lockname };
  if (job.timeSource !== undefined) ref.timeSource = job.timeSource.text;
  return ref;
}

/** Options of buildReport. */
export interface BuildReportOptions {
  /**
   * Measured run durations in minutes by `package/lockname`, for the day timeline: the seam for
   * switchman's run records (a later issue). Without them the timeline shows the schedule alone.
   */
  durations?: ReadonlyMap<string, number>;
  /** Finished runs from switchman's journals (`--records`): the measured side, and the timeline's durations (p95). */
  records?: { sources: string[]; runs: readonly FinishedRun[] };
}

function series(keys: Iterable<string>, size: number): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const key of [...new Set(keys)].sort()) result[key] = new Array<number>(size).fill(0);
  return result;
}

/** Builds the report for `jobs` in `zone` (validated by the caller). */
export function buildReport(jobs: readonly Job[], zone: string, options: BuildReportOptions = {}): ScheduleReport {
  const { year, month, day } = REFERENCE_MONDAY;
  const startWall = Date.UTC(year, month - 1, day);
  const start = instantOf(startWall, zone);
  const end = instantOf(startWall + 7 * DAY_MS, zone);
  const offsets = zoneOffsets(zone);
  // Fast path: no offset change inside the week (true for the reference week in most zones).
  const fixedOffset = offsets.firstChangeIn(start, end) === undefined ? offsets.offsetAt(start) : undefined;
  const wallOf = (at: number): number => at + (fixedOffset ?? offsets.offsetAt(at)) * MINUTE_MS;

  const hourOfWeek: HeatMap = { all: new Array<number>(168).fill(0), byPackage: series(jobs.map((j) => j.package), 168), byGroup: series(jobs.map((j) => j.group), 168) };
  const minuteOfHour: HeatMap = { all: new Array<number>(60).fill(0), byPackage: series(jobs.map((j) => j.package), 60), byGroup: series(jobs.map((j) => j.group), 60) };
  const minuteCount = Math.round((end - start) / MINUTE_MS);
  const perMinute = new Uint32Array(minuteCount);
  const startsByJob: Uint16Array[] = [];
  const shortestGaps: number[] = [];
  const minuteOfHourByJob: Uint32Array[] = [];
  const reportJobs: ReportJob[] = [];
  const frequentJobs: FrequentJob[] = [];
  const quietJobs: JobRef[] = [];
  let total = 0;

  for (const job of jobs) {
    const runs = runsBetween(job.time, new Date(start), new Date(end), zone);
    const minutes = new Uint16Array(runs.length);
    const ownMinutes = new Uint32Array(60);
    const byPackageHour = hourOfWeek.byPackage[job.package];
    const byGroupHour = hourOfWeek.byGroup[job.group];
    const byPackageMinute = minuteOfHour.byPackage[job.package];
    const byGroupMinute = minuteOfHour.byGroup[job.group];
    let shortestGap = Infinity;
    runs.forEach((at, i) => {
      const wall = wallOf(at);
      const dayIndex = Math.min(6, Math.max(0, Math.floor((wall - startWall) / DAY_MS)));
      const hourIndex = dayIndex * 24 + Math.floor((wall % DAY_MS + DAY_MS) % DAY_MS / HOUR_MS);
      const minuteIndex = Math.floor((wall % HOUR_MS + HOUR_MS) % HOUR_MS / MINUTE_MS);
      for (const counts of [hourOfWeek.all, byPackageHour, byGroupHour]) if (counts) counts[hourIndex] = (counts[hourIndex] ?? 0) + 1;
      for (const counts of [minuteOfHour.all, byPackageMinute, byGroupMinute]) if (counts) counts[minuteIndex] = (counts[minuteIndex] ?? 0) + 1;
      ownMinutes[minuteIndex] = (ownMinutes[minuteIndex] ?? 0) + 1;
      const realMinute = Math.round((at - start) / MINUTE_MS);
      minutes[i] = realMinute;
      perMinute[realMinute] = (perMinute[realMinute] ?? 0) + 1;
      const previous = runs[i - 1];
      if (previous !== undefined) shortestGap = Math.min(shortestGap, (at - previous) / MINUTE_MS);
    });
    total += runs.length;
    startsByJob.push(minutes);
    shortestGaps.push(shortestGap);
    minuteOfHourByJob.push(ownMinutes);
    const row: ReportJob = { ...refOf(job), description: describeJobTime(job), user: job.user, lock: job.lock, cronLine: job.cronLine, startsPerWeek: runs.length };
    if (job.description !== undefined) row.comment = job.description;
    reportJobs.push(row);
    if (runs.length === 0) quietJobs.push(refOf(job));
    if (shortestGap < FREQUENT_GAP_MINUTES) frequentJobs.push({ ...refOf(job), startsPerWeek: runs.length, shortestGapMinutes: shortestGap });
  }

  const measured = options.records === undefined ? undefined : measure(jobs, jobs.map(refOf), options.records.runs, zone, options.records.sources);
  const durations = measured === undefined ? options.durations : new Map([...durationsOf(measured), ...(options.durations ?? [])]);
  return {
    version: 1,
    zone,
    week: { start: formatInZone(start, zone), end: formatInZone(end, zone) },
    jobCount: jobs.length,
    packageCount: Object.keys(hourOfWeek.byPackage).length,
    groupCount: Object.keys(hourOfWeek.byGroup).length,
    startsPerWeek: total,
    hourOfWeek,
    minuteOfHour,
    peak: peakOf(perMinute),
    busiestMinutes: busiest(perMinute, startsByJob, jobs, start, zone, wallOf),
    busiestMinutesOfHour: busiestOfHour(minuteOfHour.all, minuteOfHourByJob, jobs),
    frequentJobs: frequentJobs.sort((a, b) => a.shortestGapMinutes - b.shortestGapMinutes || b.startsPerWeek - a.startsPerWeek),
    quietJobs,
    jobs: reportJobs,
    ...glance({ jobs, startsByJob, shortestGap: shortestGaps, perMinute, zone, start, wallOf, weekdays: WEEKDAYS, ...(durations === undefined ? {} : { durations }) }),
    ...(measured === undefined ? {} : { measured }),
  };
}

/** The BUSIEST_COUNT minutes with the most starts (ties: earlier first), with their jobs. */
function busiest(
  perMinute: Uint32Array,
  startsByJob: readonly Uint16Array[],
  jobs: readonly Job[],
  start: number,
  zone: string,
  wallOf: (at: number) => number,
): BusyMinute[] {
  const order = [...perMinute.keys()].filter((i) => (perMinute[i] ?? 0) > 0);
  order.sort((a, b) => (perMinute[b] ?? 0) - (perMinute[a] ?? 0) || a - b);
  return order.slice(0, BUSIEST_COUNT).map((minute) => {
    const at = start + minute * MINUTE_MS;
    const wall = new Date(wallOf(at));
    const weekday = WEEKDAYS[(wall.getUTCDay() + 6) % 7] ?? "";
    const label = `${weekday} ${String(wall.getUTCHours()).padStart(2, "0")}:${String(wall.getUTCMinutes()).padStart(2, "0")}`;
    const members: JobRef[] = [];
    startsByJob.forEach((minutes, i) => {
      const job = jobs[i];
      if (job !== undefined && minutes.includes(minute)) members.push(refOf(job));
    });
    return { at: formatInZone(at, zone), label, starts: perMinute[minute] ?? 0, jobs: members };
  });
}

function peakOf(perMinute: Uint32Array): { starts: number; minutes: number } {
  let starts = 0;
  let minutes = 0;
  for (const count of perMinute) {
    if (count > starts) {
      starts = count;
      minutes = 1;
    } else if (count === starts && count > 0) minutes++;
  }
  return { starts, minutes };
}

/** The BUSIEST_COUNT minutes of the hour with the most starts, with each job's starts in them. */
function busiestOfHour(all: readonly number[], byJob: readonly Uint32Array[], jobs: readonly Job[]): BusyMinuteOfHour[] {
  const order = all.map((_, i) => i).filter((i) => (all[i] ?? 0) > 0);
  order.sort((a, b) => (all[b] ?? 0) - (all[a] ?? 0) || a - b);
  return order.slice(0, BUSIEST_COUNT).map((minute) => {
    const members: Array<JobRef & { starts: number }> = [];
    byJob.forEach((counts, i) => {
      const job = jobs[i];
      const starts = counts[minute] ?? 0;
      if (job !== undefined && starts > 0) members.push({ ...refOf(job), starts });
    });
    members.sort((a, b) => b.starts - a.starts);
    return { minute, label: `:${String(minute).padStart(2, "0")}`, starts: all[minute] ?? 0, jobs: members };
  });
}
