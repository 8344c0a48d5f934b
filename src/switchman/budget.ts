/**
 * The safety budget of SPEC 8.3: when switchman can no longer prove it holds the lock, the
 * child must be dead before the server could expire the session and hand the lock to someone
 * else (docs/switchman-zookeeper.md, "the safety budget").
 *
 * Let G be the smallest session timeout any member switchman's session may talk to grants it
 * (the session module never lets the session reach a member that grants less), P the send time
 * of the last request that proved the lock, T `termination_timeout`:
 *
 *   kill-by  K = P + G − SAFETY_MARGIN_S         CMD dead (the guard process's limit)
 *   loss     L = K − T − KILL_LEAD_S             SIGTERM; switchman's SIGKILL at K − KILL_LEAD_S
 *
 * A failover to a healthy member must produce a new proof before L, so the smallest session
 * the config accepts is T + DETECTION_BUDGET_S + SAFETY_MARGIN_S (isTimingSafe).
 */

/** Seconds between switchman's own heartbeats to ZooKeeper. */
export const HEARTBEAT_INTERVAL_S = 1;

/** A heartbeat unanswered this long drops the connection: the session moves to another member. */
export const HEARTBEAT_STALL_S = 1.5;

/** Time allowed for a failover: ask the members what they grant, reconnect, prove the lock again. */
export const FAILOVER_S = 1.25;

/** switchman's own SIGKILL comes this much before the guard process's: the guard only backs it up. */
export const KILL_LEAD_S = 0.25;

/**
 * Seconds switchman allows itself, after the last proof, to notice that it can no longer prove
 * the lock and to fail over: the proof can be a heartbeat interval old when the fault starts,
 * the next heartbeat stalls, the failover runs, and the loss comes KILL_LEAD_S early.
 */
export const DETECTION_BUDGET_S = HEARTBEAT_INTERVAL_S + HEARTBEAT_STALL_S + FAILOVER_S + KILL_LEAD_S;

/**
 * How much older than the proof the leader's own record of the session can be. A follower tells
 * the leader about its clients only in its answers to the leader's pings (every tickTime/2); when
 * it loses the leader right after answering switchman, the leader's last record comes from an
 * earlier ping: up to max(HEARTBEAT_INTERVAL_S, tickTime/2) earlier, 1 s with tickTime ≤ 2 s.
 */
export const REPORT_LAG_S = 1;

/** Signal delivery, SIGKILL reaping, a late timer and clock-rate differences. */
export const KILL_SLACK_S = 1;

/** What lies between the kill-by time and the earliest moment the server could expire the session. */
export const SAFETY_MARGIN_S = REPORT_LAG_S + KILL_SLACK_S;

/** True when a configuration leaves enough time to fail over, or else stop the child, before the session can expire. */
export function isTimingSafe(terminationTimeoutS: number, sessionTimeoutS: number): boolean {
  return terminationTimeoutS + DETECTION_BUDGET_S + SAFETY_MARGIN_S <= sessionTimeoutS;
}
