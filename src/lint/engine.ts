/**
 * The lint engine: analyses every section, runs every rule of the registry, applies the
 * config's severities, sorts the diagnostics and keeps the sections that became jobs.
 * Pure: no file system, no printing.
 */
import type { Config } from "../config/schema.js";
import type { DebianInfo } from "../debian/read.js";
import { analyseSection, type SectionFacts, toJob } from "../jobs/analyse.js";
import type { Diagnostic, Job, OutputMode, ScannedFile, Severity } from "../types.js";
import type { RuleContext } from "./rule.js";
import { RULES, findRule } from "./rules/index.js";

/** What the engine needs. */
export interface LintInput {
  config: Config;
  debian: DebianInfo;
  mode: OutputMode;
  files: ScannedFile[];
}

/** What the engine finds. */
export interface LintOutput {
  diagnostics: Diagnostic[];
  /** Sections without error, as jobs, sorted by package, file, index. */
  jobs: Job[];
  errorCount: number;
  warningCount: number;
}

/** Problems with config `rules`: unknown ids and fatal rules lowered below error. */
export function ruleSettingProblems(rules: Config["rules"]): string[] {
  const problems: string[] = [];
  for (const [id, setting] of Object.entries(rules)) {
    const rule = findRule(id);
    if (rule === undefined) problems.push(`rules.${id}: unknown rule (see docs/rules.md)`);
    else if (rule.meta.fatal && setting !== "error") {
      problems.push(`rules.${id}: cannot be "${setting}": gen cannot write a correct cron line while this problem exists`);
    }
  }
  return problems;
}

/** Effective severity of a rule, or undefined when it is off. */
export function severityOf(ruleId: string, defaultSeverity: Severity, config: Config): Severity | undefined {
  const setting = config.rules[ruleId];
  if (setting === "off") return undefined;
  return setting ?? defaultSeverity;
}

/** Sorts diagnostics by file, line, column, rule (SPEC 6.1). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Sorts jobs by package, then script path, then position in the script (SPEC 4.2). */
export function compareJobs(a: Job, b: Job): number {
  if (a.package !== b.package) return a.package < b.package ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.index - b.index;
}

/** Runs all rules over the scanned files. */
export function runRules(input: LintInput): LintOutput {
  const sections: SectionFacts[] = [];
  for (const file of input.files) {
    for (const section of file.sections) sections.push(analyseSection(file.file, section, input.config, input.debian));
  }
  const context: RuleContext = { ...input, sections };
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<SectionFacts>();
  for (const rule of RULES) {
    const severity = severityOf(rule.meta.id, rule.meta.defaultSeverity, input.config);
    if (severity === undefined) continue;
    rule.check(context, (problem) => {
      const { section, ...where } = problem;
      diagnostics.push({ ...where, severity, rule: rule.meta.id });
      if (severity === "error" && section !== undefined) failed.add(section);
    });
  }
  // A file-level scan problem (e.g. an unclosed section) makes every section of that file suspect.
  const filesWithErrors = new Set(
    diagnostics.filter((d) => d.severity === "error").map((d) => d.file),
  );
  diagnostics.sort(compareDiagnostics);
  const jobs: Job[] = [];
  for (const facts of sections) {
    if (failed.has(facts) || filesWithErrors.has(facts.file)) continue;
    const job = toJob(facts);
    if (job !== undefined) jobs.push(job);
  }
  jobs.sort(compareJobs);
  const errorCount = diagnostics.filter((d) => d.severity === "error").length;
  return { diagnostics, jobs, errorCount, warningCount: diagnostics.length - errorCount };
}
