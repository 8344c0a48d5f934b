/**
 * The safety budget of SPEC 8.3: when switchman can no longer prove it holds the lock, the
 * child must be dead before the server could expire the session and hand the lock to
 * someone else. The server expires a session `session_timeout` after it last heard from
 * the client, so the client has `session_timeout` from its last acknowledged heartbeat
 * to notice (detection), terminate (termination_timeout) and kill.
 */

/** Seconds between switchman's own heartbeats to ZooKeeper. */
export const HEARTBEAT_INTERVAL_S = 1;

/** Seconds switchman allows itself to notice that it can no longer prove it holds the lock. */
export const DETECTION_BUDGET_S = 3;

/** Margin for signal delivery, SIGKILL reaping and clock-rate differences. */
export const SAFETY_MARGIN_S = 2;

/** True when a configuration leaves enough time to stop the child before the session can expire. */
export function isTimingSafe(terminationTimeoutS: number, sessionTimeoutS: number): boolean {
  return terminationTimeoutS + DETECTION_BUDGET_S + SAFETY_MARGIN_S <= sessionTimeoutS;
}
