/**
 * switchman's configuration file (SPEC 8.1): JSON, validated by one zod schema, every problem
 * reported as one message naming the key. The only module that reads the config file.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { DETECTION_BUDGET_S, SAFETY_MARGIN_S, isTimingSafe } from "./budget.js";
import { SwitchmanError } from "./coordinator.js";

/** Where switchman looks without `--config` (App::switchman's default too). */
export const DEFAULT_CONFIG_PATH = "/etc/switchman.conf";

/** Log levels in increasing severity (SPEC 8.1 `loglevel`). */
export const LOG_LEVELS = ["debug", "info", "warning", "critical"] as const;

/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

// ZooKeeper connect string as App::switchman passes it to Net::ZooKeeper, minus the chroot
// suffix (`host:port/chroot`): switchman's namespace is `prefix`, a chroot would only hide it.
const hostPort = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):(?:[1-9][0-9]{0,4})`;
const zkhostsPattern = new RegExp(`^${hostPort}(?:,${hostPort})*$`);

const seconds = (what: string) => z.number({ error: `must be a number of seconds (${what})` }).finite();

const absolutePath = z
  .string({ error: "must be a string (an absolute path)" })
  .regex(/^\/[^\u0000-\u001f\u007f]*$/, "must be an absolute path without control characters");

const groupMember = z.string({ error: "must be a host or group name" }).min(1, "must not be empty");

const schema = z.strictObject({
  zkhosts: z
    .string({ error: "must be a string \"host:port,host:port\"" })
    .refine((s) => !s.includes("/"), "must not carry a chroot (`/path`): put the path into `prefix`")
    .refine(
      (s) => zkhostsPattern.test(s) && s.split(",").every((hp) => Number(hp.slice(hp.lastIndexOf(":") + 1)) <= 65535),
      "must be a ZooKeeper connect string \"host:port,host:port\" (ports 1-65535)",
    )
    .optional(),
  prefix: z
    .string({ error: "must be a string (a znode path)" })
    .regex(/^(\/[^/]+)+$/, "must be a znode path like /switchman (^(/[^/]+)+$)")
    .refine((p) => p.split("/").every((part) => part !== "." && part !== ".."), "must not contain `.` or `..` components")
    // ZooKeeper rejects these characters in paths (PathUtils.validatePath).
    .refine((p) => !/[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/.test(p), "must not contain control or reserved characters")
    .optional(),
  logfile: absolutePath.optional(),
  loglevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  termination_timeout: seconds("0 or more").nonnegative("must be 0 or more seconds").default(10),
  session_timeout: seconds("more than 0").positive("must be more than 0 seconds").default(30),
  connect_timeout: seconds("more than 0").positive("must be more than 0 seconds").default(10),
  groups: z
    .record(z.string().min(1, "a group name must not be empty"), z.union([groupMember, z.array(groupMember)], {
      error: "must be a host or group name, or a list of these",
    }), { error: "must be an object mapping group names to members" })
    .optional(),
  lockdir: absolutePath.optional(),
}, { error: "must be a JSON object" });

/** The validated configuration with every default filled in. */
export interface SwitchmanConfig {
  /** Set: ZooKeeper mode; unset: local mode (SPEC 8.4). */
  zkhosts?: string;
  prefix?: string;
  logfile?: string;
  loglevel: LogLevel;
  termination_timeout: number;
  session_timeout: number;
  connect_timeout: number;
  /** Local mode only. */
  groups?: Record<string, string | string[]>;
  /** Local mode only; default /run/lock/switchman. */
  lockdir: string;
}

/** Local mode's default lock directory (tmpfs, emptied at boot like the locks it holds). */
export const DEFAULT_LOCKDIR = "/run/lock/switchman";

/** Keys that make sense only in one mode: set in the other mode they would be silently ignored. */
const ZK_ONLY = ["prefix", "session_timeout", "connect_timeout"] as const;
const LOCAL_ONLY = ["groups", "lockdir"] as const;

function keyName(path: PropertyKey[]): string {
  return path.length === 0 ? "config" : path.map(String).join(".");
}

/**
 * Validates parsed JSON. Returns the config or every problem as `key: message` (never throws).
 */
export function validateConfig(data: unknown): { config: SwitchmanConfig } | { problems: string[] } {
  const result = schema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `${keyName([...issue.path, k])}: unknown key`).join("; ");
      // A bad record key (only `groups` has them): name the record, quote the key.
      if (issue.code === "invalid_key") {
        return `${keyName(issue.path.slice(0, -1))}: invalid group name ${JSON.stringify(issue.path.at(-1))} (${issue.issues[0]?.message ?? "invalid"})`;
      }
      return `${keyName(issue.path)}: ${issue.message}`;
    });
    return { problems };
  }
  const raw = result.data;
  const problems: string[] = [];
  if (raw.zkhosts !== undefined) {
    if (raw.prefix === undefined) problems.push("prefix: required with zkhosts");
    for (const key of LOCAL_ONLY) {
      if (raw[key] !== undefined) {
        problems.push(`${key}: only for local mode (without zkhosts)${key === "groups" ? "; with ZooKeeper, groups live in the prefix node's data" : ""}`);
      }
    }
    if (!isTimingSafe(raw.termination_timeout, raw.session_timeout)) {
      problems.push(
        `termination_timeout: ${raw.termination_timeout} s leaves no safe time within session_timeout ${raw.session_timeout} s ` +
          `(needs termination_timeout + ${DETECTION_BUDGET_S + SAFETY_MARGIN_S} <= session_timeout): ` +
          `lower termination_timeout or raise session_timeout`,
      );
    }
  } else {
    const present = new Set(Object.keys(data as object));
    for (const key of ZK_ONLY) {
      if (present.has(key)) problems.push(`${key}: only for ZooKeeper mode (with zkhosts)`);
    }
  }
  if (problems.length > 0) return { problems };
  const config: SwitchmanConfig = {
    loglevel: raw.loglevel,
    termination_timeout: raw.termination_timeout,
    session_timeout: raw.session_timeout,
    connect_timeout: raw.connect_timeout,
    lockdir: raw.lockdir ?? DEFAULT_LOCKDIR,
  };
  if (raw.zkhosts !== undefined) config.zkhosts = raw.zkhosts;
  if (raw.prefix !== undefined) config.prefix = raw.prefix;
  if (raw.logfile !== undefined) config.logfile = raw.logfile;
  if (raw.groups !== undefined) config.groups = raw.groups;
  return { config };
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
