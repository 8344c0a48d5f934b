/**
 * After phase 4: the time limit's exit status, and how the run ended for the run records.
 *
 * Contract: a CMD stopped at `--timeout` exits 124 (timeout(1)'s status, also when its group had
 * to be SIGKILLed), with a warning that says so, unless switchman's own failures came first
 * (CMD never started, or the guard killed it: 70, as the report phase says). The outcome folds
 * the same facts into one word of records/record.ts.
 */
import type { Logger } from "../log.js";
import { outcomeOf } from "../records/record.js";
import type { FinishFacts } from "../records/recorder.js";
import type { Supervised } from "./supervise.js";

/** Exit status when switchman stopped CMD at its `--timeout` (as timeout(1)). */
export const EXIT_TIMEOUT = 124;

/** The exit status once the time limit is taken into account. */
export function timeLimitStatus(reported: number, { result, timedOut }: Supervised, limit: string | undefined, log: Logger): number {
  if (timedOut !== true || result.startError !== undefined || result.guardFired) return reported;
  log.warning(`exit ${EXIT_TIMEOUT}: CMD was stopped at its time limit (--timeout ${limit ?? "?"})${result.killed ? ", with SIGKILL" : ""}`);
  return EXIT_TIMEOUT;
}

/** What the run records keep of how the run ended. */
export function finishFacts({ result, lost, timedOut }: Supervised, status: number): FinishFacts {
  return {
    outcome: outcomeOf({
      startError: result.startError,
      lost: lost !== undefined || result.guardFired,
      timedOut: timedOut === true,
      signal: result.signal,
      exitCode: result.exitCode,
    }),
    status,
    exitCode: result.exitCode,
    signal: result.signal,
    wallS: result.wallS,
    userS: result.userS,
    systemS: result.systemS,
    peakRssKiB: result.peakRssKiB,
    killed: result.killed,
  };
}
