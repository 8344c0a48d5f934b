/**
 * The run records as the classifier sees them (classify.ts): ZooKeeper's fleet record holds the
 * last start and the last finish of a lock name wherever they ran, so it tells of at most two
 * runs, and nothing of the slots before its last start.
 */
import type { FleetRecord, HostRecord } from "../switchman/records/record.js";
import type { ObservedRun, ObservedSkip } from "./classify.js";

/** What a record says, in the classifier's terms. */
export interface Observations {
  runs: ObservedRun[];
  skips: ObservedSkip[];
  consecutiveFailures?: number;
  /** Slots before this cannot be judged from the record. */
  knownSince?: number;
}

const ms = (iso: string): number | undefined => {
  const value = Date.parse(iso);
  return Number.isFinite(value) ? value : undefined;
};

/** The runs of one fleet (or host) record; `null` or a fresh record: none. */
export function observationsOfFleetRecord(record: FleetRecord | HostRecord | null): Observations {
  const result: Observations = { runs: [], skips: [] };
  if (record === null) return result;
  result.consecutiveFailures = record.consecutive_failures;
  const start = record.start === undefined ? undefined : ms(record.start.at);
  const finish = record.finish;
  const finishAt = finish === undefined ? undefined : ms(finish.at);
  if (finish !== undefined && finishAt !== undefined && (record.start === undefined || finish.run !== record.start.run)) {
    // An earlier run's finish (the last start is still running, or its FINISH was lost).
    result.runs.push({ start: finishAt - Math.round(finish.wall_s * 1000), end: finishAt, host: finish.host, outcome: finish.outcome });
  }
  if (record.start !== undefined && start !== undefined) {
    const run: ObservedRun = { start, host: record.start.host };
    if (finish !== undefined && finishAt !== undefined && finish.run === record.start.run) {
      run.end = finishAt;
      run.outcome = finish.outcome;
    }
    result.runs.push(run);
    result.knownSince = start;
  }
  if ("skips" in record && record.last_skip !== undefined) {
    const at = ms(record.last_skip.at);
    if (at !== undefined) result.skips.push({ at, reason: record.last_skip.reason });
  }
  return result;
}
