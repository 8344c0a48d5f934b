/**
 * switchman's configuration file (SPEC 8.1): JSON, validated by one zod schema whose output is
 * the config type, a union of the two modes (ZooKeeper with `zkhosts`, local without). Every
 * problem is reported in one message naming the key. The syntaxes themselves (zkhosts, prefix,
 * group tables, control characters) live in src/syntax/, shared with the ZooKeeper back end and
 * the linter. The only module that reads the config file.
 *
 * zod/mini (zod's functional API, the same validators): every cron line's switchman builds these
 * schemas, and zod's method-chaining API cost about 25 ms and 5 MB more per start (issue 14).
 */
import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { CONTROL_CHARACTER } from "../syntax/control.js";
import { groupTableProblems, type GroupTable } from "../syntax/group.js";
import { zkhostsProblem } from "../syntax/zkhosts.js";
import { prefixProblem } from "../syntax/znode.js";
import { DETECTION_BUDGET_S, SAFETY_MARGIN_S, isTimingSafe } from "./budget.js";
import { SwitchmanError } from "./coordinator.js";

/** Where switchman looks without `--config` (App::switchman's default too). */
export const DEFAULT_CONFIG_PATH = "/etc/switchman.conf";

/** Log levels in increasing severity (SPEC 8.1 `loglevel`). */
export const LOG_LEVELS = ["debug", "info", "warning", "critical"] as const;

/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Local mode's default lock directory (tmpfs, emptied at boot like the locks it holds). */
export const DEFAULT_LOCKDIR = "/run/lock/switchman";

// JSON has no Infinity or NaN, and zod 4's number() refuses them anyway.
const seconds = (what: string) => z.number({ error: `must be a number of seconds (${what})` });

const absolutePath = z
  .string({ error: "must be a string (an absolute path)" })
  .check(z.refine((p) => p.startsWith("/") && !CONTROL_CHARACTER.test(p), "must be an absolute path without control characters"));

/** A string checked by one of src/syntax's `…Problem` functions, its phrase as the message. */
const checked = (typeError: string, problem: (text: string) => string | undefined) =>
  z.string({ error: (issue) => (issue.input === undefined ? "required with zkhosts" : typeError) }).check(
    z.check((ctx) => {
      const message = problem(ctx.value);
      if (message !== undefined) ctx.issues.push({ code: "custom", message, input: ctx.value });
    }),
  );

const groupTable = z.pipe(
  z.unknown().check(
    z.check((ctx) => {
      for (const { path, message } of groupTableProblems(ctx.value)) ctx.issues.push({ code: "custom", message, path, input: ctx.value });
    }),
  ),
  z.transform((value) => value as GroupTable),
);

/** Run records (docs/switchman-records.md): the per-user state directory, default per Debian Policy 9.1.1. */
export const DEFAULT_STATE_DIR = "/var/lib/switchman";
/** Debian's directory for prometheus-node-exporter's textfile collector. */
export const DEFAULT_TEXTFILE_DIR = "/var/lib/prometheus/node-exporter";
/** Both journal generations together, bytes (about 13,000 runs of START and FINISH lines). */
export const DEFAULT_JOURNAL_MAX_BYTES = 8 * 1024 * 1024;
const MIN_JOURNAL_MAX_BYTES = 64 * 1024;

/** An absolute path, or false to turn the thing off. */
const pathOrOff = (what: string) =>
  z.union([z.literal(false), z.string()], { error: `must be an absolute path, or false to turn ${what} off` }).check(
    z.check((ctx) => {
      if (ctx.value === false) return;
      if (!ctx.value.startsWith("/") || CONTROL_CHARACTER.test(ctx.value)) {
        ctx.issues.push({ code: "custom", message: `must be an absolute path without control characters, or false to turn ${what} off`, input: ctx.value });
      }
    }),
  );

/** Keys of both modes (a function: each mode's schema is built on its first use, below). */
const common = () => ({
  logfile: z.optional(absolutePath),
  loglevel: z._default(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }), "info"),
  termination_timeout: z._default(seconds("0 or more").check(z.nonnegative("must be 0 or more seconds")), 10),
  // Run records: optional, their defaults filled in by recordsSettings() (one place).
  state_dir: z.optional(pathOrOff("the journal and the host records")),
  journal_max_bytes: z.optional(
    z.number({ error: "must be a number of bytes" }).check(z.int("must be a whole number of bytes"), z.minimum(MIN_JOURNAL_MAX_BYTES, `must be at least ${MIN_JOURNAL_MAX_BYTES} bytes`)),
  ),
  textfile_dir: z.optional(pathOrOff("the Prometheus textfile")),
  record_timeout: z.optional(seconds("more than 0").check(z.positive("must be more than 0 seconds"))),
});

const zooKeeperMode = () => z.pipe(
  z
    .strictObject({
      zkhosts: checked('must be a string "host:port,host:port"', zkhostsProblem),
      prefix: checked("must be a string (a znode path)", prefixProblem),
      session_timeout: z._default(seconds("more than 0").check(z.positive("must be more than 0 seconds")), 30),
      connect_timeout: z._default(seconds("more than 0").check(z.positive("must be more than 0 seconds")), 10),
      run_records: z.optional(z.boolean({ error: "must be true or false" })),
      ...common(),
    })
    .check(
      z.check((ctx) => {
        const { termination_timeout: termination, session_timeout: session } = ctx.value;
        if (isTimingSafe(termination, session)) return;
        ctx.issues.push({
          code: "custom",
          path: ["termination_timeout"],
          input: termination,
          message:
            `${termination} s leaves no safe time within session_timeout ${session} s ` +
            `(needs termination_timeout + ${DETECTION_BUDGET_S + SAFETY_MARGIN_S} <= session_timeout): ` +
            "lower termination_timeout or raise session_timeout",
        });
      }),
    ),
  z.transform((config) => ({ mode: "zookeeper" as const, ...config })),
);

const localMode = () => z.pipe(
  z.strictObject({
    groups: z.optional(groupTable),
    lockdir: z._default(absolutePath, DEFAULT_LOCKDIR),
    ...common(),
  }),
  z.transform((config) => ({ mode: "local" as const, ...config })),
);

/** The validated configuration with every default filled in: ZooKeeper mode when the file names `zkhosts`, local mode otherwise. */
export type SwitchmanConfig = z.output<ReturnType<typeof zooKeeperMode>> | z.output<ReturnType<typeof localMode>>;

/**
 * Each mode's schema, built on first use: a start validates one mode only, and building zod's
 * schemas is most of a config load's cost (issue 14). The schemas themselves are the ones above.
 */
const schemas: { zookeeper?: ReturnType<typeof zooKeeperMode>; local?: ReturnType<typeof localMode> } = {};
const schemaFor = (zk: boolean) => (zk ? (schemas.zookeeper ??= zooKeeperMode()) : (schemas.local ??= localMode()));

/** Default of `record_timeout`, seconds. */
export const DEFAULT_RECORD_TIMEOUT_S = 2;

/** The run-record keys of a config, every default filled in (docs/switchman-records.md). */
export interface RecordsConfig {
  stateDir: string | false;
  journalMaxBytes: number;
  textfileDir: string | false;
  /** True when textfile_dir is not set: a missing default directory only means node_exporter is not installed. */
  textfileDirIsDefault: boolean;
  recordTimeoutS: number;
  /** ZooKeeper mode: write `<prefix>/runs/<lockname>`. */
  runRecords: boolean;
}

/** The run-record settings of `config`, defaults applied. */
export function recordsConfig(config: SwitchmanConfig): RecordsConfig {
  return {
    stateDir: config.state_dir ?? DEFAULT_STATE_DIR,
    journalMaxBytes: config.journal_max_bytes ?? DEFAULT_JOURNAL_MAX_BYTES,
    textfileDir: config.textfile_dir ?? DEFAULT_TEXTFILE_DIR,
    textfileDirIsDefault: config.textfile_dir === undefined,
    recordTimeoutS: config.record_timeout ?? DEFAULT_RECORD_TIMEOUT_S,
    runRecords: config.mode === "zookeeper" ? (config.run_records ?? true) : false,
  };
}

/** Keys that make sense only in one mode: in the other they would be silently ignored, so they are errors that say why. */
const ONLY_IN: Record<string, string> = {
  prefix: "only for ZooKeeper mode (with zkhosts)",
  session_timeout: "only for ZooKeeper mode (with zkhosts)",
  connect_timeout: "only for ZooKeeper mode (with zkhosts)",
  groups: "only for local mode (without zkhosts); with ZooKeeper, groups live in the prefix node's data",
  lockdir: "only for local mode (without zkhosts)",
  run_records: "only for ZooKeeper mode (with zkhosts): local mode keeps its records in state_dir",
};

function keyName(path: PropertyKey[]): string {
  return path.length === 0 ? "config" : path.map(String).join(".");
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `${keyName([...issue.path, k])}: ${ONLY_IN[k] ?? "unknown key"}`).join("; ");
  }
  return `${keyName(issue.path)}: ${issue.message}`;
}

/**
 * Validates parsed JSON. Returns the config or every problem as `key: message` (never throws).
 */
export function validateConfig(data: unknown): { config: SwitchmanConfig } | { problems: string[] } {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { problems: ["config: must be a JSON object"] };
  // The file chooses its mode: with `zkhosts` every problem is measured against ZooKeeper mode,
  // without it against local mode, never against whichever branch the union found closer. (The
  // union of both gives the same result: local mode's strict object refuses `zkhosts`, and
  // ZooKeeper mode requires it; parsing one branch costs a start half the validation.)
  // jitless: zod would otherwise compile a fast path for each object schema with new Function
  // on its first parse, which no code cache holds: for the one parse of a start, pure cost.
  const result = schemaFor("zkhosts" in data).safeParse(data, { jitless: true });
  if (result.success) return { config: result.data };
  return { problems: result.error.issues.map(describe) };
}

/** Reads and validates the config file; SwitchmanError(…, 2) naming the file and every bad key. */
export function loadConfig(path: string): SwitchmanConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const hint = code === "ENOENT" && path === DEFAULT_CONFIG_PATH ? " (create it or pass --config FILE)" : "";
    throw new SwitchmanError(`cannot read config ${path}: ${(error as Error).message}${hint}`, 2);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SwitchmanError(`config ${path} is not valid JSON: ${(error as Error).message}`, 2);
  }
  const result = validateConfig(data);
  if ("problems" in result) throw new SwitchmanError(`config ${path}: ${result.problems.join("; ")}`, 2);
  return result.config;
}
