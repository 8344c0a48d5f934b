/**
 * Run records (docs/switchman.md, "Run records"): what a run leaves behind, as data. Pure: the
 * writers (ZooKeeper, the state directory, the journal, the Prometheus textfile) and the
 * readers (`switchman --status`, cronmeta's report) share these shapes and transitions.
 *
 * Two records, one format (`v: 1`):
 *
 * - the **fleet record**, one per lock name in ZooKeeper (`<prefix>/runs/<lockname>`, at most
 *   {@link FLEET_RECORD_MAX_BYTES}): the last start and the last finish wherever they ran, the
 *   last success, consecutive failures and total runs;
 * - the **host record**, one per job and job user on every host (the state directory): the same
 *   fields as this host saw them, plus counters of failures and skips by reason.
 */

// node:crypto loads on the first createHash() call, not with this module, in both bundles
// (scripts/postbuild.mjs, lazy-builtins): node:module for a lazy require of it made every start load
// node:module and its loader modules (about 5 million instructions a switchman skip).
import { createHash } from "node:crypto";

/** Format version of every record and journal line. Readers ignore fields they do not know. */
export const RECORD_VERSION = 1;

/** ZooKeeper's record of a lock name stays below this (the 1 KB). */
export const FLEET_RECORD_MAX_BYTES = 1024;

/** A journal line stays below PIPE_BUF (4096) with its newline, so one write(2) appends it whole. */
export const JOURNAL_LINE_MAX_BYTES = 4095;

/** Why a run was not started (the coordinator's reasons, SPEC 8.2; `wait-timeout`: `--wait` ran out, issue 16). */
export const SKIP_REASONS = ["not-in-group", "lock-held", "wait-timeout"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/**
 * How a run ended:
 * - `success`: CMD exited 0;
 * - `failure`: CMD exited with another code;
 * - `signal`: CMD died of a signal switchman did not send for a loss or a timeout (128+N);
 * - `timeout`: switchman stopped CMD at its `--timeout` (exit 124);
 * - `lost`: switchman stopped CMD because it lost the lock or the group, or its guard killed it (exit 70);
 * - `error`: CMD could not be started at all (exit 70).
 */
export const OUTCOMES = ["success", "failure", "signal", "timeout", "lost", "error"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A run's start, as recorded. */
export interface RunStart {
  /** ISO 8601, UTC, milliseconds. */
  at: string;
  host: string;
  /** switchman's pid. */
  pid: number;
  /** Random id of this run (16 hex digits): what a FINISH checks it belongs to. */
  run: string;
  /** The job's user name (or uid). */
  user: string;
  /** The cron.d file's build id, when the cron environment gives one (CRONMETA_BUILD). */
  build?: string;
  /** `--timeout`, seconds. */
  timeout_s?: number;
}

/** A run's end, as recorded. */
export interface RunFinish {
  at: string;
  host: string;
  pid: number;
  run: string;
  outcome: Outcome;
  /** The exit status switchman returned (SPEC 8.3, and 124 for a timeout). */
  status: number;
  /** CMD's exit code; null when it died of a signal or never started. */
  exit: number | null;
  /** The signal CMD died of (SIGTERM, …); null otherwise. */
  signal: string | null;
  /** Wall-clock seconds from CMD's start to its group being gone. */
  wall_s: number;
  user_s: number;
  sys_s: number;
  /** Peak resident memory of CMD, KiB; null when CMD ended before the first sample. */
  maxrss_kib: number | null;
  /** switchman had to SIGKILL CMD's group. */
  killed: boolean;
}

/** What the fleet record (ZooKeeper) holds. */
export interface FleetRecord {
  v: number;
  package?: string;
  group?: string;
  start?: RunStart;
  finish?: RunFinish;
  /** `at` of the last finish with outcome success. */
  last_success?: string;
  /** Finishes since the last success. */
  consecutive_failures: number;
  /** Runs started (one per START). */
  runs: number;
}

/** What the host record (state directory) holds: the fleet fields as this host saw them, and counters. */
export interface HostRecord extends FleetRecord {
  /** The record's name: the lock name, or with `--no-lock` CMD's base name. */
  lockname: string;
  /** Finishes whose outcome was not success. */
  failures: number;
  skips: Record<SkipReason, number>;
  last_skip?: { at: string; reason: SkipReason };
}

/** The facts of a start, before they are folded into a record. */
export interface StartFacts extends RunStart {
  package?: string;
  group?: string;
}

/**
 * `new Date(ms).toISOString()` (UTC, milliseconds, `Z`), composed from the UTC fields: V8's
 * first toISOString() of a process loads the local time zone (reads /etc/localtime and looks up
 * its name), about 0.25 ms of every skip and run for a text that is UTC anyway. Years outside
 * 0-9999, which toISOString writes with six digits and a sign, are left to it.
 */
export function isoTimestamp(ms: number = Date.now()): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return date.toISOString();
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  const ms3 = date.getUTCMilliseconds();
  return (
    `${String(year).padStart(4, "0")}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(ms3).padStart(3, "0")}Z`
  );
}

/** A fresh fleet record. */
export function emptyFleetRecord(): FleetRecord {
  return { v: RECORD_VERSION, consecutive_failures: 0, runs: 0 };
}

/** A fresh host record for `lockname`. */
export function emptyHostRecord(lockname: string): HostRecord {
  return { lockname, ...emptyFleetRecord(), failures: 0, skips: { "not-in-group": 0, "lock-held": 0, "wait-timeout": 0 } };
}

function startOnly(facts: StartFacts): RunStart {
  const start: RunStart = { at: facts.at, host: facts.host, pid: facts.pid, run: facts.run, user: facts.user };
  if (facts.build !== undefined) start.build = facts.build;
  if (facts.timeout_s !== undefined) start.timeout_s = facts.timeout_s;
  return start;
}

/** The record after a START: the start replaced, one more run; package and group as this run has them. */
export function withStart<R extends FleetRecord>(record: R, facts: StartFacts): R {
  const next: R = { ...record, v: RECORD_VERSION, start: startOnly(facts), runs: record.runs + 1 };
  if (facts.package !== undefined) next.package = facts.package;
  else delete next.package;
  if (facts.group !== undefined) next.group = facts.group;
  else delete next.group;
  return next;
}

/** The fleet part of a record after a FINISH: the finish replaced, last success and failure streak updated. */
export function withFinish<R extends FleetRecord>(record: R, finish: RunFinish): R {
  const success = finish.outcome === "success";
  const next: R = {
    ...record,
    v: RECORD_VERSION,
    finish,
    consecutive_failures: success ? 0 : record.consecutive_failures + 1,
  };
  if (success) next.last_success = finish.at;
  return next;
}

/** The host record after a FINISH: the fleet fields, and one more failure unless it succeeded. */
export function hostWithFinish(record: HostRecord, finish: RunFinish): HostRecord {
  const next = withFinish(record, finish);
  return finish.outcome === "success" ? next : { ...next, failures: record.failures + 1 };
}

/** The host record after a skip. */
export function hostWithSkip(record: HostRecord, reason: SkipReason, at: string): HostRecord {
  return { ...record, skips: { ...record.skips, [reason]: record.skips[reason] + 1 }, last_skip: { at, reason } };
}

/** The outcome of a run from how it ended (see {@link OUTCOMES}); the first cause that applies wins. */
export function outcomeOf(facts: {
  startError?: string | undefined;
  lost: boolean;
  timedOut: boolean;
  signal: string | null;
  exitCode: number | null;
}): Outcome {
  if (facts.startError !== undefined) return "error";
  if (facts.lost) return "lost";
  if (facts.timedOut) return "timeout";
  if (facts.signal !== null) return "signal";
  return facts.exitCode === 0 ? "success" : "failure";
}

// ---------------------------------------------------------------------------------------------
// Parsing: tolerant of what a reader cannot use (an unknown field, a later version), strict on
// types, so that a damaged or foreign node never becomes a record with wrong numbers.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

function parseStart(value: unknown): RunStart | undefined {
  if (!isObject(value)) return undefined;
  const at = text(value.at);
  const host = text(value.host);
  const pid = count(value.pid);
  const run = text(value.run);
  const user = text(value.user) ?? "";
  if (at === undefined || host === undefined || pid === undefined || run === undefined) return undefined;
  const start: RunStart = { at, host, pid, run, user };
  const build = text(value.build);
  if (build !== undefined) start.build = build;
  const timeout = count(value.timeout_s);
  if (timeout !== undefined) start.timeout_s = timeout;
  return start;
}

function parseFinish(value: unknown): RunFinish | undefined {
  if (!isObject(value)) return undefined;
  const at = text(value.at);
  const host = text(value.host);
  const pid = count(value.pid);
  const run = text(value.run);
  const outcome = text(value.outcome);
  const status = count(value.status);
  if (at === undefined || host === undefined || pid === undefined || run === undefined || status === undefined) return undefined;
  if (outcome === undefined || !(OUTCOMES as readonly string[]).includes(outcome)) return undefined;
  return {
    at,
    host,
    pid,
    run,
    outcome: outcome as Outcome,
    status,
    exit: count(value.exit) ?? null,
    signal: text(value.signal) ?? null,
    wall_s: finite(value.wall_s) ?? 0,
    user_s: finite(value.user_s) ?? 0,
    sys_s: finite(value.sys_s) ?? 0,
    maxrss_kib: count(value.maxrss_kib) ?? null,
    killed: value.killed === true,
  };
}

function parseFleetFields(data: Json): FleetRecord | undefined {
  const v = count(data.v);
  if (v === undefined || v < 1) return undefined;
  // Built in the order writers use, so that what a reader prints reads like what was written.
  const record: Partial<FleetRecord> = { v };
  const pkg = text(data.package);
  if (pkg !== undefined) record.package = pkg;
  const group = text(data.group);
  if (group !== undefined) record.group = group;
  const start = parseStart(data.start);
  if (start !== undefined) record.start = start;
  const finish = parseFinish(data.finish);
  if (finish !== undefined) record.finish = finish;
  const lastSuccess = text(data.last_success);
  if (lastSuccess !== undefined) record.last_success = lastSuccess;
  record.consecutive_failures = count(data.consecutive_failures) ?? 0;
  record.runs = count(data.runs) ?? 0;
  return record as FleetRecord;
}

function parseJson(source: string | Buffer): Json | undefined {
  try {
    const data: unknown = JSON.parse(typeof source === "string" ? source : source.toString("utf8"));
    return isObject(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** A fleet record from a znode's data; undefined when it is missing, not JSON or not a record. */
export function parseFleetRecord(source: string | Buffer | undefined): FleetRecord | undefined {
  if (source === undefined || source.length === 0) return undefined;
  const data = parseJson(source);
  return data === undefined ? undefined : parseFleetFields(data);
}

/** A host record from a state file; undefined when it is not one. */
export function parseHostRecord(source: string | Buffer): HostRecord | undefined {
  return hostRecordFromJson(parseJson(source));
}

/** A host record from a state file's parsed JSON; undefined when it is not one. */
export function hostRecordFromJson(data: unknown): HostRecord | undefined {
  if (!isObject(data)) return undefined;
  const fleet = parseFleetFields(data);
  const lockname = text(data.lockname);
  if (fleet === undefined || lockname === undefined) return undefined;
  const skips = isObject(data.skips) ? data.skips : {};
  const record: HostRecord = {
    lockname,
    ...fleet,
    failures: count(data.failures) ?? 0,
    skips: {
      "not-in-group": count(skips["not-in-group"]) ?? 0,
      "lock-held": count(skips["lock-held"]) ?? 0,
      "wait-timeout": count(skips["wait-timeout"]) ?? 0,
    },
  };
  if (isObject(data.last_skip)) {
    const at = text(data.last_skip.at);
    const reason = text(data.last_skip.reason);
    if (at !== undefined && (SKIP_REASONS as readonly string[]).includes(reason ?? "")) {
      record.last_skip = { at, reason: reason as SkipReason };
    }
  }
  return record;
}

// ---------------------------------------------------------------------------------------------
// Serialising within a size limit.

/** Strings that may be shortened, longest-lived first to go: a name is worth more than a build id. */
type Shortenable = { get: () => string | undefined; set: (value: string) => void };

function shortened(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * The fleet record as JSON within {@link FLEET_RECORD_MAX_BYTES}. Host names, package, group
 * and build id are valid but unbounded in principle; when the whole does not fit, the longest
 * of them are cut (ending in `…`), step by step, until it does. Deterministic.
 */
export function serializeFleetRecord(record: FleetRecord): Buffer {
  // Parsing back gives a copy with the fields in the readers' order (v, package, …, runs).
  const copy: FleetRecord = parseFleetRecord(JSON.stringify(record)) ?? structuredClone(record);
  const fields: Shortenable[] = [
    { get: () => copy.start?.build, set: (v) => copy.start && (copy.start.build = v) },
    { get: () => copy.group, set: (v) => (copy.group = v) },
    { get: () => copy.package, set: (v) => (copy.package = v) },
    { get: () => copy.finish?.host, set: (v) => copy.finish && (copy.finish.host = v) },
    { get: () => copy.start?.host, set: (v) => copy.start && (copy.start.host = v) },
    { get: () => copy.start?.user, set: (v) => copy.start && (copy.start.user = v) },
  ];
  return fitJson(copy, fields, FLEET_RECORD_MAX_BYTES);
}

/** JSON of `value` within `maxBytes`, cutting `fields` (longest first) when needed. */
function fitJson(value: unknown, fields: Shortenable[], maxBytes: number): Buffer {
  let bytes = Buffer.from(JSON.stringify(value), "utf8");
  for (let limit = 128; bytes.length > maxBytes && limit >= 8; limit = Math.floor(limit / 2)) {
    for (const field of fields) {
      const current = field.get();
      if (current !== undefined && current.length > limit) field.set(shortened(current, limit));
    }
    bytes = Buffer.from(JSON.stringify(value), "utf8");
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Journal lines: one JSON object per START, FINISH and skip.

/** Who ran (or skipped) what, on every journal line. */
export interface JournalIdentity {
  lockname: string;
  package?: string;
  group?: string;
  host: string;
  pid: number;
  user: string;
}

/** A journal event. */
export type JournalEvent =
  | { event: "start"; at: string; start: RunStart }
  | { event: "finish"; at: string; finish: RunFinish }
  | { event: "skip"; at: string; reason: SkipReason; detail: string };

/**
 * One journal line (with its newline), at most {@link JOURNAL_LINE_MAX_BYTES} + 1 bytes: the
 * skip detail and then the names are cut to fit.
 */
export function journalLine(identity: JournalIdentity, event: JournalEvent): string {
  const line: Json = { v: RECORD_VERSION, at: event.at, event: event.event, lockname: identity.lockname };
  if (identity.package !== undefined) line.package = identity.package;
  if (identity.group !== undefined) line.group = identity.group;
  line.host = identity.host;
  line.user = identity.user;
  line.pid = identity.pid;
  if (event.event === "start") {
    line.run = event.start.run;
    if (event.start.build !== undefined) line.build = event.start.build;
    if (event.start.timeout_s !== undefined) line.timeout_s = event.start.timeout_s;
  } else if (event.event === "finish") {
    const { at: _at, host: _host, pid: _pid, ...rest } = event.finish;
    Object.assign(line, rest);
  } else {
    line.reason = event.reason;
    line.detail = event.detail;
  }
  // The lock name is never cut: a line must name its job. The rest is bounded in practice.
  const fields: Shortenable[] = ["detail", "build", "group", "package", "host"].map((key) => ({
    get: () => text(line[key]),
    set: (v: string) => (line[key] = v),
  }));
  return `${fitJson(line, fields, JOURNAL_LINE_MAX_BYTES).toString("utf8")}\n`;
}

/** File-system-safe name of a record (a lock name may be 512 characters, a file name 255 bytes). */
export function recordFileName(lockname: string): string {
  if (lockname.length <= 200) return lockname;
  // "~" is not in the lock name alphabet, so a shortened name never equals a real one.
  return `${lockname.slice(0, 180)}~${createHash("sha256").update(lockname).digest("hex").slice(0, 16)}`;
}
