/**
 * The classifier of `cronmeta monitor` (issue 18, docs/monitor.md): one job of a manifest, what
 * the run records say about it, its group and "now" → the class of each recent expected slot and
 * of the job. Pure: no clock, no I/O.
 *
 * The slots are Debian cron's own start times (src/cron/next.ts: DST, AND/OR day rules, names,
 * `@` keywords), never a second copy of the schedule. Equal instants (several matching minutes
 * inside a spring-forward gap: cron starts the job that many times at once, and the lock lets
 * one through) are one slot.
 */
import { iterateRuns } from "../cron/next.js";
import type { Outcome, SkipReason } from "../switchman/records/record.js";
import type { CronTime } from "../types.js";

/** A run as the records tell it (times in ms since the epoch). */
export interface ObservedRun {
  start: number;
  host: string;
  /** Absent while it runs (or when its FINISH was never recorded). */
  end?: number;
  outcome?: Outcome;
}

/** A skip as the host records tell it. */
export interface ObservedSkip {
  at: number;
  reason: SkipReason;
  host?: string;
}

/** The class of one expected slot. */
export type SlotClass =
  | "ok"
  | "pending"
  | "running"
  | "late"
  | "missed"
  | "failed"
  | "running too long"
  | "skipped: still running"
  | "no eligible host";

/** The class of a job: its latest decided slot's, or one of the job-wide states. */
export type JobClass = SlotClass | "never ran" | "unknown";

export type Severity = "ok" | "warning" | "critical";

/** What the classifier needs to know about a job (the manifest's fields it uses). */
export interface ClassifyJob {
  time: CronTime;
  /** IANA zone of cron's wall clock. */
  zone: string;
  lock: boolean;
  grace_s: number;
  alert_after: number;
  timeout_s?: number;
  /**
   * METADATA `wait` (issue 16): a run may wait this long for its lock or leases before CMD
   * starts, so a start up to grace + wait after its slot is on time, and a `wait-timeout` skip
   * is the lock's (or a lease's) verdict, not a miss.
   */
  wait_s?: number;
}

export interface ClassifyInput {
  job: ClassifyJob;
  /** Runs, any order. */
  runs: readonly ObservedRun[];
  skips?: readonly ObservedSkip[];
  /** Consecutive failures as the fleet record counts them (overrides the count from `runs`). */
  consecutiveFailures?: number;
  /**
   * The records cover every start from here on (ms); a slot before it with no run is not
   * judged (the fleet record only holds the last start). Default: `since`.
   */
  knownSince?: number;
  /** Slots before this are not expected at all (the manifest's installation). */
  since: number;
  /** The earliest slot to classify (ms); default: `since`. */
  from?: number;
  /** Hosts of the job's group (resolved); undefined: not known. */
  eligibleHosts?: number;
  now: number;
}

export interface SlotResult {
  /** The slot, ms. */
  at: number;
  class: SlotClass;
  /** The run attributed to this slot. */
  run?: ObservedRun;
  /** Seconds from the slot to the start, for runs. */
  delay_s?: number;
  /** For `skipped: still running` from a host's skip record: its reason. */
  skip?: SkipReason;
}

export interface JobResult {
  class: JobClass;
  severity: Severity;
  /** One line for people. */
  detail: string;
  consecutiveFailures: number;
  slots: SlotResult[];
  /** Per class, the count of slots in the window. */
  counts: Partial<Record<SlotClass, number>>;
  lastStart?: ObservedRun;
  /** The next slot after `now`, ms. */
  next?: number;
}

/** switchman stops a job at its timeout; one that still runs this long after it is hung. */
export const HANG_MARGIN_S = 60;

/** Every slot class, worst first: the order of the job's summary counts. */
export const SLOT_CLASSES: readonly SlotClass[] = ["running too long", "missed", "no eligible host", "failed", "skipped: still running", "late", "running", "pending", "ok"];

/** The expected slots in [from, to), equal instants merged, ascending. */
export function slotsBetween(time: CronTime, zone: string, from: number, to: number): number[] {
  const slots: number[] = [];
  for (const at of iterateRuns(time, new Date(from - 1), zone)) {
    if (at >= to) break;
    if (slots[slots.length - 1] !== at) slots.push(at);
  }
  return slots;
}

function nextSlot(time: CronTime, zone: string, after: number): number | undefined {
  for (const at of iterateRuns(time, new Date(after), zone)) return at;
  return undefined;
}

const LOOKBACK_SPANS_MS = [3600e3, 86400e3, 35 * 86400e3, 370 * 86400e3, 5 * 366 * 86400e3, 401 * 366 * 86400e3];

/** The last slot at or before `at` (cron's next-run function only goes forward: look back in widening steps). */
export function slotAtOrBefore(time: CronTime, zone: string, at: number): number | undefined {
  for (const span of LOOKBACK_SPANS_MS) {
    let last: number | undefined;
    for (const slot of iterateRuns(time, new Date(at - span - 1), zone)) {
      if (slot > at) break;
      last = slot;
    }
    if (last !== undefined) return last;
  }
  return undefined;
}

/** Index of the last element of sorted `values` that is <= `x`, or -1. */
function lastAtOrBefore(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function trailingFailures(runs: readonly ObservedRun[]): number {
  let count = 0;
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i] as ObservedRun;
    if (run.outcome === undefined) continue;
    if (run.outcome === "success") break;
    count++;
  }
  return count;
}

function isHung(run: ObservedRun, job: ClassifyJob, now: number): boolean {
  return run.end === undefined && job.timeout_s !== undefined && now - run.start > (job.timeout_s + HANG_MARGIN_S) * 1000;
}

/** Severity of a class; a failure is critical only from `alert_after` consecutive failures on. */
export function severityOf(cls: JobClass, consecutiveFailures: number, alertAfter: number): Severity {
  switch (cls) {
    case "ok":
    case "pending":
    case "running":
      return "ok";
    case "late":
    case "skipped: still running":
    case "unknown":
      return "warning";
    case "failed":
      return consecutiveFailures >= alertAfter ? "critical" : "ok";
    case "missed":
    case "running too long":
    case "no eligible host":
    case "never ran":
      return "critical";
  }
}

/** Classifies the slots of one job in [from, now] and the job as a whole. */
export function classify(input: ClassifyInput): JobResult {
  const { job, now } = input;
  const waitMs = (job.wait_s ?? 0) * 1000;
  // Late only after grace and the wait the job is allowed (a wait for the lock is by design).
  const graceMs = job.grace_s * 1000 + waitMs;
  const runs = [...input.runs].filter((r) => r.start <= now).sort((a, b) => a.start - b.start);
  const skips = [...(input.skips ?? [])].filter((s) => s.at <= now && (s.reason === "lock-held" || s.reason === "wait-timeout")).sort((a, b) => a.at - b.at);
  const lastStart = runs[runs.length - 1];
  const consecutiveFailures = input.consecutiveFailures ?? trailingFailures(runs);
  const from = Math.max(input.from ?? input.since, input.since);
  const knownSince = input.knownSince ?? input.since;
  const finish = (cls: JobClass, detail: string, slots: SlotResult[], next?: number): JobResult => {
    const counts: Partial<Record<SlotClass, number>> = {};
    for (const slot of slots) counts[slot.class] = (counts[slot.class] ?? 0) + 1;
    const result: JobResult = { class: cls, severity: severityOf(cls, consecutiveFailures, job.alert_after), detail, consecutiveFailures, slots, counts };
    if (lastStart !== undefined) result.lastStart = lastStart;
    if (next !== undefined) result.next = next;
    return result;
  };

  // @reboot: no schedule to hold it to; only its last run says anything.
  if (job.time.reboot) {
    if (lastStart === undefined) return finish("never ran", "@reboot: no run recorded yet (it runs when cron starts)", []);
    if (isHung(lastStart, job, now)) return finish("running too long", `running ${Math.round((now - lastStart.start) / 1000)} s, past its timeout`, []);
    if (lastStart.end === undefined) return finish("running", `running on ${lastStart.host}`, []);
    if (lastStart.outcome !== "success") return finish("failed", `failed ${consecutiveFailures} time(s) in a row`, []);
    return finish("ok", `last run ok on ${lastStart.host}`, []);
  }

  // Runs starting before the window still matter (one may hold the lock over its first slots);
  // slots the records cannot judge (before knownSince, with no run) are not even computed.
  const earliest = Math.min(knownSince, runs[0]?.start ?? knownSince);
  const windowStart = Math.max(from, slotAtOrBefore(job.time, job.zone, earliest) ?? earliest);
  const lookback = runs.length > 0 ? Math.min(windowStart, (runs[0] as ObservedRun).start) : windowStart;
  const all = slotsBetween(job.time, job.zone, lookback, now + 1);
  const next = nextSlot(job.time, job.zone, now);
  const owner = new Map<number, ObservedRun>();
  for (const run of runs) {
    const index = lastAtOrBefore(all, run.start);
    if (index < 0) continue;
    const slot = all[index] as number;
    if (!owner.has(slot)) owner.set(slot, run); // the first start of a slot is its run
  }

  const slots: SlotResult[] = [];
  let holder = 0; // index into runs: the latest run started before the slot
  for (let i = 0; i < all.length; i++) {
    const at = all[i] as number;
    if (at < windowStart) continue;
    const following = all[i + 1] ?? next ?? Infinity;
    const run = owner.get(at);
    if (run !== undefined) {
      const delay = run.start - at;
      let cls: SlotClass;
      if (run.end !== undefined) cls = run.outcome !== undefined && run.outcome !== "success" ? "failed" : delay > graceMs ? "late" : "ok";
      else if (isHung(run, job, now)) cls = "running too long";
      else cls = delay > graceMs ? "late" : "running";
      slots.push({ at, class: cls, run, delay_s: Math.round(delay / 1000) });
      continue;
    }
    if (now < at + graceMs && now < following) {
      slots.push({ at, class: "pending" });
      continue;
    }
    if (at < knownSince) continue; // the records do not reach back this far
    while (holder + 1 < runs.length && (runs[holder + 1] as ObservedRun).start < at) holder++;
    const previous = runs[holder];
    const held = job.lock && previous !== undefined && previous.start < at && (previous.end === undefined || previous.end > at);
    const skippedAt = lastAtOrBefore(skips.map((s) => s.at), Math.min(following, at + Math.max(graceMs, 60_000)));
    const skip = skippedAt >= 0 && (skips[skippedAt] as ObservedSkip).at >= at ? (skips[skippedAt] as ObservedSkip) : undefined;
    if (skip !== undefined && !held) slots.push({ at, class: "skipped: still running", skip: skip.reason });
    else if (held) slots.push({ at, class: "skipped: still running" });
    else if (input.eligibleHosts === 0) slots.push({ at, class: "no eligible host" });
    else slots.push({ at, class: "missed" });
  }

  if (lastStart !== undefined && isHung(lastStart, job, now)) {
    return finish("running too long", `running ${Math.round((now - lastStart.start) / 1000)} s on ${lastStart.host}, past its ${job.timeout_s} s timeout`, slots, next);
  }
  const expectedSince = all.filter((at) => at >= input.since && at + graceMs <= now);
  if (runs.length === 0 && expectedSince.length > 0) {
    if (input.eligibleHosts === 0) return finish("no eligible host", "its group has no host", slots, next);
    return finish("never ran", `no run recorded, ${expectedSince.length} slot(s) expected since it was installed`, slots, next);
  }
  const decided = [...slots].reverse().find((s) => s.class !== "pending");
  if (decided === undefined) {
    return finish(runs.length === 0 ? "pending" : "ok", runs.length === 0 ? "not due yet" : "no slot due since its last run", slots, next);
  }
  const when = new Date(decided.at).toISOString();
  const grace = job.wait_s === undefined ? `grace ${job.grace_s} s` : `grace ${job.grace_s} s + wait ${job.wait_s} s`;
  const details: Record<SlotClass, string> = {
    ok: `the ${when} slot ran on ${decided.run?.host ?? "?"}`,
    pending: "",
    running: `the ${when} slot is running on ${decided.run?.host ?? "?"}`,
    late: `the ${when} slot started ${decided.delay_s ?? 0} s late (${grace})`,
    missed: `no host started the ${when} slot within ${job.wait_s === undefined ? `${job.grace_s} s` : `${grace}`}`,
    failed: `the ${when} slot ${decided.run?.outcome ?? "failed"} on ${decided.run?.host ?? "?"}; ${consecutiveFailures} consecutive failure(s), alert after ${job.alert_after}`,
    "running too long": `the ${when} slot runs past its timeout`,
    "skipped: still running":
      decided.skip === "wait-timeout"
        ? `the ${when} slot was skipped: it waited ${job.wait_s ?? 0} s for its lock or leases`
        : `the ${when} slot was skipped: the previous run still held the lock`,
    "no eligible host": `no host of its group could start the ${when} slot`,
  };
  return finish(decided.class, details[decided.class], slots, next);
}
