/**
 * Inline suppression (issue 17): a `# cronmeta-disable RULE[, RULE] -- reason` comment line in a
 * METADATA section (or `@crontab` tag) turns the named rules off for that job only. Only rules
 * that are not fatal can be turned off (gen cannot write a correct line past a fatal one); a
 * suppression that turns off nothing is a `suppression-unused` warning, one that names an unknown
 * or fatal rule a `suppression-invalid` error. Pure: the engine hands diagnostics in.
 */
import type { Diagnostic, ScannedFile, Suppression } from "../types.js";
import type { RuleMeta } from "./rule.js";

/** A diagnostic a suppression turned off, with the suppression's reason. */
export interface SuppressedDiagnostic extends Diagnostic {
  reason?: string;
}

/** One section's lines and suppressions. */
interface Span {
  file: string;
  first: number;
  last: number;
  suppressions: Suppression[];
}

/** A problem with a suppression itself, as the engine reports it. */
export interface SuppressionProblem {
  rule: "suppression-unused" | "suppression-invalid";
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The outcome: what stays, what was suppressed, and what is wrong with the suppressions. */
export interface SuppressionOutcome {
  kept: Diagnostic[];
  suppressed: SuppressedDiagnostic[];
  problems: SuppressionProblem[];
}

function spansOf(files: readonly ScannedFile[]): Map<string, Span[]> {
  const byFile = new Map<string, Span[]>();
  for (const file of files) {
    for (const section of file.sections) {
      if (section.suppressions === undefined || section.suppressions.length === 0) continue;
      const lines = [section.pos.line, ...section.entries.map((e) => e.valuePos.line), ...section.suppressions.map((s) => s.pos.line)];
      const span = { file: file.file, first: Math.min(...lines), last: Math.max(...lines), suppressions: section.suppressions };
      byFile.set(file.file, [...(byFile.get(file.file) ?? []), span]);
    }
  }
  return byFile;
}

/** Applies the suppressions of `files` to `diagnostics`; `findRule` knows the rules. */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  files: readonly ScannedFile[],
  findRule: (id: string) => RuleMeta | undefined,
): SuppressionOutcome {
  const spans = spansOf(files);
  const used = new Set<string>();
  const key = (s: Suppression, rule: string) => `${s.pos.line}:${s.pos.column}:${rule}`;
  const outcome: SuppressionOutcome = { kept: [], suppressed: [], problems: [] };
  for (const d of diagnostics) {
    const span = spans.get(d.file)?.find((s) => d.line >= s.first && d.line <= s.last);
    const meta = findRule(d.rule);
    const by = meta?.fatal === false ? span?.suppressions.find((s) => s.rules.includes(d.rule)) : undefined;
    if (by === undefined) {
      outcome.kept.push(d);
      continue;
    }
    used.add(key(by, d.rule));
    outcome.suppressed.push(by.reason === undefined ? { ...d } : { ...d, reason: by.reason });
  }
  for (const list of spans.values()) {
    for (const span of list) {
      for (const s of span.suppressions) {
        for (const rule of s.rules) {
          const at = { file: span.file, line: s.pos.line, column: s.pos.column };
          const meta = findRule(rule);
          if (meta === undefined) outcome.problems.push({ ...at, rule: "suppression-invalid", message: `cronmeta-disable ${rule}: no such rule (see docs/rules.md)` });
          else if (meta.fatal) outcome.problems.push({ ...at, rule: "suppression-invalid", message: `cronmeta-disable ${rule}: ${rule} cannot be turned off (gen cannot write a correct cron line while its problem exists): fix the problem instead` });
          else if (!used.has(key(s, rule))) outcome.problems.push({ ...at, rule: "suppression-unused", message: `cronmeta-disable ${rule} turns nothing off: this job has no ${rule} problem; remove ${s.rules.length > 1 ? `"${rule}" from the comment` : "the comment"}` });
        }
      }
    }
  }
  return outcome;
}
