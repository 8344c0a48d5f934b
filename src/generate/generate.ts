/**
 * `generate`: the library side of `cronmeta gen`. Lints the project, renders every cron.d
 * file, compares with the disk and, unless asked only to check or preview, writes. Nothing
 * is written when lint or the planner found any error (SPEC 4.4). Never prints.
 */
import { compareDiagnostics } from "../lint/engine.js";
import { lintProject, type LintProjectOptions, type ProjectResult } from "../project.js";
import type { Diagnostic, OutputMode } from "../types.js";
import { planChangesAnything } from "./diff.js";
import { planWrites, type OutputTarget, type WritePlan } from "./plan.js";
import { renderCronFiles, type RenderedFile } from "./render.js";
import { renderManifests } from "./manifest.js";
import { loadTemplates } from "./templates.js";
import { applyPlan, type WriteHooks, type WriteReport } from "./write.js";

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Absolute project root. */
  root: string;
  /** Absolute config path; default: found in the root. */
  configPath?: string;
  /** Default "source". */
  mode?: OutputMode;
  /** Absolute output directory, required with mode dir (created when missing). */
  out?: string;
  /** "write" (default); "check" and "dry-run" write nothing. */
  action?: "write" | "check" | "dry-run";
  hooks?: WriteHooks;
  /** Absolute scan cache file (`--cache`); absent: no cache. */
  cacheLocation?: string;
}

/** What {@link generate} found and did. */
export interface GenerateResult {
  project: ProjectResult;
  /** Lint diagnostics plus the planner's `output-not-generated` errors, sorted. */
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  /** Rendered cron.d files and their manifests, by path (empty when lint found errors). */
  files: RenderedFile[];
  /** The comparison with the disk (absent when lint found errors). */
  plan?: WritePlan;
  /** What was written (action "write" only, and only without errors). */
  report?: WriteReport;
  /** True when a file would be written or removed. */
  outOfDate: boolean;
}

/**
 * Runs gen. Throws UsageError for configuration problems (config, templates, missing
 * debian directory) and OutputWriteError when writing fails.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const mode = options.mode ?? "source";
  const lintOptions: LintProjectOptions = { root: options.root, mode };
  if (options.configPath !== undefined) lintOptions.configPath = options.configPath;
  if (options.cacheLocation !== undefined) lintOptions.cacheLocation = options.cacheLocation;
  const project = await lintProject(lintOptions);
  const result: GenerateResult = {
    project,
    diagnostics: project.diagnostics,
    errorCount: project.errorCount,
    warningCount: project.warningCount,
    files: [],
    outOfDate: false,
  };
  if (project.errorCount > 0) return result;

  const templates = await loadTemplates(project.root, project.config.templates);
  const cronFiles = renderCronFiles({ jobs: project.jobs, config: project.config, mode, templates });
  // Each cron.d file's monitor manifest (docs/monitor.md), planned and written with it.
  result.files = [...cronFiles, ...renderManifests(cronFiles, project.jobs, project.config, mode)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const target: OutputTarget = { root: project.root, mode, debianDir: project.config.debianDir };
  if (options.out !== undefined) target.out = options.out;
  if (mode === "dir") {
    target.ownPackages = [...new Set([...project.packages, ...(project.config.packages ?? []), ...result.files.map((f) => f.package)])];
  }
  const plan = await planWrites(result.files, target);
  result.plan = plan;
  result.outOfDate = planChangesAnything(plan);
  if (plan.diagnostics.length > 0) {
    result.diagnostics = [...project.diagnostics, ...plan.diagnostics].sort(compareDiagnostics);
    result.errorCount += plan.diagnostics.length;
    return result;
  }
  if ((options.action ?? "write") === "write") result.report = await applyPlan(plan, options.hooks ?? {});
  return result;
}
