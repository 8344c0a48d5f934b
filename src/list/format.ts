/**
 * The two outputs of `cronmeta list`: an aligned table for people, one JSON object for tools.
 * Pure functions of the rows.
 */
import type { ListedJob } from "./listing.js";
import { plural } from "../plural.js";

/** Settings the table shows in its footer. */
export interface TableOptions {
  /** Zone of the next-run times, shown when there are any. */
  zone: string;
  /** How many next runs were asked for. */
  next: number;
  /** ANSI colours (the CLI decides: a TTY and no NO_COLOR). */
  colour?: boolean;
}

const HEADERS = ["PACKAGE", "SCRIPT", "TIME", "USER", "GROUP", "LOCK"] as const;

function cells(row: ListedJob): string[] {
  return [row.package, `${row.file}:${row.line}`, row.time, row.user, row.group, row.lock ? row.lockname : "(no lock)"];
}


/**
 * One aligned line per job (package, script:line, time, user, group, lock name), then
 * indented: the H text the time was resolved from (if any), what cron will do, the next runs (with `--next`), the job's own description
 * and the full cron.d line. A summary line ends the table.
 */
export function formatListTable(rows: readonly ListedJob[], options: TableOptions): string {
  if (rows.length === 0) return "No jobs.\n";
  const paint = (code: string, text: string): string => (options.colour === true ? `\u001b[${code}m${text}\u001b[0m` : text);
  const label = (name: string): string => `    ${paint("2", `${name}:`)} `;
  const table = [HEADERS.slice(), ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]): string =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd() + "\n";
  let out = paint("1", line(HEADERS).trimEnd()) + "\n";
  for (const row of rows) {
    out += "\n" + line(cells(row));
    if (row.timeSource !== undefined) out += `${label("from")}${row.timeSource.text}\n`;
    out += `${label("when")}${row.description}\n`;
    if (row.nextRuns !== undefined) {
      out += `${label("next")}${row.nextRuns.length === 0 ? "none" : row.nextRuns.join(", ")}\n`;
    }
    if (row.comment !== undefined) out += `${label("what")}${row.comment}\n`;
    out += `${label("cron")}${row.cronLine}\n`;
  }
  const packages = new Set(rows.map((r) => r.package)).size;
  const groups = new Set(rows.map((r) => r.group)).size;
  let summary = `\n${plural(rows.length, "job")} in ${plural(packages, "package")}, ${plural(groups, "group")}`;
  if (options.next > 0) summary += `; next runs in ${options.zone}, with Debian cron's day and DST rules`;
  return `${out}${summary}\n`;
}

/** `list --format json`: `{ "version": 1, "jobs": [...] }`, two-space indented, final newline. */
export function formatListJson(rows: readonly ListedJob[]): string {
  return `${JSON.stringify({ version: 1, jobs: rows }, null, 2)}\n`;
}
