/**
 * Phase 4 of a run, report: FINISH in the log, and the exit status of SPEC 8.3.
 *
 * Contract: logs FINISH (always, also for a CMD that could not start) and returns CMD's status
 * (its exit code, or 128+N for signal N), or EXIT_LOST with a line that says why when switchman
 * could not start CMD, when the guard process killed it, or when CMD was stopped for a loss.
 */
import type { Logger } from "../log.js";
import type { ChildResult } from "../supervisor.js";
import type { Supervised } from "./supervise.js";

/** Exit status when switchman stopped CMD because it lost the lock or the group. */
const EXIT_LOST = 70;

/** The run's exit status; see the module comment for the contract. */
export function report(lockname: string | undefined, { result, lost }: Supervised, log: Logger): number {
  log.info(finishMessage(lockname, result));
  if (result.startError !== undefined) {
    log.critical(`cannot start CMD: ${result.startError}`);
    return EXIT_LOST;
  }
  if (result.guardFired) {
    log.warning(
      `exit ${EXIT_LOST}: switchman could not prove the lock in time (was it stopped or blocked?); ` +
        "the guard process killed CMD's process group",
    );
    return EXIT_LOST;
  }
  if (lost !== undefined) {
    log.warning(`exit ${EXIT_LOST}: CMD was stopped because of ${lost.reason}`);
    return EXIT_LOST;
  }
  return result.status;
}

/**
 * `FINISH lockname=… exit=N|signal=SIG… duration=…s user=…s sys=…s maxrss=…KiB`, then
 * `killed=SIGKILL` when switchman SIGKILLed the group, `killed=SIGKILL by=guard` when its guard
 * process did.
 */
function finishMessage(lockname: string | undefined, result: ChildResult): string {
  const how = result.signal !== null ? `signal=${result.signal}` : `exit=${result.exitCode ?? "-"}`;
  const killed = result.killed ? " killed=SIGKILL" : result.guardFired ? " killed=SIGKILL by=guard" : "";
  return (
    `FINISH lockname=${lockname ?? "-"} ${how} status=${result.status} duration=${result.wallS.toFixed(3)}s ` +
    `user=${result.userS.toFixed(2)}s sys=${result.systemS.toFixed(2)}s ` +
    `maxrss=${result.peakRssKiB === undefined ? "-" : `${result.peakRssKiB}KiB`}${killed}`
  );
}
