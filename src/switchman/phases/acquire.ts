/**
 * Phase 2 of a run, acquire: the coordinator's decision (group, then lock), taken once.
 *
 * Contract: resolves to `{ run: true }` when CMD may start (the lock and the leases, if any, are
 * held), or to the exit status when it may not: 0 for a skip (not in the group, lock held; logged
 * at info, and its reason returned for the run records), EXIT_WAIT_TIMEOUT for a run that gave
 * up waiting within `--wait` (a skip too, logged at warning so that cron mails it), the
 * SwitchmanError's status for a failure (logged at critical), 128+N for signal N received before
 * CMD started. A signal during this phase closes the session at once (a connect may take up to
 * connect_timeout). The one await between this phase's last check and the supervise phase's
 * start is main()'s loading of that phase, after which main() checks for a signal again, so no
 * signal can fall between the two.
 */
import type { AcquireRequest, Coordinator, Decision } from "../coordinator.js";
import type { SkipReason } from "../records/record.js";
import type { Logger } from "../log.js";
import { signalNumber, type SignalRelay } from "../signals.js";
import { failureStatus } from "./failure.js";

/**
 * Exit status of a run that gave up waiting for its lock or leases within `--wait` (issue 16;
 * nothing ran; recorded as the skip `wait-timeout`): sysexits' EX_UNAVAILABLE, distinct from 0
 * (a skip nobody needs to hear about) and 75 (ZooKeeper unreachable).
 */
export const EXIT_WAIT_TIMEOUT = 69;

/** What acquire leaves to the next phase; a skip says why (for the run records). */
export type Acquired = { run: true } | { run: false; status: number; skip?: { reason: SkipReason; detail: string } };

/** Takes the decision; see the module comment for the contract. */
export async function acquire(coordinator: Coordinator, request: AcquireRequest, signals: SignalRelay, log: Logger): Promise<Acquired> {
  signals.routeTo(() => void coordinator.close());
  let decision: Decision | undefined;
  try {
    if (signals.received === undefined) decision = await coordinator.acquire(request);
  } catch (error) {
    if (signals.received === undefined) return { run: false, status: failureStatus(error, log) };
  }
  const signal = signals.received;
  if (signal !== undefined) {
    log.warning(`received ${signal} before CMD started: not running it`);
    return { run: false, status: 128 + signalNumber(signal) };
  }
  if (decision === undefined) throw new Error("acquire returned nothing");
  if (!decision.run && decision.reason === "wait-timeout") {
    log.warning(`SKIP wait-timeout: ${decision.detail}; lockname=${request.lockname ?? "-"} group=${request.group ?? "-"}; nothing ran (exit ${EXIT_WAIT_TIMEOUT})`);
    return { run: false, status: EXIT_WAIT_TIMEOUT, skip: { reason: decision.reason, detail: decision.detail } };
  }
  if (!decision.run) {
    log.info(`SKIP ${decision.reason}: ${decision.detail}; lockname=${request.lockname ?? "-"} group=${request.group ?? "-"}`);
    return { run: false, status: 0, skip: { reason: decision.reason, detail: decision.detail } };
  }
  return { run: true };
}
