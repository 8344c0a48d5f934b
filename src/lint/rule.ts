/** What a lint rule is: metadata, documentation and a check over the analysed project. */
import type { Config } from "../config/schema.js";
import type { DebianInfo } from "../debian/read.js";
import type { SectionFacts } from "../jobs/analyse.js";
import type { OutputMode, RawEntry, ScannedFile, Severity } from "../types.js";

/** A rule's identity and documentation (docs/rules.md is generated from these). */
export interface RuleMeta {
  id: string;
  /** One line: what the rule reports. */
  description: string;
  defaultSeverity: Severity;
  /**
   * gen cannot write a correct cron line while this problem exists, so config may not
   * lower its severity (a lowered fatal rule would let a broken or dropped job through).
   */
  fatal: boolean;
  /** The doc paragraph, a bad example and a good example. */
  docs: { details: string; bad: string; good: string };
}

/** Everything a rule may look at. Rules are pure: no I/O. */
export interface RuleContext {
  config: Config;
  debian: DebianInfo;
  mode: OutputMode;
  files: ScannedFile[];
  sections: SectionFacts[];
}

/** A problem as a rule reports it; the engine adds rule id and severity. */
export interface RuleReport {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
}

/** A lint rule. */
export interface Rule {
  meta: RuleMeta;
  /** Reports each problem as a fresh object: `report` hands it over (the engine makes it the diagnostic). */
  check(context: RuleContext, report: (problem: RuleReport) => void): void;
}

/** A report located at an entry's value (or at `offset` characters into it). */
export function atValue(
  facts: SectionFacts,
  entry: RawEntry,
  message: string,
  offset = 0,
  length = entry.value.length - offset,
): RuleReport {
  const column = entry.valuePos.column + offset;
  return {
    file: facts.file,
    line: entry.valuePos.line,
    column,
    endLine: entry.valuePos.line,
    endColumn: column + Math.max(length, 1),
    message,
  };
}

/** A report located at an entry's key. */
export function atKey(facts: SectionFacts, entry: RawEntry, message: string): RuleReport {
  return {
    file: facts.file,
    line: entry.keyPos.line,
    column: entry.keyPos.column,
    endLine: entry.keyPos.line,
    endColumn: entry.keyPos.column + entry.key.length,
    message,
  };
}

/** A report located at the section's `<crontab>` / `@crontab`. */
export function atSection(facts: SectionFacts, message: string): RuleReport {
  return { file: facts.file, line: facts.section.pos.line, column: facts.section.pos.column, message };
}
