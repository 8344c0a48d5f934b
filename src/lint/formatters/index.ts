/**
 * The lint output formats, keyed by their `--format` value: `cronmeta lint` takes its
 * `--format` choices and their help from here, so a format added here is a format the CLI
 * offers. Each formatter is a pure function of the report, loaded when it is used (the CLI
 * reads this registry on every start, and the SARIF formatter pulls in the rule registry).
 */
import type { LintReport } from "./result.js";

export type { LintReport } from "./result.js";

/** What a formatter may depend on besides the report. */
export interface FormatOptions {
  /** ANSI colours (the CLI decides: a TTY and no NO_COLOR). */
  colour: boolean;
}

/** A pure function of the report. */
export type Formatter = (report: LintReport, options: FormatOptions) => string;

/** One output format. */
export interface FormatterEntry {
  /** One line for `cronmeta lint --help`. */
  description: string;
  load(): Promise<Formatter>;
}

/** Every lint output format, in the order `--help` lists them. */
export const LINT_FORMATTERS = {
  stylish: {
    description: "diagnostics grouped by file, then a summary (for people)",
    load: async () => (await import("./stylish.js")).formatStylish,
  },
  json: {
    description: "one JSON object { version, diagnostics, errorCount, warningCount, jobCount }",
    load: async () => (await import("./json.js")).formatJson,
  },
  github: {
    description: "GitHub Actions workflow commands (::error file=…,line=…::message)",
    load: async () => (await import("./github.js")).formatGithub,
  },
  sarif: {
    description: "SARIF 2.1.0, for code scanning",
    load: async () => (await import("./sarif.js")).formatSarif,
  },
} as const satisfies Record<string, FormatterEntry>;

/** A `--format` value of `cronmeta lint`. */
export type LintFormat = keyof typeof LINT_FORMATTERS;

/** The `--format` values, in registry order. */
export const LINT_FORMATS = Object.keys(LINT_FORMATTERS) as LintFormat[];

/** The format of `cronmeta lint` without `--format`. */
export const DEFAULT_LINT_FORMAT: LintFormat = "stylish";

/** Formats `report` in `format`. */
export async function formatLintReport(report: LintReport, format: LintFormat, options: FormatOptions): Promise<string> {
  const formatter: Formatter = await LINT_FORMATTERS[format].load();
  return formatter(report, options);
}
