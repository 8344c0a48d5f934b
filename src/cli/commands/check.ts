/** `cronmeta check FILE…`: existing cron.d files and crontabs, read as Debian's cron reads them. */
import { checkFiles } from "../../check/check.js";
import type { CrontabType } from "../../check/crontab-kind.js";
import { loadConfig } from "../../config/load.js";
import { configDefaults } from "../../config/defaults.generated.js";
import type { Config } from "../../config/schema.js";
import { findProjectRoot } from "../../project-root.js";
import type { Io } from "../io.js";
import type { ReportingOptions } from "../options.js";
import { emitReport } from "../report-diagnostics.js";

/** Options of `cronmeta check`. */
export interface CheckCommandOptions extends ReportingOptions {
  files: string[];
  type?: CrontabType;
  installed: boolean;
  /** Absolute `--config`; else the project's configuration, found upward from the current directory, if any. */
  configPath?: string;
}

/** Rule severities come from the project's configuration when there is one; check needs no project. */
async function configFor(options: CheckCommandOptions, io: Io): Promise<Config> {
  const root = findProjectRoot(io.cwd);
  if (options.configPath === undefined && root === undefined) return configDefaults();
  // loadConfig validates rule ids too (config/validate.ts).
  return (await loadConfig(root ?? io.cwd, options.configPath)).config;
}

/** `cronmeta check`: 0 when no file has an error (warnings within --max-warnings), 1 otherwise. */
export async function runCheck(options: CheckCommandOptions, io: Io): Promise<number> {
  const config = await configFor(options, io);
  const result = checkFiles(options.files, {
    cwd: io.cwd,
    installed: options.installed,
    config,
    ...(options.type === undefined ? {} : { type: options.type }),
  });
  const report = { diagnostics: result.diagnostics, errorCount: result.errorCount, warningCount: result.warningCount, jobCount: result.jobCount };
  return emitReport(report, options, io);
}
