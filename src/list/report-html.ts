/**
 * The schedule report as one self-contained HTML page: the report data turned into a view
 * (heat map rows with colour levels and titles) and rendered with eta from
 * templates/report.html.eta. Every text from METADATA is escaped by eta (`<%= %>`).
 * Pure: the template source comes in as a string (see report-template.ts).
 */
import { Eta } from "eta";
import type { HeatMap, ScheduleReport } from "./report.js";
import { WEEKDAYS } from "./report.js";
import { plural } from "../plural.js";

/** At most this many package / group rows per heat map; the JSON format has them all. */
export const MAX_SERIES_ROWS = 40;

/** One heat map cell. */
export interface HeatCell {
  count: number;
  /** 0 (no start) to 5 (the table's maximum). */
  level: number;
  title: string;
}

/** One heat map row. */
export interface HeatRow {
  label: string;
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
  /** Column headers (hours or minutes); for strips, `groups` spans them by day. */
  columns: string[];
  /** Header cells spanning several columns (day names over 24 hours), if any. */
  spans: { label: string; span: number }[];
  rows: HeatRow[];
  /** Rows left out beyond MAX_SERIES_ROWS. */
  hidden: number;
}

/** What the template sees as `it`. */
export interface ReportView {
  report: ScheduleReport;
  heatMaps: HeatTable[];
  generator: string;
}

const pad = (n: number): string => String(n).padStart(2, "0");
const HOURS = Array.from({ length: 24 }, (_, h) => pad(h));
const MINUTES = Array.from({ length: 60 }, (_, m) => pad(m));

function level(count: number, max: number): number {
  if (count === 0 || max === 0) return 0;
  return Math.min(5, 1 + Math.floor((4 * count) / max));
}


function hourTitle(index: number): string {
  const day = WEEKDAYS[Math.floor(index / 24)] ?? "";
  const hour = pad(index % 24);
  return `${day} ${hour}:00-${hour}:59`;
}

function rowsOf(counts: Record<string, number[]>, title: (i: number) => string, prefix: string): { rows: HeatRow[]; hidden: number } {
  const all = Object.entries(counts).map(([label, values]) => ({ label, values, total: values.reduce((a, b) => a + b, 0) }));
  all.sort((a, b) => b.total - a.total || (a.label < b.label ? -1 : 1));
  const shown = all.slice(0, MAX_SERIES_ROWS);
  const max = Math.max(0, ...shown.flatMap((r) => r.values));
  const rows = shown.map((r) => ({
    label: r.label,
    total: r.total,
    cells: r.values.map((count, i) => ({ count, level: level(count, max), title: `${prefix}${r.label}, ${title(i)}: ${plural(count, "start")}` })),
  }));
  return { rows, hidden: all.length - shown.length };
}

function heatTables(kind: "hour-of-week" | "minute-of-hour", map: HeatMap): HeatTable[] {
  const title = kind === "hour-of-week" ? hourTitle : (m: number) => `minute :${pad(m)}`;
  const spans = kind === "hour-of-week" ? WEEKDAYS.map((label) => ({ label, span: 24 })) : [];
  // Strips are narrow: label every 5th minute only.
  const columns = kind === "hour-of-week" ? WEEKDAYS.flatMap(() => HOURS) : MINUTES.map((m, i) => (i % 5 === 0 ? m : ""));
  const name = kind === "hour-of-week" ? "per hour of the week" : "per minute of the hour (whole week)";
  let overall: HeatTable;
  if (kind === "hour-of-week") {
    const max = Math.max(0, ...map.all);
    overall = {
      kind, series: "all", caption: `Job starts ${name}, all jobs`, columns: HOURS, spans: [], hidden: 0,
      rows: WEEKDAYS.map((day, d) => {
        const values = map.all.slice(d * 24, d * 24 + 24);
        return { label: day, total: values.reduce((a, b) => a + b, 0), cells: values.map((count, h) => ({ count, level: level(count, max), title: `${hourTitle(d * 24 + h)}: ${plural(count, "start")}` })) };
      }),
    };
  } else {
    const max = Math.max(0, ...map.all);
    overall = {
      kind, series: "all", caption: `Job starts ${name}, all jobs`, columns: MINUTES, spans: [], hidden: 0,
      rows: [{ label: "all", total: map.all.reduce((a, b) => a + b, 0), cells: map.all.map((count, m) => ({ count, level: level(count, max), title: `${title(m)}: ${plural(count, "start")}` })) }],
    };
  }
  const byPackage = rowsOf(map.byPackage, title, "package ");
  const byGroup = rowsOf(map.byGroup, title, "group ");
  return [
    overall,
    { kind, series: "package", caption: `Job starts ${name}, by package`, columns, spans, ...byPackage },
    { kind, series: "group", caption: `Job starts ${name}, by switchman group`, columns, spans, ...byGroup },
  ];
}

/** The template's view of a report. */
export function reportView(report: ScheduleReport, generator: string): ReportView {
  return { report, generator, heatMaps: [...heatTables("hour-of-week", report.hourOfWeek), ...heatTables("minute-of-hour", report.minuteOfHour)] };
}

/** Renders the page from the template source `template` (templates/report.html.eta). */
export function renderReportHtml(report: ScheduleReport, template: string, generator: string): string {
  const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"], useWith: false });
  return eta.renderString(template, reportView(report, generator));
}
