/**
 * `cronmeta import`: from the job lines of existing cron.d files and crontabs to the METADATA
 * of the scripts they run. Reads crontabs with check's reader (the same Debian grammar), takes
 * each command apart (job-command.ts), maps the installed script back to its file in the tree
 * through debian/*.install, and writes only the keys whose value differs from what cronmeta
 * would derive anyway, so that `cronmeta gen` writes the same line again. Pure: texts and
 * lookups come in, the plan goes out (import.ts does the I/O).
 */
import { isGeneratedBuildSetting } from "../generate/build-variable.js";
import { isCanaryCommand } from "../generate/canary-line.js";
import { posix } from "node:path";
import type { Config } from "../config/schema.js";
import type { DebianInfo } from "../debian/read.js";
import { cronFileName } from "../debian/cron-file-name.js";
import { markerPackage } from "../generate/marker.js";
import { analyseSection, type SectionFacts } from "../jobs/analyse.js";
import { defaultLockname } from "../jobs/lockname.js";
import { paramsProblem } from "../jobs/params.js";
import { runRules } from "../lint/engine.js";
import type { CrontabType } from "../check/crontab-kind.js";
import { readCrontabText } from "../check/crontab-lines.js";
import { jobFacts } from "../check/job-facts.js";
import { extractJsdoc } from "../scan/jsdoc.js";
import { extractPod } from "../scan/pod.js";
import type { RawEntry, RawSection } from "../types.js";
import { hasMetadata, insertMetadata, scriptLanguage, type ScriptLanguage } from "./insert.js";
import { parseJobCommand } from "./job-command.js";
import { KEY_ORDER, type SectionEntries } from "./metadata-block.js";

/** One crontab to import from. */
export interface ImportSource {
  /** As shown in messages. */
  display: string;
  /** Absolute path (for its name and place). */
  path: string;
  text: string;
  type: CrontabType;
}

/** What the plan needs from the project and the file system. */
export interface ImportContext {
  config: Config;
  debian: DebianInfo;
  /** Absolute project root. */
  root: string;
  /** `--package`: the package of every job. */
  package?: string;
  /** The text of a tree file (relative path), undefined when it cannot be read. */
  readScript(file: string): string | undefined;
  /** The tree files (relative paths) with this base name, for scripts no install line installs. */
  filesNamed(name: string): string[];
}

/** Something to tell about a line or a file; a problem makes the import incomplete (exit 1). */
export interface ImportNote {
  file: string;
  line: number;
  message: string;
  problem: boolean;
}

/** One imported job before it is grouped by script. */
interface ImportedJob {
  script: string;
  entries: SectionEntries;
  /** The source line of cronmeta's own `# FILE:LINE` comment, which orders the sections as they were. */
  order: number;
  from: { file: string; line: number };
}

/** What happens to one script. */
export interface ScriptPlan {
  file: string;
  language: ScriptLanguage;
  sections: SectionEntries[];
  /** The lines of cron files its jobs came from ("debian/x.cron.d:12"). */
  from: string[];
  /**
   * new: the script gets the METADATA (`text` set); present: it already has exactly these jobs;
   * refused: it cannot get them here (`reason`).
   */
  status: "new" | "present" | "refused";
  text?: string;
  reason?: string;
}

/** The whole import. */
export interface ImportPlan {
  scripts: ScriptPlan[];
  notes: ImportNote[];
  jobCount: number;
}

/** cronmeta's `# FILE:LINE` comment above a job (`: description` after it in the built-in template). */
const GENERATED_SOURCE = /^#[ \t]?([^ \t:]+):(\d+)\b(.*)$/;

/** The package of a cron file's jobs: --package, cronmeta's marker, the file's name, defaultPackage. */
function packageOf(source: ImportSource, context: ImportContext): string | undefined {
  if (context.package !== undefined) return context.package;
  const marked = markerPackage(source.text);
  if (marked !== undefined) return marked;
  const known = context.debian.control.packages.map((p) => p.name);
  const name = posix.basename(source.path);
  const dir = posix.basename(posix.dirname(source.path));
  if (dir === posix.basename(context.config.debianDir) && name.endsWith(".cron.d")) return name.slice(0, -".cron.d".length);
  // debian/PACKAGE/etc/cron.d/NAME, then /etc/cron.d/NAME of an installed package.
  const tree = /\/([^/]+)\/etc\/cron\.d\/[^/]+$/.exec(source.path)?.[1];
  if (tree !== undefined && known.includes(tree)) return tree;
  const byName = known.find((p) => p === name) ?? known.find((p) => cronFileName(p) === name);
  if (byName !== undefined) return byName;
  return context.config.defaultPackage;
}

/** The tree file a job's script path belongs to, or undefined when it is not one of the tree's. */
function locate(script: string, context: ImportContext): string | undefined {
  for (const [file, installed] of context.debian.installed) if (installed.path === script) return file;
  const root = context.root.replace(/\/+$/, "");
  if (script.startsWith(`${root}/`)) return script.slice(root.length + 1);
  const installDir = context.config.installDir.replace(/\/+$/, "");
  if (posix.dirname(script) !== installDir) return undefined;
  // Not installed by a line: cronmeta assumes installDir + the file name (analyse.ts).
  const candidates = context.filesNamed(posix.basename(script)).filter((f) => !context.debian.installed.has(f));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A RawSection of entries, to analyse imported and existing jobs alike. */
function rawSection(entries: SectionEntries, index: number): RawSection {
  const pos = { line: 1, column: 1 };
  return { form: "pod", pos, index, entries: entries.map(([key, value]): RawEntry => ({ key, value, keyPos: pos, valuePos: pos })) };
}

/** What makes two jobs the same job: the cron line gen writes, in the package's file. */
function identity(facts: SectionFacts): string {
  return JSON.stringify([facts.package, facts.cronLine]);
}

/** The nearest comment line right above `line` (1-based), as a description. */
function commentAbove(lines: readonly string[], line: number): string | undefined {
  const above = lines[line - 2];
  if (above === undefined || !/^[ \t]*#/.test(above)) return undefined;
  return above.replace(/^[ \t]*#+[ \t]*/, "").trim() || undefined;
}

interface SourceJobs {
  jobs: ImportedJob[];
  notes: ImportNote[];
  count: number;
}

/** The jobs of one cron file that run scripts of the tree, and notes on everything else. */
function importSource(source: ImportSource, context: ImportContext): SourceJobs {
  const { config } = context;
  const out: SourceJobs = { jobs: [], notes: [], count: 0 };
  const note = (line: number, message: string, problem = false) => out.notes.push({ file: source.display, line, message, problem });
  const text = readCrontabText(source.text, source.type);
  const lines = source.text.split("\n").map((l) => l.replace(/\r$/, ""));
  const pkg = packageOf(source, context);
  for (const entry of text.entries) {
    if (entry.kind === "env") {
      const configured = config.env[entry.setting.name];
      if (configured === undefined && isGeneratedBuildSetting(entry.setting.name, entry.setting.value)) continue; // gen's own (build-variable.ts)
      if (configured !== entry.setting.value) {
        note(entry.line, configured === undefined
          ? `${entry.setting.name}=${entry.setting.value} is set here but not in config env: add it there if the jobs need it (METADATA has no env key)`
          : `${entry.setting.name} is "${entry.setting.value}" here and "${configured}" in config env: the generated file will have config env's`);
      }
      continue;
    }
    const job = jobFacts(entry, source.type);
    if (job.shape !== "job") continue;
    if (job.command !== undefined && isCanaryCommand(job.command.runs)) continue; // gen's own canary line (docs/monitor.md), not a job
    out.count += 1;
    const time = job.parsed.time;
    if (time === undefined) {
      note(entry.line, `the time "${job.time.text}" is not valid (see cronmeta check): fix it, then import`, true);
      continue;
    }
    const command = job.command;
    if (command === undefined || command.runs.trim() === "") {
      note(entry.line, "the job has no command", true);
      continue;
    }
    const parsed = parseJobCommand(command.runs);
    if (typeof parsed === "string") {
      note(entry.line, `not imported: ${parsed}`);
      continue;
    }
    const file = locate(parsed.script, context);
    if (file === undefined) {
      note(entry.line, `not imported: ${parsed.script} is not a script of this tree (no debian/*.install line installs a file there)`);
      continue;
    }
    if (command.stdinAt !== undefined) {
      note(entry.line, `${file}: the command has an unescaped %, which feeds the rest of the line to the script as input; METADATA cannot say that: move it into the script`, true);
      continue;
    }
    // switchman's --package (written when the group is not the package) names the job's package.
    const jobPackage = context.package ?? parsed.switchman?.package ?? pkg;
    if (jobPackage === undefined) {
      note(entry.line, `${file}: cannot tell the package of ${source.display} (no cronmeta marker, no debian/PACKAGE.cron.d name, no config defaultPackage): pass --package NAME`, true);
      continue;
    }
    const unsafe = paramsProblem(parsed.params);
    if (unsafe !== undefined) {
      note(entry.line, `${file}: params "${parsed.params}" are not plain shell words (${unsafe.message}): METADATA cannot carry them; move that part into the script`, true);
      continue;
    }
    const values: Partial<Record<(typeof KEY_ORDER)[number], string>> = {};
    if (jobPackage !== config.defaultPackage) values.package = jobPackage;
    values.time = time.text;
    if (parsed.params !== "") values.params = parsed.params;
    const user = source.type === "cron.d" ? job.user?.text : posix.basename(posix.dirname(source.path)) === "crontabs" ? posix.basename(source.path) : undefined;
    if (user !== undefined && user !== config.user) values.user = user;
    const sw = parsed.switchman;
    if (sw !== undefined) {
      if (sw.group !== undefined && sw.group !== jobPackage) values.group = sw.group;
      if (sw.timeout !== undefined) values.timeout = sw.timeout;
      if (sw.noLock) values.lock = "no";
      else if (sw.lockname !== undefined && sw.lockname !== defaultLockname(posix.basename(file), parsed.params)) values.lockname = sw.lockname;
      // forbid is the default, and --no-lock already said allow.
      if (sw.concurrency !== undefined && sw.concurrency !== "forbid" && !(sw.noLock && sw.concurrency === "allow")) values.concurrency = sw.concurrency;
      if (sw.leases !== undefined) values.lease = sw.leases.join(", ");
      if (sw.wait !== undefined) values.wait = sw.wait;
    }
    let order = Number.MAX_SAFE_INTEGER;
    const comment = commentAbove(lines, entry.line);
    const generated = comment === undefined ? null : GENERATED_SOURCE.exec(`# ${comment}`);
    if (generated !== null && generated[1] === file) {
      order = Number(generated[2]);
      const description = /^:[ \t](.+)$/.exec(generated[3] ?? "")?.[1];
      if (description !== undefined) values.description = description;
    } else if (comment !== undefined && !/^[0-9*@]/.test(comment)) {
      values.description = comment;
    }
    wrapperNotes(parsed, file, entry.line, context, note);
    const entries = KEY_ORDER.flatMap((key): Array<[typeof key, string]> => (values[key] === undefined ? [] : [[key, values[key]]]));
    out.jobs.push({ script: file, entries, order, from: { file: source.display, line: entry.line } });
  }
  return out;
}

/** What gen will write differently from the imported line's wrapper. */
function wrapperNotes(
  parsed: Exclude<ReturnType<typeof parseJobCommand>, string>,
  file: string,
  line: number,
  context: ImportContext,
  note: (line: number, message: string) => void,
): void {
  const { config } = context;
  const sw = parsed.switchman;
  if (sw === undefined && config.switchman !== false) note(line, `${file}: the line has no switchman wrapper; gen will run the job under switchman (group, lock): review that`);
  if (sw !== undefined && config.switchman === false) note(line, `${file}: config switchman is false, so gen will drop this line's switchman wrapper`);
  if (sw !== undefined && config.switchman !== false) {
    if (sw.bin !== config.switchman.bin) note(line, `${file}: the line runs ${sw.bin}; gen will write config switchman.bin (${config.switchman.bin})`);
    if ((sw.config ?? "/etc/switchman.conf") !== config.switchman.config) note(line, `${file}: the line passes --config ${sw.config ?? "(none)"}; gen will pass config switchman.config (${config.switchman.config})`);
  }
  if ((parsed.guard !== undefined) !== config.guard) note(line, `${file}: ${config.guard ? "gen will add" : "config guard is false, so gen will drop"} the [ -x … ] && guard`);
  const installed = context.debian.installed.get(file)?.path ?? `${config.installDir.replace(/\/+$/, "")}/${posix.basename(file)}`;
  if (installed !== parsed.script) note(line, `${file}: the line runs ${parsed.script}; gen will write ${installed} (where debian/*.install or config installDir puts it)`);
}

/** Plans the import of every job of `sources` that runs a script of the tree. */
export function planImport(sources: readonly ImportSource[], context: ImportContext): ImportPlan {
  const notes: ImportNote[] = [];
  const jobs: ImportedJob[] = [];
  let jobCount = 0;
  sources.forEach((source) => {
    const result = importSource(source, context);
    notes.push(...result.notes);
    jobs.push(...result.jobs);
    jobCount += result.count;
  });
  const byScript = new Map<string, ImportedJob[]>();
  for (const job of jobs) byScript.set(job.script, [...(byScript.get(job.script) ?? []), job]);
  const scripts: ScriptPlan[] = [];
  for (const file of [...byScript.keys()].sort()) {
    // A stable sort: sections keep the order of cronmeta's `# FILE:LINE` comments, then of the input.
    const own = (byScript.get(file) ?? []).slice().sort((a, b) => a.order - b.order);
    scripts.push(planScript(file, own, context, notes));
  }
  return { scripts, notes, jobCount };
}

function planScript(file: string, jobs: readonly ImportedJob[], context: ImportContext, notes: ImportNote[]): ScriptPlan {
  const sections = jobs.map((j) => j.entries);
  const read = context.readScript(file);
  const text = read ?? "";
  const firstLine = text.split("\n", 1)[0] ?? "";
  const plan: ScriptPlan = { file, language: scriptLanguage(file, firstLine), sections, from: jobs.map((j) => `${j.from.file}:${j.from.line}`), status: "new" };
  const first = jobs[0]?.from ?? { file, line: 1 };
  // What lint will say of the imported METADATA (e.g. a package debian/control lacks, a user config does not allow).
  const lint = runRules({ config: context.config, debian: context.debian, mode: "source", files: [{ file, sections: sections.map(rawSection), problems: [] }] });
  for (const d of lint.diagnostics) {
    if (d.rule === "script-not-installed") continue;
    notes.push({ file: first.file, line: first.line, message: `${file}: the imported METADATA would get ${d.severity} ${d.rule}: ${d.message}`, problem: d.severity === "error" });
  }
  if (read === undefined) return { ...plan, status: "refused", reason: "cannot read the script" };
  if (hasMetadata(text, file)) {
    const existing = existingSections(text, file).map((s) => identity(analyseSection(file, s, context.config, context.debian)));
    const imported = sections.map((entries, i) => identity(analyseSection(file, rawSection(entries, i), context.config, context.debian)));
    if (imported.every((id) => existing.includes(id))) return { ...plan, status: "present" };
    return { ...plan, status: "refused", reason: "it already has METADATA with other jobs: merge the block by hand (cronmeta never edits existing METADATA)" };
  }
  const inserted = insertMetadata(text, file, sections);
  if ("problem" in inserted) return { ...plan, status: "refused", reason: inserted.problem };
  return { ...plan, text: inserted.text };
}

/** The sections a script's METADATA holds now. */
function existingSections(text: string, file: string): RawSection[] {
  return existingExtract(text, file)?.sections ?? [];
}

function existingExtract(text: string, file: string): ReturnType<typeof extractPod> {
  const firstLine = text.split("\n", 1)[0] ?? "";
  return scriptLanguage(file, firstLine) === "javascript" ? extractJsdoc(text, file) : extractPod(text);
}
