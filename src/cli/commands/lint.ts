/** `cronmeta lint`: the CI step. */
import { loadConfig } from "../../config/load.js";
import { lintReport } from "../../project.js";
import type { Io } from "../io.js";
import type { LintOptions } from "../options.js";
import { emitReport } from "../report-diagnostics.js";

/** `cronmeta lint`: 0 when clean (warnings within --max-warnings), 1 otherwise. */
export async function runLint(options: LintOptions, io: Io): Promise<number> {
  if (options.printConfig) {
    const loaded = await loadConfig(options.root, options.configPath);
    io.stdout(`${JSON.stringify(loaded.config, null, 2)}\n`);
    io.stderr(`cronmeta: configuration of ${options.root} from ${loaded.source ?? "the defaults (no configuration file)"}\n`);
    return 0;
  }
  const result = await lintReport(options);
  if (result.cacheProblem !== undefined) io.stderr(`cronmeta: warning: ${result.cacheProblem}\n`);
  const select = options.select ?? (() => true);
  // Every file was linted (collisions and duplicates need them all); the named ones are reported.
  const diagnostics = result.diagnostics.filter((d) => select(d.file));
  const errorCount = diagnostics.filter((d) => d.severity === "error").length;
  const report = {
    diagnostics,
    errorCount,
    warningCount: diagnostics.length - errorCount,
    jobCount: result.jobFiles.reduce((count, [file, jobs]) => (select(file) ? count + jobs : count), 0),
    suppressed: result.suppressed.filter((d) => select(d.file)),
  };
  return emitReport(report, options, io);
}
