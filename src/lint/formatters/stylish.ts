import type { LintReport } from "./result.js";
import { plural } from "../../plural.js";

/** Formatting options: colours only when the CLI says so (TTY, no NO_COLOR). */
export interface StylishOptions {
  colour: boolean;
}

const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);


/** `--format stylish`: diagnostics grouped by file, then a summary line (ESLint's layout). */
export function formatStylish(report: LintReport, options: StylishOptions): string {
  const { colour } = options;
  let out = "";
  let currentFile: string | undefined;
  for (const d of report.diagnostics) {
    if (d.file !== currentFile) {
      out += `${currentFile === undefined ? "" : "\n"}${paint(colour, "4", d.file)}\n`;
      currentFile = d.file;
    }
    const severity = d.severity === "error" ? paint(colour, "31", "error  ") : paint(colour, "33", "warning");
    out += `  ${`${d.line}:${d.column}`.padEnd(7)}  ${severity}  ${d.message}  ${paint(colour, "2", d.rule)}\n`;
  }
  const total = report.errorCount + report.warningCount;
  if (total > 0) {
    const summary = `\u2716 ${plural(total, "problem")} (${plural(report.errorCount, "error")}, ${plural(report.warningCount, "warning")})`;
    out += `\n${paint(colour, report.errorCount > 0 ? "31;1" : "33;1", summary)}\n`;
  }
  out += `${plural(report.jobCount, "job")} checked\n`;
  return out;
}
