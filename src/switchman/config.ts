/**
 * switchman's configuration file (SPEC 8.1): JSON, validated by one zod schema whose output is
 * the config type, a union of the two modes (ZooKeeper with `zkhosts`, local without). Every
 * problem is reported in one message naming the key. The syntaxes themselves (zkhosts, prefix,
 * group tables, control characters) live in src/syntax/, shared with the ZooKeeper back end and
 * the linter. The only module that reads the config file.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
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

const seconds = (what: string) => z.number({ error: `must be a number of seconds (${what})` }).finite();

const absolutePath = z
  .string({ error: "must be a string (an absolute path)" })
  .refine((p) => p.startsWith("/") && !CONTROL_CHARACTER.test(p), "must be an absolute path without control characters");

/** A string checked by one of src/syntax's `…Problem` functions, its phrase as the message. */
const checked = (typeError: string, problem: (text: string) => string | undefined) =>
  z.string({ error: (issue) => (issue.input === undefined ? "required with zkhosts" : typeError) }).check((ctx) => {
    const message = problem(ctx.value);
    if (message !== undefined) ctx.issues.push({ code: "custom", message, input: ctx.value });
  });

const groupTable = z.unknown().check((ctx) => {
  for (const { path, message } of groupTableProblems(ctx.value)) ctx.issues.push({ code: "custom", message, path, input: ctx.value });
}).transform((value) => value as GroupTable);

/** Keys of both modes. */
const common = {
  logfile: absolutePath.optional(),
  loglevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  termination_timeout: seconds("0 or more").nonnegative("must be 0 or more seconds").default(10),
};

const zooKeeperMode = z
  .strictObject({
    zkhosts: checked('must be a string "host:port,host:port"', zkhostsProblem),
    prefix: checked("must be a string (a znode path)", prefixProblem),
    session_timeout: seconds("more than 0").positive("must be more than 0 seconds").default(30),
    connect_timeout: seconds("more than 0").positive("must be more than 0 seconds").default(10),
    ...common,
  })
  .check((ctx) => {
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
  })
  .transform((config) => ({ mode: "zookeeper" as const, ...config }));

const localMode = z
  .strictObject({
    groups: groupTable.optional(),
    lockdir: absolutePath.default(DEFAULT_LOCKDIR),
    ...common,
  })
  .transform((config) => ({ mode: "local" as const, ...config }));

/** The config file's schema: ZooKeeper mode when the file names `zkhosts`, local mode otherwise. */
const switchmanConfigSchema = z.union([zooKeeperMode, localMode]);

/** The validated configuration with every default filled in. */
export type SwitchmanConfig = z.output<typeof switchmanConfigSchema>;

/** Keys that make sense only in one mode: in the other they would be silently ignored, so they are errors that say why. */
const ONLY_IN: Record<string, string> = {
  prefix: "only for ZooKeeper mode (with zkhosts)",
  session_timeout: "only for ZooKeeper mode (with zkhosts)",
  connect_timeout: "only for ZooKeeper mode (with zkhosts)",
  groups: "only for local mode (without zkhosts); with ZooKeeper, groups live in the prefix node's data",
  lockdir: "only for local mode (without zkhosts)",
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
  const result = switchmanConfigSchema.safeParse(data);
  if (result.success) return { config: result.data };
  // The file chooses its mode: with `zkhosts` every problem is measured against ZooKeeper mode,
  // without it against local mode, never against whichever branch the union found closer.
  const branch = "zkhosts" in data ? zooKeeperMode : localMode;
  const issues = branch.safeParse(data).error?.issues ?? result.error.issues;
  return { problems: issues.map(describe) };
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
