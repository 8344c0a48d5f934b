/**
 * The whole pipeline that lint, gen and list share: load config, read debian/, scan the
 * tree, run the rules. Returns data; the CLI decides what to print and the exit code.
 */
import { stat } from "node:fs/promises";
import type { Config } from "./config/schema.js";
import { loadConfig } from "./config/load.js";
import { readDebian } from "./debian/read.js";
import { UsageError } from "./errors.js";
import { ruleSettingProblems } from "./lint/all-rules.js";
import { runRules } from "./lint/engine.js";
import type { SuppressedDiagnostic } from "./lint/suppressions.js";
import { ScanCache, scanCacheKey } from "./scan/cache.js";
import { scanTree } from "./scan/index.js";
import type { Diagnostic, Job, OutputMode } from "./types.js";

/** Options of {@link lintProject}. */
export interface LintProjectOptions {
  /** Absolute project root. */
  root: string;
  /** Absolute config file path; default: found in the root. */
  configPath?: string;
  /** Output mode gen will use (decides cron-file-name); default "source". */
  mode?: OutputMode;
  /**
   * `--cache`: absolute path of the scan cache file to read and update (see src/scan/cache.ts;
   * `defaultCacheLocation(root)` is the usual one). Absent: no cache.
   */
  cacheLocation?: string;
}

/** Everything lint, gen and list need. */
export interface ProjectResult {
  root: string;
  config: Config;
  /** Where the config came from, undefined for defaults. */
  configSource?: string;
  /** Sorted by file, line, column, rule. */
  diagnostics: Diagnostic[];
  /** Turned off by `# cronmeta-disable` comments (src/lint/suppressions.ts), with their reasons. */
  suppressed: SuppressedDiagnostic[];
  /** Valid jobs, sorted by package, file, position. */
  jobs: Job[];
  errorCount: number;
  warningCount: number;
  /** Binary packages of debian/control. */
  packages: string[];
  /** Why the scan cache could not be written (the result is still right); a warning for the CLI. */
  cacheProblem?: string;
}

/** Lints a project. Throws UsageError for an unreadable root or a bad configuration. */
export async function lintProject(options: LintProjectOptions): Promise<ProjectResult> {
  const { root } = options;
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read root ${root}: ${error.code ?? error.message}`);
  });
  if (!info.isDirectory()) throw new UsageError(`root ${root} is not a directory`);
  const loaded = await loadConfig(root, options.configPath);
  const { config } = loaded;
  const settingProblems = ruleSettingProblems(config.rules);
  if (settingProblems.length > 0) {
    throw new UsageError(settingProblems.map((p) => `${loaded.source ?? "config"}: ${p}`).join("\n"));
  }
  const cache = options.cacheLocation === undefined ? undefined : await ScanCache.load(options.cacheLocation, scanCacheKey(config));
  const files = await scanTree(root, config, cache === undefined ? {} : { cache });
  // After the scan: only the scripts with METADATA need to be found in the install files.
  const debian = await readDebian(root, config.debianDir, { only: files.map((f) => f.file) });
  const saved = await cache?.save();
  const known = new Set(debian.control.packages.map((p) => p.name));
  const unknownPackages = debian.controlFound ? (config.packages ?? []).filter((p) => !known.has(p)) : [];
  if (unknownPackages.length > 0) {
    throw new UsageError(
      `${loaded.source ?? "config"}: packages: ${unknownPackages.map((p) => `"${p}"`).join(", ")} not a Package: in ${debian.controlFile}`,
    );
  }
  const output = runRules({ config, debian, mode: options.mode ?? "source", files });
  const result: ProjectResult = {
    root,
    config,
    diagnostics: output.diagnostics,
    suppressed: output.suppressed,
    jobs: output.jobs,
    errorCount: output.errorCount,
    warningCount: output.warningCount,
    packages: debian.control.packages.map((p) => p.name),
  };
  if (loaded.source !== undefined) result.configSource = loaded.source;
  if (saved?.error !== undefined) result.cacheProblem = saved.error;
  return result;
}
