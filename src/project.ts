/**
 * The whole pipeline that lint, gen and list share: load config, read debian/, scan the
 * tree, run the rules. Returns data; the CLI decides what to print and the exit code.
 */
import { stat } from "node:fs/promises";
import type { Config } from "./config/schema.js";
import { loadConfig } from "./config/load.js";
import { type DebianInfo, readDebian } from "./debian/read.js";
import { ConfigProblems } from "./config/problems.js";
import { UsageError } from "./errors.js";
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

/** Config `packages` that debian/control does not define, as a problem line (none without debian/control). */
function packagesProblem(packages: readonly string[], debian: DebianInfo, label: string): string | undefined {
  const known = new Set(debian.control.packages.map((p) => p.name));
  const unknown = debian.controlFound ? packages.filter((p) => !known.has(p)) : [];
  if (unknown.length === 0) return undefined;
  return `${label}: packages: ${unknown.map((p) => `"${p}"`).join(", ")} not a Package: in ${debian.controlFile}`;
}

/** Lints a project. Throws UsageError for an unreadable root or a bad configuration (every problem of it at once). */
export async function lintProject(options: LintProjectOptions): Promise<ProjectResult> {
  const { root } = options;
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read root ${root}: ${error.code ?? error.message}`);
  });
  if (!info.isDirectory()) throw new UsageError(`root ${root} is not a directory`);
  const loaded = await loadConfig(root, options.configPath).catch(async (error: unknown) => {
    // Every configuration problem in one run (issue 17): add the packages debian/control lacks.
    if (!(error instanceof ConfigProblems)) throw error;
    const raw = error.raw as { debianDir?: unknown; packages?: unknown } | null;
    const debianDir = typeof raw?.debianDir === "string" && raw.debianDir !== "" ? raw.debianDir : "debian";
    const packages = Array.isArray(raw?.packages) ? raw.packages.filter((p): p is string => typeof p === "string") : [];
    const more = packages.length === 0 ? undefined : packagesProblem(packages, await readDebian(root, debianDir, { only: [] }), error.label);
    throw more === undefined ? error : new ConfigProblems([...error.problems, more], error.raw, error.label);
  });
  const { config } = loaded;
  const cache = options.cacheLocation === undefined ? undefined : await ScanCache.load(options.cacheLocation, scanCacheKey(config));
  const files = await scanTree(root, config, cache === undefined ? {} : { cache });
  // After the scan: only the scripts with METADATA need to be found in the install files.
  const debian = await readDebian(root, config.debianDir, { only: files.map((f) => f.file) });
  const saved = await cache?.save();
  const unknownPackages = packagesProblem(config.packages ?? [], debian, loaded.source ?? "config");
  if (unknownPackages !== undefined) throw new UsageError(unknownPackages);
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
