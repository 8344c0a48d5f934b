import { lintProject, type LintProjectOptions } from "../../project.js";
import { formatGithub, formatJson, formatSarif, formatStylish, type LintReport } from "../../lint/formatters/index.js";
import { type Io, useColour } from "../io.js";
import type { LintOptions } from "../options.js";

/** Formats a report in the chosen format. */
export function formatReport(report: LintReport, format: LintOptions["format"], io: Io): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "github":
      return formatGithub(report);
    case "sarif":
      return formatSarif(report);
    case "stylish":
      return formatStylish(report, { colour: useColour(io) });
  }
}

/** `cronmeta lint`: 0 when clean (warnings within --max-warnings), 1 otherwise. */
export async function runLint(options: LintOptions, io: Io): Promise<number> {
  const lintOptions: LintProjectOptions = { root: options.root, mode: options.mode };
  if (options.config !== undefined) lintOptions.configPath = options.config;
  if (options.cacheLocation !== undefined) lintOptions.cacheLocation = options.cacheLocation;
  const result = await lintProject(lintOptions);
  if (result.cacheProblem !== undefined) io.stderr(`cronmeta: warning: ${result.cacheProblem}\n`);
  const report: LintReport = {
    diagnostics: result.diagnostics,
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    jobCount: result.jobs.length,
  };
  io.stdout(formatReport(report, options.format, io));
  if (result.errorCount > 0) return 1;
  if (options.maxWarnings >= 0 && result.warningCount > options.maxWarnings) {
    if (options.format === "stylish") {
      io.stderr(`cronmeta: too many warnings (${result.warningCount}, --max-warnings ${options.maxWarnings})\n`);
    }
    return 1;
  }
  return 0;
}
