/**
 * The pure renderer: validated jobs + config + mode → the content of every cron.d file
 * (SPEC 4.1, 4.2). Reads nothing and writes nothing; templates come in as sources.
 */
import { Eta } from "eta";
import type { Config } from "../config/schema.js";
import { isCronSafeName } from "../debian/cron-file-name.js";
import { UsageError } from "../errors.js";
import { compareJobs } from "../jobs/order.js";
import type { Job, OutputMode } from "../types.js";
import { envLines, type EnvLine } from "./env-lines.js";
import { hasMarker, MARKER_PREFIX, markerLine } from "./marker.js";
import { outputPath, regenerateCommand } from "./output-path.js";
import { MAIN_TEMPLATE, type TemplateSet } from "./templates.js";
import { hasControlCharacter } from "../syntax/control.js";
import { envWithBuildVariable, nameBuild } from "./build-variable.js";
import { canaryLines } from "./canary-line.js";
import { buildId } from "./manifest.js";

/** One file to write. */
export interface RenderedFile {
  /** Relative to the root (modes source, tree) or to `--out` (mode dir), with `/`. */
  path: string;
  package: string;
  /** Its name under /etc/cron.d. */
  name: string;
  content: string;
  /** The cron.d file's build id (16 hex of the SHA-256 of the file without its canary line); unset for other files. */
  build?: string;
}

/** One job as the templates see it (`it.jobs[i]`). */
export interface TemplateJob {
  /** `bin/foo.pl:14`: script path relative to the root and line of its section. */
  source: string;
  description?: string;
  /** The cron.d line `<time> <user> <command>`, command already escaped for cron. */
  line: string;
  job: Job;
}

/** What the templates see as `it`. */
export interface TemplateData {
  package: string;
  name: string;
  mode: OutputMode;
  path: string;
  /** The marker prefix a header line must start with. */
  marker: string;
  /** The built-in marker line, which also names the package (`--mode dir` relies on it). */
  markerLine: string;
  regenerate: string;
  env: EnvLine[];
  jobs: TemplateJob[];
}

/** What to render. */
export interface RenderInput {
  jobs: readonly Job[];
  config: Config;
  mode: OutputMode;
  templates: TemplateSet;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Lint has validated every value; a newline or control character reaching the file would
// split a job in two or hide one, so it is a bug, not a user error.
function assertOneLine(value: string, what: string, job: Job): void {
  if (hasControlCharacter(value)) {
    throw new Error(`cronmeta bug: ${what} of the job at ${job.file}:${job.line} holds a newline or control character`);
  }
}

function templateJob(job: Job): TemplateJob {
  const source = `${job.file}:${job.line}`;
  assertOneLine(source, "the source path", job);
  assertOneLine(job.cronLine, "the cron line", job);
  const entry: TemplateJob = { source, line: job.cronLine, job };
  if (job.description !== undefined) {
    assertOneLine(job.description, "the description", job);
    entry.description = job.description;
  }
  return entry;
}

/** The packages that get a file: those with jobs, and config `packages` (SPEC 4.4). */
function packagesToRender(jobs: readonly Job[], config: Config): string[] {
  return [...new Set([...jobs.map((j) => j.package), ...(config.packages ?? [])])].sort(compareStrings);
}

function makeEngine(templates: TemplateSet): Eta {
  // Not HTML: no escaping. Whitespace is controlled explicitly with `-%>` in the templates.
  const eta = new Eta({ autoEscape: false, autoTrim: false, cache: true });
  for (const [name, source] of templates.sources) {
    try {
      eta.loadTemplate(`@${name}`, source);
    } catch (error) {
      throw new UsageError(`template ${templates.origins.get(name) ?? name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (!templates.sources.has(MAIN_TEMPLATE)) throw new UsageError(`no ${MAIN_TEMPLATE}.eta template`);
  return eta;
}

/** Debian's cron ignores a whole cron.d file over this many lines ("crontab must not be longer than 10000 lines"). */
export const MAX_FILE_LINES = 10_000;

/** Final newline, nothing but printable text and tabs, and the marker in the header. */
function finish(content: string, origin: string, path: string): string {
  const text = content.replace(/\n*$/, "\n");
  const lines = text.split("\n").length - 1;
  if (lines > MAX_FILE_LINES) {
    throw new UsageError(
      `${path} would have ${lines} lines, and Debian's cron ignores a cron.d file longer than ${MAX_FILE_LINES} lines: spread the jobs over more packages`,
    );
  }
  if (text.startsWith("\uFEFF") || hasControlCharacter(text.replace(/[\t\n]/g, ""))) {
    throw new UsageError(`template ${origin}: the output for ${path} holds a carriage return or control character`);
  }
  if (!hasMarker(text)) {
    throw new UsageError(
      `template ${origin}: the output for ${path} has no header line starting with "${MARKER_PREFIX}" ` +
        "before its first non-comment line; without it cronmeta would refuse to update the file next time",
    );
  }
  return text;
}

/**
 * Renders one file per package with jobs (plus config `packages`), sorted by path.
 * Throws UsageError for template problems (config `templates`) and Error for bugs, such as
 * a file name cron would ignore, which lint (rule cron-file-name) must have reported.
 */
export function renderCronFiles(input: RenderInput): RenderedFile[] {
  const { config, mode, templates } = input;
  const eta = makeEngine(templates);
  const origin = templates.origins.get(MAIN_TEMPLATE) ?? MAIN_TEMPLATE;
  const env = envLines(envWithBuildVariable(config));
  const jobs = [...input.jobs].sort(compareJobs);
  const byPath = new Map<string, string>();
  const files: RenderedFile[] = [];
  const withJobs = new Set(jobs.map((j) => j.package));
  for (const pkg of packagesToRender(jobs, config)) {
    const { path, name } = outputPath(pkg, mode, config.debianDir);
    // Lint (rule cron-file-name) reports these for packages with jobs; a package that is
    // only listed in config `packages` is a configuration problem.
    if (!isCronSafeName(name)) {
      if (withJobs.has(pkg)) throw new Error(`cronmeta bug: cron.d file name ${JSON.stringify(name)} of ${pkg} reached the renderer`);
      throw new UsageError(
        `config packages: "${pkg}" would be installed as /etc/cron.d/${name}, which cron ignores (cron.d names may only hold letters, digits, "_" and "-"); use "cronmeta gen --mode tree"`,
      );
    }
    const other = byPath.get(path);
    if (other !== undefined) {
      if (withJobs.has(pkg) && withJobs.has(other)) throw new Error(`cronmeta bug: packages ${other} and ${pkg} both map to ${path}`);
      throw new UsageError(`config packages: packages "${other}" and "${pkg}" would both write ${path}`);
    }
    byPath.set(path, pkg);
    const data: TemplateData = {
      package: pkg,
      name,
      mode,
      path,
      marker: MARKER_PREFIX,
      markerLine: markerLine(pkg),
      regenerate: regenerateCommand(mode),
      env,
      jobs: jobs.filter((j) => j.package === pkg).map(templateJob),
    };
    let content: string;
    try {
      content = eta.render(`@${MAIN_TEMPLATE}`, data);
    } catch (error) {
      throw new UsageError(`template ${origin}: ${(error as Error).message.split("\n")[0]}`);
    }
    // The build id is of the file without its canary line and with the placeholder for the
    // CRONMETA_BUILD value (build-variable.ts), both of which name it.
    const text = finish(content, origin, path);
    const build = buildId(text);
    const named = nameBuild(text, build);
    files.push({ path, package: pkg, name, content: finish(named + canaryLines(pkg, build, config), origin, path), build });
  }
  return files.sort((a, b) => compareStrings(a.path, b.path));
}
