/**
 * `switchman --status` output: the run records as an aligned table (for people) or as one
 * JSON document (for scripts). Pure and deterministic: the same records and clock give the
 * same bytes. Times in the table are written by the caller's `formatTime` (switchman passes the
 * log's local-time format, so TZ applies); JSON keeps the records' own ISO UTC timestamps.
 */

/** Writes a time for the table (switchman: log.ts formatTimestamp, local time). */
export type TimeFormat = (date: Date) => string;
import { RECORD_VERSION, type FleetRecord, type HostRecord } from "./record.js";
import type { FleetEntry, HostEntry } from "./status-read.js";

/** Where the records came from, as the JSON says it. */
export type StatusSource = { source: "zookeeper"; prefix: string } | { source: "local"; state_dir: string };

/** The JSON document (with its newline). */
export function statusJson(source: StatusSource, entries: (FleetEntry | HostEntry)[]): string {
  return `${JSON.stringify({ v: RECORD_VERSION, ...source, records: entries }, null, 2)}\n`;
}

function time(iso: string | undefined, format: TimeFormat): string {
  if (iso === undefined) return "-";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "-" : format(date);
}

function bytes(kib: number | null | undefined): string {
  if (kib === null || kib === undefined) return "-";
  if (kib < 1024) return `${kib} KiB`;
  if (kib < 1024 * 1024) return `${(kib / 1024).toFixed(1)} MiB`;
  return `${(kib / 1024 / 1024).toFixed(2)} GiB`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(3)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : `${m}m${String(s % 60).padStart(2, "0")}s`;
}

/** The last run's state: running (a START without its FINISH), or its outcome and status. */
function result(record: FleetRecord): string {
  const { start, finish } = record;
  if (start !== undefined && finish?.run !== start.run) return "running";
  if (finish === undefined) return "-";
  const how = finish.signal !== null && finish.outcome === "signal" ? finish.signal : String(finish.status);
  return `${finish.outcome} (${how})${finish.killed ? " killed" : ""}`;
}

const COLUMNS_FLEET = ["LOCKNAME", "PACKAGE", "LAST START", "HOST", "RESULT", "DURATION", "PEAK RSS", "LAST SUCCESS", "FAILING", "RUNS"];
const COLUMNS_HOST = [...COLUMNS_FLEET.slice(0, 1), "USER", ...COLUMNS_FLEET.slice(1), "SKIPS (group/lock)"];

function fleetCells(lockname: string, record: FleetRecord | null, format: TimeFormat): string[] {
  if (record === null) return [lockname, "-", "never", "-", "-", "-", "-", "-", "-", "0"];
  const last = record.finish;
  return [
    lockname,
    record.package ?? "-",
    record.start === undefined ? "never" : time(record.start.at, format),
    record.start?.host ?? "-",
    result(record),
    last === undefined ? "-" : duration(last.wall_s),
    bytes(last?.maxrss_kib),
    time(record.last_success, format),
    String(record.consecutive_failures),
    String(record.runs),
  ];
}

function hostCells(entry: HostEntry, format: TimeFormat): string[] {
  const record: HostRecord | null = entry.record;
  const cells = fleetCells(entry.lockname, record, format);
  const user = record?.start?.user ?? (entry.uid === null ? "-" : `uid ${entry.uid}`);
  const skips = record === null ? "-" : `${record.skips["not-in-group"]}/${record.skips["lock-held"]}`;
  return [cells[0] as string, user, ...cells.slice(1), skips];
}

/** Left-aligned columns, two spaces apart, trailing spaces trimmed. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** The fleet records as a table; a line saying so when there are none. */
export function fleetTable(prefix: string, entries: FleetEntry[], format: TimeFormat): string {
  if (entries.length === 0) return `no run records under ${prefix}/runs\n`;
  return table(COLUMNS_FLEET, entries.map((e) => fleetCells(e.lockname, e.record, format)));
}

/** This host's records as a table; a line saying so when there are none. */
export function hostTable(stateDir: string, entries: HostEntry[], format: TimeFormat): string {
  if (entries.length === 0) return `no run records in ${stateDir}\n`;
  return table(COLUMNS_HOST, entries.map((e) => hostCells(e, format)));
}
