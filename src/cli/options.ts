/** Parsed options of each cronmeta command, as main.ts hands them to the command modules. */
import type { LintFormat } from "../lint/formatters/index.js";
import type { OutputMode } from "../types.js";

export type { OutputMode } from "../types.js";

/** Options every project command takes. */
export interface ProjectOptions {
  /** Absolute root (resolved against Io.cwd). */
  root: string;
  /** Absolute config path, when `--config` was given. */
  configPath?: string;
}

/** `--cache`: the absolute scan cache file, set only when the cache is on. */
export interface CacheOptions {
  cacheLocation?: string;
}

/** How lint and check report: the ESLint-like options they share. */
export interface ReportingOptions {
  format: LintFormat;
  /** `--quiet`: errors only in the report (warnings still count for --max-warnings). */
  quiet: boolean;
  /** `--output-file`: absolute path of the report file (written atomically); default stdout. */
  outputFile?: string;
  /** -1 = unlimited. */
  maxWarnings: number;
}

export interface LintOptions extends ProjectOptions, CacheOptions, ReportingOptions {
  /** The gen mode to check for (cron-file-name and packaging rules depend on it). */
  mode: OutputMode;
  /** `--print-config`: print the configuration and lint nothing. */
  printConfig: boolean;
  /** `lint PATH…`: report only the files it selects (root-relative paths); default all. */
  select?: (file: string) => boolean;
}

export interface GenOptions extends ProjectOptions, CacheOptions {
  mode: OutputMode;
  /** Absolute, required with mode dir. */
  out?: string;
  check: boolean;
  dryRun: boolean;
}

export interface ListOptions extends ProjectOptions {
  format: "table" | "json";
  /** 0 = no next runs. */
  next: number;
  /** IANA zone; undefined = the machine's zone. */
  tz?: string;
  package?: string;
  group?: string;
}

export interface ReportOptions extends ProjectOptions {
  /** Absolute path of the HTML page to write. */
  html?: string;
  format: "html" | "json";
  tz?: string;
  /** switchman journals or state directories (the measured side, docs/list-and-report.md). */
  records?: string[];
}
