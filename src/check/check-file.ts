/**
 * Runs the check rules over one crontab file: analyses it as Debian's cron reads it, applies
 * the config's severities and returns sorted diagnostics. Pure: the file's text, its facts
 * and the user lookup come in (read.ts does the I/O).
 */
import type { Config } from "../config/schema.js";
import { compareDiagnostics, severityOf } from "../lint/engine.js";
import type { Diagnostic } from "../types.js";
import type { CrontabPlace, CrontabType } from "./crontab-kind.js";
import { readCrontabText } from "./crontab-lines.js";
import { jobFacts } from "./job-facts.js";
import type { CheckedFile, FileFacts, PasswdEntry } from "./rule.js";
import { CHECK_RULES } from "./rules/index.js";

/** What is known of one file before its rules run. */
export interface CheckInput {
  /** The path as diagnostics show it. */
  display: string;
  text: string;
  type: CrontabType;
  place: CrontabPlace;
  cronDName?: string;
  baseName: string;
  facts?: FileFacts;
  user(name: string): PasswdEntry | undefined;
}

/** The diagnostics of one file and how many jobs it has. */
export interface FileCheck {
  diagnostics: Diagnostic[];
  jobCount: number;
}

/** The analysed file the rules look at. */
export function analyseCrontab(input: CheckInput): CheckedFile {
  const text = readCrontabText(input.text, input.type);
  const jobs = text.entries.flatMap((e) => (e.kind === "job" ? [jobFacts(e, input.type)] : []));
  const file: CheckedFile = { type: input.type, place: input.place, baseName: input.baseName, text, jobs, user: input.user };
  if (input.cronDName !== undefined) file.cronDName = input.cronDName;
  if (input.facts !== undefined) file.facts = input.facts;
  return file;
}

/** Checks one file. */
export function checkCrontab(input: CheckInput, config: Config): FileCheck {
  const file = analyseCrontab(input);
  const diagnostics: Diagnostic[] = [];
  for (const rule of CHECK_RULES) {
    const severity = severityOf(rule.meta.id, rule.meta.defaultSeverity, config);
    if (severity === undefined) continue;
    rule.check(file, (problem) => diagnostics.push({ file: input.display, ...problem, severity, rule: rule.meta.id }));
  }
  return { diagnostics: diagnostics.sort(compareDiagnostics), jobCount: file.jobs.filter((j) => j.shape === "job").length };
}
