import type { LintReport } from "./result.js";

/** `--format json`: exactly one JSON object (SPEC 6.1); `suppressed` holds what `# cronmeta-disable` turned off, with `reason`. */
export function formatJson(report: LintReport): string {
  return (
    JSON.stringify({
      version: 1,
      diagnostics: report.diagnostics,
      suppressed: report.suppressed ?? [],
      errorCount: report.errorCount,
      warningCount: report.warningCount,
      jobCount: report.jobCount,
    }) + "\n"
  );
}
