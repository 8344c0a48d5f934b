/**
 * The whole pipeline that lint, gen and list share: load config, read debian/, scan the
 * tree, run the rules. Returns data; the CLI decides what to print and the exit code.
 */
import { statSync, type Stats } from "node:fs";
import type { Config } from "./config/schema.js";
import { loadConfig } from "./config/load.js";
import { type DebianInfo, readDebian } from "./debian/read.js";
import { ConfigProblems } from "./config/problems.js";
import { UsageError } from "./errors.js";
import { runRules } from "./lint/engine.js";
import type { SuppressedDiagnostic } from "./lint/suppressions.js";
import { type LintCacheInputs, lintResultKey } from "./lint-cache-key.js";
import { ScanCache, scanCacheKey } from "./scan/cache.js";
import { type DeferredScan, scanTreeDeferred } from "./scan/tree.js";
import type { Diagnostic, Job, OutputMode, ScannedFile } from "./types.js";

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

/** The root checked and the config loaded (every problem of it at once). */
async function loadProject(options: LintProjectOptions): Promise<Awaited<ReturnType<typeof loadConfig>>> {
  const { root } = options;
  // statSync: node:fs/promises stays out of a lint's start (issue 14).
  let info: Stats;
  try {
    info = statSync(root);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(`cannot read root ${root}: ${e.code ?? e.message}`);
  }
  if (!info.isDirectory()) throw new UsageError(`root ${root} is not a directory`);
  return loadConfig(root, options.configPath).catch(async (error: unknown) => {
    // Every configuration problem in one run (issue 17): add the packages debian/control lacks.
    if (!(error instanceof ConfigProblems)) throw error;
    const raw = error.raw as { debianDir?: unknown; packages?: unknown } | null;
    const debianDir = typeof raw?.debianDir === "string" && raw.debianDir !== "" ? raw.debianDir : "debian";
    const packages = Array.isArray(raw?.packages) ? raw.packages.filter((p): p is string => typeof p === "string") : [];
    const more = packages.length === 0 ? undefined : packagesProblem(packages, await readDebian(root, debianDir, { only: [] }), error.label);
    throw more === undefined ? error : new ConfigProblems([...error.problems, more], error.raw, error.label);
  });
}

/** The config, the scan (its cached results not read yet) and debian/ of a project, with its cache. */
async function scanProject(options: LintProjectOptions): Promise<{ loaded: Awaited<ReturnType<typeof loadConfig>>; cache?: ScanCache; scan: DeferredScan; debian: DebianInfo }> {
  const { root } = options;
  const loaded = await loadProject(options);
  const { config } = loaded;
  const cache = options.cacheLocation === undefined ? undefined : await ScanCache.load(options.cacheLocation, scanCacheKey(config));
  const scan = await scanTreeDeferred(root, config, cache === undefined ? {} : { cache });
  // After the scan: only the scripts with METADATA need to be found in the install files.
  const debian = await readDebian(root, config.debianDir, { only: scan.names });
  return cache === undefined ? { loaded, scan, debian } : { loaded, cache, scan, debian };
}

/** The scan's results, and debian/ read again in the rare case that they name other files than the scan did (a damaged cache entry scanned again). */
async function resultsOf(root: string, config: Config, scan: DeferredScan, debian: DebianInfo): Promise<{ files: ScannedFile[]; debian: DebianInfo }> {
  const files = scan.results();
  const same = files.length === scan.names.length && files.every((f, i) => f.file === scan.names[i]);
  return { files, debian: same ? debian : await readDebian(root, config.debianDir, { only: files.map((f) => f.file) }) };
}

/** Lints a project. Throws UsageError for an unreadable root or a bad configuration (every problem of it at once). */
export async function lintProject(options: LintProjectOptions): Promise<ProjectResult> {
  const { root } = options;
  const { loaded, cache, scan, debian: scannedDebian } = await scanProject(options);
  const { config } = loaded;
  const { files, debian } = await resultsOf(root, config, scan, scannedDebian);
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

/** What `cronmeta lint` reports: the diagnostics, and the file of each job (for the count of the selected files' jobs). */
export interface LintReportResult {
  diagnostics: Diagnostic[];
  suppressed: SuppressedDiagnostic[];
  /** The file of each job, with how many jobs it has. */
  jobFiles: Array<[string, number]>;
  /** Why the cache could not be written (the result is still right); a warning for the CLI. */
  cacheProblem?: string;
}

/**
 * {@link lintProject} for `cronmeta lint`, which needs only the diagnostics and the jobs' files:
 * with `--cache`, these are kept in the cache file too, and when every file's result is the
 * cached one (cache.ts) and the config, debian/, mode and cronmeta are those they were computed
 * with (lint-cache-key.ts), the rules do not run.
 */
export async function lintReport(options: LintProjectOptions): Promise<LintReportResult> {
  const { root } = options;
  const { loaded, cache, scan, debian: scannedDebian } = await scanProject(options);
  const { config } = loaded;
  const mode = options.mode ?? "source";
  let report: LintReportResult | undefined;
  let key: string | undefined;
  if (cache !== undefined && cache.resultsUnchanged()) {
    key = keyOf({ config, debian: scannedDebian, mode });
    const stored = key === undefined ? undefined : cache.lintResult(key);
    if (stored !== undefined) report = parseStoredReport(stored);
  }
  let debian = scannedDebian;
  if (report === undefined) {
    const { files, debian: filesDebian } = await resultsOf(root, config, scan, scannedDebian);
    debian = filesDebian;
    const unknownPackages = packagesProblem(config.packages ?? [], debian, loaded.source ?? "config");
    if (unknownPackages !== undefined) {
      await cache?.save();
      throw new UsageError(unknownPackages);
    }
    const output = runRules({ config, debian, mode, files });
    const counts = new Map<string, number>();
    for (const job of output.jobs) counts.set(job.file, (counts.get(job.file) ?? 0) + 1);
    report = { diagnostics: output.diagnostics, suppressed: output.suppressed, jobFiles: [...counts] };
    if (cache !== undefined) {
      if (debian !== scannedDebian || key === undefined) key = keyOf({ config, debian, mode });
      if (key !== undefined) cache.storeLintResult(key, JSON.stringify(report));
    }
  } else {
    // A stored report was computed after this check passed, with the same config and debian/.
    const unknownPackages = packagesProblem(config.packages ?? [], debian, loaded.source ?? "config");
    if (unknownPackages !== undefined) throw new UsageError(unknownPackages);
  }
  const saved = await cache?.save();
  if (saved?.error !== undefined) report.cacheProblem = saved.error;
  return report;
}

/** The lint result's key, or undefined when some input cannot be keyed (then nothing is stored or reused). */
function keyOf(inputs: LintCacheInputs): string | undefined {
  try {
    return lintResultKey(inputs);
  } catch {
    return undefined;
  }
}

/** A stored report, or undefined when it is not one (damaged or hand-edited: the rules run). */
function parseStoredReport(text: string): LintReportResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const { diagnostics, suppressed, jobFiles } = data as Record<string, unknown>;
  if (!Array.isArray(diagnostics) || !diagnostics.every(isDiagnostic) || !Array.isArray(suppressed) || !suppressed.every(isDiagnostic)) return undefined;
  if (!Array.isArray(jobFiles) || !jobFiles.every((j) => Array.isArray(j) && j.length === 2 && typeof j[0] === "string" && Number.isInteger(j[1]))) return undefined;
  return { diagnostics, suppressed, jobFiles: jobFiles as Array<[string, number]> };
}

function isDiagnostic(d: unknown): d is Diagnostic {
  if (typeof d !== "object" || d === null) return false;
  const r = d as Diagnostic;
  return (
    typeof r.file === "string" &&
    Number.isInteger(r.line) &&
    Number.isInteger(r.column) &&
    (r.severity === "error" || r.severity === "warning") &&
    typeof r.rule === "string" &&
    typeof r.message === "string"
  );
}
