/**
 * Turns one RawSection into facts: the values of its keys with defaults applied, the parsed
 * time, the derived lock name, install path, command and cron line. Pure; rules judge these
 * facts, and a section whose facts are complete and error-free becomes a Job.
 */
import { posix } from "node:path";
import type { Config } from "../config/schema.js";
import type { DebianInfo, InstalledFile } from "../debian/read.js";
import { parseCronTime } from "../cron/parse.js";
import type { CronTimeResult, Job, RawEntry, RawSection, ScannedFile } from "../types.js";
import { buildCommand, escapeForCron } from "./command.js";
import { type MetadataKey, isMetadataKey } from "./keys.js";
import { parseAlertAfter, parseDuration } from "../syntax/duration.js";
import { type Concurrency, isConcurrency } from "../syntax/concurrency.js";
import { type Lease, formatLease, leaseConstantProblem, parseLease } from "../syntax/lease.js";
import { defaultLockname } from "./lockname.js";
import { balanceSections, hashSpread, type SectionSpread, timeSourceOf } from "./spread.js";

/** Everything known about one section. */
export interface SectionFacts {
  file: string;
  section: RawSection;
  /** First occurrence of each known key with a non-empty value. */
  values: Partial<Record<MetadataKey, RawEntry>>;
  unknownKeys: RawEntry[];
  /** Second and later occurrences of a key. */
  duplicateKeys: RawEntry[];
  emptyValues: RawEntry[];
  missingKeys: MetadataKey[];
  /** The parsed time; for a time with H forms, the parse of its resolution (problems at the written columns). */
  time?: CronTimeResult;
  /** Normalised time text as written (single spaces; H forms included). */
  timeText?: string;
  /** Set when `time` has H forms: how they were resolved (src/jobs/spread.ts). */
  spread?: SectionSpread;
  package?: string;
  user: string;
  group: string;
  lockname: string;
  locknameExplicit: boolean;
  /**
   * Whether the job takes its lock: false for `lock: no` or `concurrency: allow`; undefined when
   * `lock` has a value other than yes/no.
   */
  lock: boolean | undefined;
  /**
   * METADATA `concurrency`, else `allow` for `lock: no`, else `forbid`; undefined when
   * `concurrency` is not a policy (metadata-value-invalid reports it).
   */
  concurrency: Concurrency | undefined;
  /** METADATA `lease`, item by item (comma-separated), each parsed or with its problem. */
  leases: LeaseItem[];
  /** METADATA `wait`, when it is a valid duration. */
  wait?: string;
  params: string;
  description?: string;
  /** METADATA `timeout`, when it is a valid duration (src/syntax/duration.ts). */
  timeout?: string;
  /** METADATA `grace` when valid, else config `grace` (metadata-value-invalid reports the invalid one). */
  grace: string;
  /** METADATA `alert-after` when valid, else config `alertAfter`. */
  alertAfter: number;
  install?: InstalledFile;
  scriptPath: string;
  /** Escaped command part of the cron line. */
  command: string;
  cronLine?: string;
}

/** One item of a `lease` value: where it is in the value, and the lease or its problem. */
export interface LeaseItem {
  /** The item, trimmed. */
  text: string;
  /** Offset of the item in the entry's value. */
  offset: number;
  /** The lease, when the item parses. */
  lease?: Lease;
  /** The first problem: a syntax error, or a value every host would get wrong; column in `text`. */
  problem?: { message: string; column: number };
}

/** Splits a `lease` value at its commas (no lease holds one) into items, each parsed. */
export function leaseItems(value: string): LeaseItem[] {
  const items: LeaseItem[] = [];
  let offset = 0;
  for (const part of value.split(",")) {
    const lead = /^[ \t]*/.exec(part)?.[0].length ?? 0;
    const text = part.trim();
    const parsed = parseLease(text);
    const item: LeaseItem = { text, offset: offset + lead };
    if (parsed.ok) {
      item.lease = parsed.lease;
      const problem = leaseConstantProblem(parsed.lease);
      if (problem !== undefined) item.problem = problem;
    } else {
      item.problem = { message: parsed.message, column: parsed.column };
    }
    items.push(item);
    offset += part.length + 1;
  }
  return items;
}

/**
 * The leases to write on the cron line: the valid ones, without blanks, sorted by resource (one
 * order for one set, whatever the order written; switchman takes them in its own order anyway).
 */
function cronLeases(items: readonly LeaseItem[]): string[] {
  const valid = items.filter((item) => item.lease !== undefined && item.problem === undefined).map((item) => item.lease as Lease);
  return valid
    .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0))
    .map(formatLease);
}

/** Distinct time texts remembered at most (a bound on memory for generated metadata). */
const MAX_PARSED_TIMES = 4096;
const parsedTimes = new Map<string, CronTimeResult>();

/**
 * parseCronTime, once per distinct text: it is pure, and a tree's jobs share a handful of times
 * (16 distinct among 10,991 on the 100,000-file benchmark tree). Jobs with the same text share
 * the result, which nothing changes after parsing.
 */
function parseTime(text: string): CronTimeResult {
  let result = parsedTimes.get(text);
  if (result === undefined) {
    if (parsedTimes.size >= MAX_PARSED_TIMES) parsedTimes.clear();
    result = parseCronTime(text);
    parsedTimes.set(text, result);
  }
  return result;
}

function value(facts: Pick<SectionFacts, "values">, key: MetadataKey): string | undefined {
  return facts.values[key]?.value;
}

/** Analyses one section of one scanned file. */
export function analyseSection(file: string, section: RawSection, config: Config, debian: DebianInfo): SectionFacts {
  const values: Partial<Record<MetadataKey, RawEntry>> = {};
  const seen = new Set<string>();
  const unknownKeys: RawEntry[] = [];
  const duplicateKeys: RawEntry[] = [];
  const emptyValues: RawEntry[] = [];
  for (const entry of section.entries) {
    if (!isMetadataKey(entry.key)) {
      unknownKeys.push(entry);
      continue;
    }
    if (seen.has(entry.key)) {
      duplicateKeys.push(entry);
      continue;
    }
    seen.add(entry.key);
    if (entry.value === "") emptyValues.push(entry);
    else values[entry.key] = entry;
  }
  const missingKeys: MetadataKey[] = [];
  if (!seen.has("time")) missingKeys.push("time");
  if (!seen.has("package") && config.defaultPackage === undefined) missingKeys.push("package");

  const facts = { values };
  const timeRaw = value(facts, "time");
  const pkg = value(facts, "package") ?? (seen.has("package") ? undefined : config.defaultPackage);
  const params = value(facts, "params") ?? "";
  const fileName = posix.basename(file);
  const explicitLockname = value(facts, "lockname");
  const lockValue = value(facts, "lock");
  const lockKey = lockValue === undefined || lockValue === "yes" ? true : lockValue === "no" ? false : undefined;
  const concurrencyValue = value(facts, "concurrency");
  const concurrency = concurrencyValue === undefined ? (lockKey === false ? "allow" : "forbid") : isConcurrency(concurrencyValue) ? concurrencyValue : undefined;
  const lock = lockKey === undefined ? undefined : lockKey && concurrency !== "allow";
  const leaseValue = value(facts, "lease");
  const leases = leaseValue === undefined ? [] : leaseItems(leaseValue);
  const waitValue = value(facts, "wait");
  const wait = waitValue !== undefined && parseDuration(waitValue) !== undefined ? waitValue : undefined;
  const install = debian.installed.get(file);
  const scriptPath = install?.path ?? `${config.installDir.replace(/\/+$/, "")}/${fileName}`;
  const group = value(facts, "group") ?? pkg ?? "";
  const lockname = explicitLockname ?? defaultLockname(fileName, params);
  // A timeout that is not a duration is metadata-value-invalid's (a fatal error): it never reaches a line.
  const timeoutValue = value(facts, "timeout");
  const timeout = timeoutValue !== undefined && parseDuration(timeoutValue) !== undefined ? timeoutValue : undefined;
  const graceValue = value(facts, "grace");
  const grace = graceValue !== undefined && parseDuration(graceValue) !== undefined ? graceValue : config.grace;
  const alertAfter = parseAlertAfter(value(facts, "alert-after") ?? "") ?? config.alertAfter;
  const parts = {
    scriptPath,
    params,
    group,
    lockname,
    lock: lock !== false,
    ...(pkg === undefined ? {} : { package: pkg }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(concurrency === undefined ? {} : { concurrency }),
    leases: cronLeases(leases),
    ...(wait === undefined ? {} : { wait }),
  };
  const command = escapeForCron(buildCommand(parts, config));
  const user = value(facts, "user") ?? config.user;
  // H forms are resolved from the job's identity before Debian's grammar sees the time.
  const spread = timeRaw === undefined ? undefined : hashSpread(timeRaw, { package: pkg ?? "", lockname }, config, parseTime);
  const time = spread?.final.result ?? (timeRaw === undefined ? undefined : parseTime(timeRaw));
  const timeText = spread?.final.source ?? time?.time?.text ?? timeRaw?.trim().split(/\s+/).join(" ");

  const result: SectionFacts = {
    file,
    section,
    values,
    unknownKeys,
    duplicateKeys,
    emptyValues,
    missingKeys,
    user,
    group,
    lockname,
    locknameExplicit: explicitLockname !== undefined,
    lock,
    concurrency,
    leases,
    params,
    scriptPath,
    command,
    grace,
    alertAfter,
  };
  if (time !== undefined) result.time = time;
  if (spread !== undefined) result.spread = spread;
  if (timeText !== undefined) result.timeText = timeText;
  if (pkg !== undefined) result.package = pkg;
  const description = value(facts, "description");
  if (description !== undefined) result.description = description;
  if (timeout !== undefined) result.timeout = timeout;
  if (wait !== undefined) result.wait = wait;
  if (install !== undefined) result.install = install;
  if (time?.time !== undefined) result.cronLine = `${time.time.text} ${user} ${command}`;
  return result;
}

/**
 * The Job of the facts of a section in a file without errors. Such facts are complete: the
 * fatal rules (metadata-missing-key, metadata-empty, cron-time-invalid, metadata-value-invalid),
 * which config cannot turn off, report every missing piece, so incomplete facts here are a bug,
 * never a job to drop quietly.
 */
export function toJob(facts: SectionFacts): Job {
  const time = facts.time?.time;
  if (time === undefined || facts.package === undefined || facts.cronLine === undefined || facts.lock === undefined || facts.concurrency === undefined) {
    throw new Error(`cronmeta bug: the section at ${facts.file}:${facts.section.pos.line} has no error but is not a complete job`);
  }
  const job: Job = {
    file: facts.file,
    line: facts.section.pos.line,
    column: facts.section.pos.column,
    index: facts.section.index,
    package: facts.package,
    time,
    user: facts.user,
    group: facts.group,
    lockname: facts.lockname,
    lock: facts.lock,
    params: facts.params,
    scriptPath: facts.scriptPath,
    command: facts.command,
    cronLine: facts.cronLine,
    grace: facts.grace,
    alertAfter: facts.alertAfter,
  };
  if (facts.description !== undefined) job.description = facts.description;
  if (facts.timeout !== undefined) job.timeout = facts.timeout;
  if (facts.concurrency !== "forbid") job.concurrency = facts.concurrency;
  const leases = cronLeases(facts.leases);
  if (leases.length > 0) job.leases = leases;
  if (facts.wait !== undefined) job.wait = facts.wait;
  const source = timeSourceOf(facts.spread);
  if (source !== undefined) job.timeSource = source;
  return job;
}

/**
 * Analyses every section of every file, in order; with config `spread: "balanced"` the H
 * minutes and hours of all of them are then placed together (src/jobs/spread.ts).
 */
export function analyseFiles(files: readonly ScannedFile[], config: Config, debian: DebianInfo): SectionFacts[] {
  const sections: SectionFacts[] = [];
  for (const file of files) {
    for (const section of file.sections) sections.push(analyseSection(file.file, section, config, debian));
  }
  if (config.spread === "balanced" && sections.some((s) => s.spread !== undefined)) balanceSections(sections, config, parseTime);
  return sections;
}
