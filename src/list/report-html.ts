/**
 * The schedule report as one self-contained HTML page: the report data turned into a view
 * (summary cards, headlines, heat map rows with colour levels and titles, the busiest minutes
 * with their suggestions, the day timeline) and rendered with eta from templates/report.html.eta.
 * Every text from METADATA is escaped by eta (`<%= %>`). Pure: the template source comes in as
 * a string (see report-template.ts).
 */
import { Eta } from "eta";
import type { ScheduleReport } from "./report.js";
import type { MeasuredJob } from "./measured.js";
import { WEEKDAYS } from "./report.js";
import { MAX_TIMELINE_ROWS, type TimelineRow } from "./report-glance.js";
import { plural } from "../plural.js";

/** At most this many package / group rows per heat map; the JSON format has them all. */
export const MAX_SERIES_ROWS = 40;
/** At most this many jobs named per busy minute; the JSON format has them all. */
export const MAX_LISTED_JOBS = 25;

/** One heat map cell. */
export interface HeatCell {
  count: number;
  /** 0 (nothing) to 5 (the table's maximum). */
  level: number;
  title: string;
}

/** One heat map row. */
export interface HeatRow {
  label: string;
  /** Jobs counted in the row (the last column). */
  total: number;
  cells: HeatCell[];
}

/** One heat map table. */
export interface HeatTable {
  /** `hour-of-week` or `minute-of-hour`. */
  kind: string;
  /** `all`, `package` or `group`. */
  series: string;
  caption: string;
  /** Column headers (hours or minutes); for strips, `spans` group them by day. */
  columns: string[];
  /** Header cells spanning several columns (day names over 24 hours), if any. */
  spans: { label: string; span: number }[];
  rows: HeatRow[];
  /** Rows left out beyond MAX_SERIES_ROWS. */
  hidden: number;
  /** Numbers in the cells: only in the overall tables, and only while they fit the cells (else colour and tooltip). */
  numbers: boolean;
}

/** A summary card. */
export interface Card {
  id: string;
  label: string;
  value: string;
  note: string;
}

/** A timeline row as drawn: x in minutes of the day (the SVG is 1440 wide). */
export interface TimelineRowView {
  row: TimelineRow;
  /** Single starts: x and width (the measured duration, else a fixed tick). */
  ticks: Array<{ x: number; width: number }>;
  bands: Array<{ x: number; width: number; every: number }>;
  title: string;
}

/** What the template sees as `it`. */
export interface ReportView {
  report: ScheduleReport;
  cards: Card[];
  headlines: string[];
  heatMaps: HeatTable[];
  timeline: { label: string; rows: TimelineRowView[]; hidden: number; notOnThisDay: number; measured: boolean };
  /** MAX_LISTED_JOBS. */
  maxListed: number;
  generator: string;
  /** The measured side (`--records`), with its numbers as text; undefined without records. */
  measured?: MeasuredView;
}

/** One row of the measured table, as text. */
export interface MeasuredRowView {
  job: MeasuredJob;
  p50: string;
  p95: string;
  max: string;
  memory: string;
  overrun: string;
}

export interface MeasuredView {
  note: string;
  rows: MeasuredRowView[];
  /** The rows of jobs whose runs overlap their next slot, most overlaps first. */
  overlapping: MeasuredRowView[];
}

/** `0.4 s`, `12 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 === 0 ? "" : ` ${s % 60} s`}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 === 0 ? "" : ` ${m % 60} min`}`;
}

/** `800 KiB`, `12.5 MiB`, `1.2 GiB`. */
export function formatKib(kib: number | null): string {
  if (kib === null) return "-";
  if (kib < 1024) return `${kib} KiB`;
  if (kib < 1024 * 1024) return `${Math.round((kib / 1024) * 10) / 10} MiB`;
  return `${Math.round((kib / 1024 / 1024) * 10) / 10} GiB`;
}

function measuredView(report: ScheduleReport): MeasuredView | undefined {
  const m = report.measured;
  if (m === undefined) return undefined;
  const rows = m.jobs.map((job) => ({
    job,
    p50: formatSeconds(job.p50Seconds),
    p95: formatSeconds(job.p95Seconds),
    max: formatSeconds(job.maxSeconds),
    memory: formatKib(job.peakRssKib),
    overrun: job.overlaps === 0 ? "" : `up to ${formatSeconds(job.worstOverrunSeconds)} past the next slot`,
  }));
  const span = m.from === null ? "" : `, finished ${m.from.slice(0, 16).replace("T", " ")} to ${(m.to ?? "").slice(0, 16).replace("T", " ")} UTC`;
  const unmatched = m.unmatched === 0 ? "" : ` ${plural(m.unmatched, "run")} of jobs this project does not have left out.`;
  return {
    note: `${plural(m.runs, "run")} from ${plural(m.sources.length, "journal")}${span}; ${plural(m.jobs.length, "job")} of ${report.jobCount} with runs.${unmatched}`,
    rows,
    overlapping: rows.filter((r) => r.job.overlaps > 0).sort((a, b) => b.job.overlaps - a.job.overlaps),
  };
}

const pad = (n: number): string => String(n).padStart(2, "0");
const HOURS = Array.from({ length: 24 }, (_, h) => pad(h));
const MINUTES = Array.from({ length: 60 }, (_, m) => pad(m));
/** Width of a start without a measured duration, in minutes of the day (about 2 px at 1000 px). */
const TICK = 3;

function level(count: number, max: number): number {
  if (count === 0 || max === 0) return 0;
  return Math.min(5, 1 + Math.floor((4 * count) / max));
}

function hourTitle(index: number): string {
  const day = WEEKDAYS[Math.floor(index / 24)] ?? "";
  const hour = pad(index % 24);
  return `${day} ${hour}:00-${hour}:59`;
}

const jobs = (n: number): string => plural(n, "job");
/** "1 job starts", "2 jobs start". */
const jobsStart = (n: number): string => `${jobs(n)} ${n === 1 ? "starts" : "start"}`;

function rowsOf(
  counts: Record<string, number[]>,
  totals: Record<string, number>,
  title: (label: string, i: number, count: number) => string,
): { rows: HeatRow[]; hidden: number } {
  const all = Object.entries(counts).map(([label, values]) => ({ label, values, total: totals[label] ?? 0, sum: values.reduce((a, b) => a + b, 0) }));
  all.sort((a, b) => b.sum - a.sum || b.total - a.total || (a.label < b.label ? -1 : 1));
  const shown = all.slice(0, MAX_SERIES_ROWS);
  const max = Math.max(0, ...shown.flatMap((r) => r.values));
  const rows = shown.map((r) => ({
    label: r.label,
    total: r.total,
    cells: r.values.map((count, i) => ({ count, level: level(count, max), title: title(r.label, i, count) })),
  }));
  return { rows, hidden: all.length - shown.length };
}

function minuteTables(report: ScheduleReport): HeatTable[] {
  const m = report.minuteOfHourJobs;
  const max = Math.max(0, ...m.mostInAnHour);
  const minuteTitle = (i: number): string => `:${pad(i)}`;
  const overall: HeatTable = {
    kind: "minute-of-hour", series: "all", caption: "Jobs starting in each minute of the hour, all jobs",
    columns: MINUTES, spans: [], hidden: 0, numbers: max < 100,
    rows: [
      {
        label: "every hour", total: m.jobCount.everyHour,
        cells: m.everyHour.map((count, i) => ({ count, level: level(count, max), title: `${jobs(count)} start at ${minuteTitle(i)} of every hour` })),
      },
      {
        label: "most in one hour", total: m.jobCount.all,
        cells: m.mostInAnHour.map((count, i) => ({ count, level: level(count, max), title: `at most ${jobs(count)} start at ${minuteTitle(i)} in one hour of the week` })),
      },
    ],
  };
  const columns = MINUTES.map((c, i) => (i % 5 === 0 ? c : ""));
  const strip = (series: "package" | "group", counts: Record<string, number[]>, totals: Record<string, number>): HeatTable => ({
    kind: "minute-of-hour", series, caption: `Most jobs starting in each minute of one hour, by ${series === "package" ? "package" : "switchman group"}`,
    columns, spans: [], numbers: false,
    ...rowsOf(counts, totals, (label, i, count) => `${series} ${label}: at most ${jobs(count)} at ${minuteTitle(i)} in one hour`),
  });
  return [overall, strip("package", m.byPackage, m.jobCount.byPackage), strip("group", m.byGroup, m.jobCount.byGroup)];
}

function hourTables(report: ScheduleReport): HeatTable[] {
  const h = report.hourOfWeekJobs;
  const max = Math.max(0, ...h.all);
  const overall: HeatTable = {
    kind: "hour-of-week", series: "all", caption: "Jobs starting in each hour of the week (jobs that start in every hour left out)",
    columns: HOURS, spans: [], hidden: 0, numbers: max < 10_000,
    rows: WEEKDAYS.map((day, d) => ({
      label: day,
      total: h.jobCount.byDay[d] ?? 0,
      cells: h.all.slice(d * 24, d * 24 + 24).map((count, hour) => ({ count, level: level(count, max), title: `${hourTitle(d * 24 + hour)}: ${jobs(count)} start` })),
    })),
  };
  const spans = WEEKDAYS.map((label) => ({ label, span: 24 }));
  const columns = WEEKDAYS.flatMap(() => HOURS);
  const strip = (series: "package" | "group", counts: Record<string, number[]>, totals: Record<string, number>): HeatTable => ({
    kind: "hour-of-week", series, caption: `Jobs starting in each hour of the week, by ${series === "package" ? "package" : "switchman group"}`,
    columns, spans, numbers: false,
    ...rowsOf(counts, totals, (label, i, count) => `${series} ${label}, ${hourTitle(i)}: ${jobs(count)} start`),
  });
  return [overall, strip("package", h.byPackage, h.jobCount.byPackage), strip("group", h.byGroup, h.jobCount.byGroup)];
}

function cards(report: ScheduleReport): Card[] {
  const busiest = report.busyMinutes[0];
  const list: Card[] = [
    { id: "job-count", label: "jobs", value: String(report.jobCount), note: `in ${plural(report.packageCount, "package")}, ${plural(report.groupCount, "switchman group")}` },
    busiest === undefined
      ? { id: "busiest-minute", label: "busiest minute", value: "none", note: "no job starts in this week" }
      : {
          id: "busiest-minute", label: "busiest minute", value: busiest.label,
          note: busiest.everyHour === busiest.mostInAnHour
            ? `${jobsStart(busiest.everyHour)} then, every hour`
            : `${jobs(busiest.everyHour)} every hour, up to ${busiest.mostInAnHour}`,
        },
    { id: "peak-minute", label: "most jobs in one minute", value: String(report.peak.starts), note: `in ${plural(report.peak.minutes, "minute")} of the week` },
  ];
  const after = report.spreadAll;
  if (after.changes.length > 0) {
    list.push({ id: "peak-with-h", label: "with H forms", value: String(after.peakAfter), note: `most in one minute if ${jobs(after.changes.length)} took the suggested H minute` });
  }
  list.push(
    { id: "every-minute-jobs", label: "every-minute jobs", value: String(report.everyMinuteJobs.length), note: report.everyMinuteJobs.length > 0 ? "listed apart, not in the maps" : "none to set apart" },
    { id: "start-count", label: "starts a day", value: String(Math.round(report.startsPerWeek / 7)), note: `${report.startsPerWeek} in the week` },
  );
  return list;
}

function headlines(report: ScheduleReport): string[] {
  const lines: string[] = [];
  const busiest = report.busyMinutes[0];
  if (busiest !== undefined) {
    const more = busiest.mostInAnHour > busiest.everyHour ? `, and up to ${busiest.mostInAnHour} in one hour (first ${busiest.mostAt})` : "";
    lines.push(busiest.everyHour > 0
      ? `${jobsStart(busiest.everyHour)} at ${busiest.label} of every hour${more}.`
      : `At most ${jobsStart(busiest.mostInAnHour)} at ${busiest.label} in one hour (first ${busiest.mostAt}).`);
  }
  const everyHour = report.everyHourJobs.length;
  const h = report.hourOfWeekJobs.all;
  const top = h.reduce((best, count, i) => (count > (h[best] ?? 0) ? i : best), 0);
  if ((h[top] ?? 0) > 0) {
    lines.push(`${everyHour > 0 ? `Besides the ${jobs(everyHour)} that start in every hour, the` : "The"} busiest hour of the week is ${hourTitle(top)}, with ${jobs(h[top] ?? 0)} starting.`);
  } else if (everyHour > 0) {
    lines.push(`All ${jobs(everyHour)} start in every hour of the week.`);
  }
  const after = report.spreadAll;
  const spread = after.changes.length > 0 && after.peakAfter < after.peakBefore
    ? ` Writing the suggested H forms for the ${jobs(after.changes.length)} that can take one would bring that to ${after.peakAfter}.`
    : "";
  if (report.peak.starts > 0) {
    lines.push(`At most ${jobsStart(report.peak.starts)} in the same minute, in ${plural(report.peak.minutes, "minute")} of the week.${spread}`);
  }
  const frequent = report.frequentJobs.length;
  const everyMinute = report.everyMinuteJobs.length;
  lines.push(`${frequent === 0 ? "No job starts" : jobsStart(frequent)} more often than every 5 minutes` +
    `${everyMinute > 0 ? `; ${jobsStart(everyMinute)} every minute and ${everyMinute === 1 ? "is" : "are"} listed apart` : ""}.`);
  return lines;
}

function timelineView(report: ScheduleReport): ReportView["timeline"] {
  const rows = report.timeline.rows.slice(0, MAX_TIMELINE_ROWS).map((row) => {
    const width = Math.max(TICK, row.durationMinutes ?? 0);
    const clock = (m: number): string => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
    const parts = [
      ...row.bands.map((b) => `${clock(b.from)}-${clock(b.to)} every ${b.every} min`),
      ...row.starts.slice(0, 12).map(clock),
    ];
    const more = row.starts.length > 12 ? `, and ${row.starts.length - 12} more` : "";
    return {
      row,
      ticks: row.starts.map((x) => ({ x, width })),
      bands: row.bands.map((b) => ({ x: b.from, width: Math.max(TICK, b.to - b.from + (row.durationMinutes ?? 1)), every: b.every })),
      title: `${row.job.file}:${row.job.line}: ${plural(row.count, "start")}: ${parts.join(", ")}${more}`,
    };
  });
  return {
    label: report.timeline.label,
    rows,
    hidden: Math.max(0, report.timeline.rows.length - MAX_TIMELINE_ROWS),
    notOnThisDay: report.timeline.notOnThisDay,
    measured: report.timeline.rows.some((r) => r.durationMinutes !== undefined),
  };
}

/** The template's view of a report. */
export function reportView(report: ScheduleReport, generator: string): ReportView {
  return {
    report,
    generator,
    cards: cards(report),
    headlines: headlines(report),
    heatMaps: [...minuteTables(report), ...hourTables(report)],
    timeline: timelineView(report),
    maxListed: MAX_LISTED_JOBS,
    ...(report.measured === undefined ? {} : { measured: measuredView(report) }),
  };
}

/** Renders the page from the template source `template` (templates/report.html.eta). */
export function renderReportHtml(report: ScheduleReport, template: string, generator: string): string {
  const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"], useWith: false });
  return eta.renderString(template, reportView(report, generator));
}
