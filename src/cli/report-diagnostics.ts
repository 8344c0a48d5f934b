/** How lint and check hand their diagnostics to the user, as ESLint does: format, --quiet, --output-file, exit code. */
import { formatLintReport, type LintReport } from "../lint/formatters/index.js";
import { type Io, useColour } from "./io.js";
import type { ReportingOptions } from "./options.js";
import { writeFileAtomically } from "./output-file.js";

/** Prints (or writes) the report and returns the exit code: 1 with errors or too many warnings, else 0. */
export async function emitReport(report: LintReport, options: ReportingOptions, io: Io): Promise<number> {
  const shown: LintReport = options.quiet ? { ...report, diagnostics: report.diagnostics.filter((d) => d.severity === "error"), warningCount: 0 } : report;
  // A file gets colours only when asked for with --color.
  const colour = options.outputFile === undefined ? useColour(io) : io.colour === true;
  const text = await formatLintReport(shown, options.format, { colour });
  if (options.outputFile === undefined) io.stdout(text);
  else await writeFileAtomically(options.outputFile, text);
  if (report.errorCount > 0) return 1;
  if (options.maxWarnings >= 0 && report.warningCount > options.maxWarnings) {
    if (options.format === "stylish") io.stderr(`cronmeta: too many warnings (${report.warningCount}, --max-warnings ${options.maxWarnings})\n`);
    return 1;
  }
  return 0;
}
