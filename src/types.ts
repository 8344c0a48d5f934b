/**
 * Plain data shared by every layer of cronmeta. No behaviour lives here.
 */

/** Severity of a diagnostic after config overrides. */
export type Severity = "error" | "warning";

/** One problem, with a 1-based position. `file` is relative to the root, with `/`. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  rule: string;
  message: string;
}

/** A 1-based line/column position in a scanned file. */
export interface Position {
  line: number;
  column: number;
}

/** One `key: value` line of a METADATA section, with the position of key and value. */
export interface RawEntry {
  key: string;
  value: string;
  /** Position of the first character of the key. */
  keyPos: Position;
  /** Position of the first character of the (trimmed) value; for an empty value, just after the colon. */
  valuePos: Position;
}

/** A `# cronmeta-disable RULE[, RULE] -- reason` comment line of a section: those rules are off for its job. */
export interface Suppression {
  rules: string[];
  /** The text after ` -- `, when given. */
  reason?: string;
  pos: Position;
}

/** One `<crontab>` (POD) or `@crontab` (JSDoc) section: one job to be. */
export interface RawSection {
  form: "pod" | "jsdoc";
  /** Position of `<crontab>` or `@crontab`. */
  pos: Position;
  /** 0-based index of the section within its file (the "position in the script"). */
  index: number;
  entries: RawEntry[];
  /** Its `# cronmeta-disable` comments, when it has any. */
  suppressions?: Suppression[];
}

/** A problem the scanner found while extracting blocks (never thrown). */
export interface ScanProblem {
  rule: "metadata-syntax" | "metadata-empty" | "jsdoc-comment-closed" | "scan-binary-skipped" | "suppression-unused";
  pos: Position;
  message: string;
}

/** What the scanner extracted from one file that holds a METADATA block or `@crontab` tag. */
export interface ScannedFile {
  /** Path relative to the scan root, with `/`. */
  file: string;
  sections: RawSection[];
  problems: ScanProblem[];
}

/** Day-of-week value set indices: 0..6, Sunday = 0 (cron's 7 is folded into 0). */
export type CronKeyword =
  | "@reboot"
  | "@yearly"
  | "@annually"
  | "@monthly"
  | "@weekly"
  | "@daily"
  | "@midnight"
  | "@hourly";

/**
 * A time specification parsed with Debian cron's grammar.
 * Each field is the sorted list of matching values.
 */
export interface CronTime {
  /** The normalised source text (single spaces). */
  text: string;
  /** Set when the time was an `@` keyword. */
  keyword?: CronKeyword;
  /** True for `@reboot`: no field matches, the job runs when cron starts. */
  reboot: boolean;
  minutes: number[]; // 0-59
  hours: number[]; // 0-23
  daysOfMonth: number[]; // 1-31
  months: number[]; // 1-12
  daysOfWeek: number[]; // 0-6, Sunday = 0
  /**
   * Debian cron's DOM_STAR / DOW_STAR flags: the field's text starts with `*`.
   * When either is set, a day matches if it matches both day fields (AND);
   * when neither is set, it matches if it matches either (OR). See cron(8)/crontab(5).
   */
  domStar: boolean;
  dowStar: boolean;
}

/** A problem found in a time specification; `offset`/`length` index into the raw text. */
export interface CronTimeProblem {
  severity: Severity;
  rule: "cron-time-invalid" | "cron-time-never" | "cron-time-once" | "cron-day-or" | "cron-reboot";
  message: string;
  /** 0-based character offset in the text given to the parser. */
  offset: number;
  length: number;
}

/** Result of parsing a time: `time` is present when there is no error-severity problem. */
export interface CronTimeResult {
  time?: CronTime;
  problems: CronTimeProblem[];
}

/** A fully validated cron job, ready to render. */
export interface Job {
  /** Script path relative to the root, with `/`. */
  file: string;
  /** Position of the section (`<crontab>` / `@crontab`). */
  line: number;
  column: number;
  /** 0-based index of the section in its file. */
  index: number;
  package: string;
  time: CronTime;
  user: string;
  group: string;
  lockname: string;
  /** False for `lock: no` (switchman `--no-lock`). */
  lock: boolean;
  params: string;
  description?: string;
  /** Absolute path the script is installed at. */
  scriptPath: string;
  /** The command part of the cron line, already escaped for cron (`%` and `\`). */
  command: string;
  /** The whole cron.d line: `<time> <user> <command>`. */
  cronLine: string;
  /** METADATA `timeout` (`2h`, `30m`, `90s`): switchman's `--timeout` on the line. */
  timeout?: string;
  /** METADATA `concurrency`, or `allow` for `lock: no`; absent for the default, `forbid` (issue 16). */
  concurrency?: "forbid" | "allow" | "replace";
  /** METADATA `lease`: switchman's `--lease`s as written on the line (no blanks, sorted by resource). */
  leases?: string[];
  /** METADATA `wait`: switchman's `--wait` on the line. */
  wait?: string;
  /** METADATA `grace` or config `grace`: a start this long after its slot is still on time (docs/monitor.md). */
  grace?: string;
  /** METADATA `alert-after` or config `alertAfter`: consecutive failures before the monitor alerts. */
  alertAfter?: number;
  /** Set when `time` was written with `H` forms: `time` is their resolution (docs/spread.md). */
  timeSource?: TimeSource;
}

/** Where a time written with `H` forms came from (docs/spread.md). */
export interface TimeSource {
  /** The time as written, with its H forms (single spaces). */
  text: string;
  /** What chose the H values: the hash of package and lock name, or the balanced placement. */
  by: "hash" | "balanced";
  /** The time the hash alone gives (the job's time unless the balanced placement moved it). */
  hash: string;
}

/** Where `cronmeta gen` writes (SPEC 4.1). */
export type OutputMode = "source" | "tree" | "dir";
