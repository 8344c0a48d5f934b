/**
 * One line of a METADATA section: `key: value`, a `#` comment, or a blank line.
 * Shared by the POD and JSDoc extractors so both forms read lines the same way (SPEC 2.1).
 */
import type { RawEntry, ScanProblem, Suppression } from "../types.js";

/** What one section line holds. */
export type SectionLine =
  | { kind: "blank" }
  | { kind: "entry"; entry: RawEntry }
  | { kind: "suppression"; suppression: Suppression }
  | { kind: "problem"; problem: ScanProblem };

/** `# cronmeta-disable RULE[, RULE] [-- reason]`, as in ESLint's `eslint-disable … -- reason`. */
const DISABLE = /^#[ \t]*cronmeta-disable(?=[ \t]|$)(.*)$/;

/** The suppression of a comment line (trimmed), or undefined when it is an ordinary comment. */
function suppressionOf(trimmed: string, pos: { line: number; column: number }): SectionLine | undefined {
  const match = DISABLE.exec(trimmed);
  if (match === null) return undefined;
  const rest = match[1] ?? "";
  const dashes = rest.search(/(^|[ \t])--([ \t]|$)/);
  const list = dashes < 0 ? rest : rest.slice(0, dashes);
  const reason = dashes < 0 ? "" : rest.slice(dashes).replace(/^[ \t]*--/, "").trim();
  const rules = list.split(/[\s,]+/).filter((r) => r !== "");
  if (rules.length === 0) {
    return { kind: "problem", problem: { rule: "metadata-syntax", pos, message: 'a cronmeta-disable comment names the rules it turns off: "# cronmeta-disable RULE[, RULE] -- reason"' } };
  }
  return { kind: "suppression", suppression: reason === "" ? { rules, pos } : { rules, reason, pos } };
}

/** Longest excerpt of a bad line quoted in a message. */
const QUOTE_MAX = 40;

/** Quotes a line for a message, shortened so a long line does not flood the output. */
export function quoteLine(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > QUOTE_MAX ? `${t.slice(0, QUOTE_MAX)}…` : t);
}

/** Number of leading white-space code units (the same white space `String.prototype.trim` removes). */
export function leadingBlanks(text: string): number {
  return text.length - text.trimStart().length;
}

/**
 * Reads one line of a section. `content` is the line without its decoration, starting at
 * 1-based `column` of `line`; positions of the key and value are computed from there.
 * The value is split at the first `:`, so it may itself contain `:`.
 */
export function readSectionLine(content: string, line: number, column: number): SectionLine {
  const lead = leadingBlanks(content);
  const trimmed = content.trim();
  if (trimmed.startsWith("#")) return suppressionOf(trimmed, { line, column: column + lead }) ?? { kind: "blank" };
  if (trimmed === "") return { kind: "blank" };
  const colon = content.indexOf(":");
  if (colon < 0) {
    return {
      kind: "problem",
      problem: {
        rule: "metadata-syntax",
        pos: { line, column: column + lead },
        message: `expected "key: value" in a crontab section, found ${quoteLine(trimmed)}`,
      },
    };
  }
  const key = content.slice(0, colon).trim();
  if (key === "") {
    return {
      kind: "problem",
      problem: {
        rule: "metadata-syntax",
        pos: { line, column: column + lead },
        message: `missing key before ":" in ${quoteLine(trimmed)}`,
      },
    };
  }
  const rest = content.slice(colon + 1);
  const value = rest.trim();
  // For an empty value the position is just after the colon (RawEntry.valuePos).
  const valueOffset = value === "" ? colon + 1 : colon + 1 + leadingBlanks(rest);
  return {
    kind: "entry",
    entry: {
      key,
      value,
      keyPos: { line, column: column + lead },
      valuePos: { line, column: column + valueOffset },
    },
  };
}
