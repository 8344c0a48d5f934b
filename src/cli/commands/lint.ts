/** `cronmeta lint`: the CI step. */
import { formatLintReport } from "../../lint/formatters/index.js";
import { lintProject } from "../../project.js";
import { type Io, useColour } from "../io.js";
import type { LintOptions } from "../options.js";

/** `cronmeta lint`: 0 when clean (warnings within --max-warnings), 1 otherwise. */
export async function runLint(options: LintOptions, io: Io): Promise<number> {
  const result = await lintProject(options);
  if (result.cacheProblem !== undefined) io.stderr(`cronmeta: warning: ${result.cacheProblem}\n`);
  const report = {
    diagnostics: result.diagnostics,
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    jobCount: result.jobs.length,
  };
  io.stdout(await formatLintReport(report, options.format, { colour: useColour(io) }));
  if (result.errorCount > 0) return 1;
  if (options.maxWarnings >= 0 && result.warningCount > options.maxWarnings) {
    if (options.format === "stylish") {
      io.stderr(`cronmeta: too many warnings (${result.warningCount}, --max-warnings ${options.maxWarnings})\n`);
    }
    return 1;
  }
  return 0;
}
