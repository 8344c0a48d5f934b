/** `cronmeta report --format json`: the report object, indented, with number arrays on one line. */
import type { ScheduleReport } from "./report.js";

/** The report as JSON text with a final newline; heat map arrays stay on one line each. */
export function formatReportJson(report: ScheduleReport): string {
  const text = JSON.stringify(report, null, 2);
  // Arrays of plain numbers (168 or 60 counts) would take one line per number.
  return `${text.replace(/\[\s*\n\s*(-?\d+(?:,\s*\n\s*-?\d+)*)\s*\n\s*\]/g, (_, inner: string) => `[${inner.replace(/\s*\n\s*/g, " ")}]`)}\n`;
}
