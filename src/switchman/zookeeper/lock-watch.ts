/**
 * Watches a running job's right to run (SPEC 8.3) and says when it is gone, early enough.
 *
 * The server expires a session `negotiated` ms after it last heard from the client, and only
 * then may another session create the lock. So the lock is safe until `lastProvenAt +
 * negotiated`, where `lastProvenAt` is the *send* time of the last request that proved, in this
 * same session, that the lock node is still ours. The child needs `termination_timeout` (SIGTERM
 * then SIGKILL) plus a margin, so `onLost` is called at the latest at
 * `lastProvenAt + negotiated - termination_timeout - SAFETY_MARGIN_S`.
 *
 * The proof is a heartbeat `setData` on our own lock node every HEARTBEAT_INTERVAL_S: a write is
 * answered only after the quorum's leader committed it, so a member cut off from the leader
 * (which may keep serving stale reads for up to syncLimit ticks) cannot prove anything, and the
 * returned stat's `ephemeralOwner` shows the node is still ours. Watches on the lock node and on
 * the prefix data make deletions and group changes take effect at once; they are one-shot and
 * re-armed after every event and every reconnect.
 */
import zookeeper from "node-zookeeper-client";
import { HEARTBEAT_INTERVAL_S, SAFETY_MARGIN_S } from "../budget.js";
import { systemClock, type Clock, type TimerHandle } from "../clock.js";
import type { LossReport } from "../coordinator.js";
import { membership } from "./membership.js";
import { ZkCallError, type ZkSession } from "./session.js";

const { Exception, Event } = zookeeper;

/** A heartbeat without an answer for this long makes the client drop the connection and try the next server, ms. */
export const HEARTBEAT_STALL_MS = 1500;

type Log = (level: "debug" | "info" | "warning" | "critical", message: string) => void;

/** What the lock watch uses of a session (a fake one in unit tests). */
export type LockWatchSession = Pick<
  ZkSession,
  "negotiatedTimeoutMs" | "isConnected" | "owns" | "onConnected" | "onDisconnected" | "onExpired" | "dropConnection" | "getData" | "exists" | "setData"
>;

/** What the lock watch watches. */
export interface LockWatchOptions {
  session: LockWatchSession;
  prefix: string;
  /** The held lock; absent with --no-lock (then connection trouble stops nothing). */
  lock?: { path: string; data: Buffer; provenAt: number };
  /** The group whose membership must last; absent without --group. */
  group?: { name: string; host: string };
  terminationTimeoutMs: number;
  log: Log;
  /** Time and timers of the budget arithmetic; default the real clock. */
  clock?: Clock;
}

/** Heartbeat, deadline and watches for one running job. */
export class LockWatch {
  private done = false;
  private onLost: ((loss: LossReport) => void) | undefined;
  private lastProvenAt: number;
  private readonly clock: Clock;
  private heartbeatTimer: TimerHandle | undefined;
  private deadlineTimer: TimerHandle | undefined;
  private inFlight: { sentAt: number; dropped: boolean } | undefined;
  private lockWatchArmed = false;
  private groupWatchArmed = false;
  /** Arming requests in flight, so that retries (every tick) never pile up. */
  private readonly arming = { lock: false, group: false };
  /**
   * Watch events seen so far. A response and a notification can arrive in one socket read: a
   * watch that fired while its arming request was answered is not armed, and is armed again.
   */
  private readonly fired = { lock: 0, group: 0 };
  private troubleSince: number | undefined;

  constructor(private readonly options: LockWatchOptions) {
    this.clock = options.clock ?? systemClock;
    this.lastProvenAt = options.lock?.provenAt ?? this.clock.now();
  }

  /** How long after a proof the child may still be signalled safely, ms. */
  get budgetMs(): number {
    return this.options.session.negotiatedTimeoutMs - this.options.terminationTimeoutMs - SAFETY_MARGIN_S * 1000;
  }

  /** The clock's `now()` at which the last proving request was sent. */
  get lastProof(): number {
    return this.lastProvenAt;
  }

  /** The clock's `now()` by which onLost will have been called unless a new proof arrives. */
  get deadline(): number {
    return this.lastProvenAt + this.budgetMs;
  }

  /**
   * Milliseconds from now until the server could expire the session, less the margin: by then
   * CMD must be dead (the guard process's limit). undefined without a lock (--no-lock).
   */
  remainingMs(): number | undefined {
    if (!this.options.lock) return undefined;
    return this.lastProvenAt + this.options.session.negotiatedTimeoutMs - SAFETY_MARGIN_S * 1000 - this.clock.now();
  }

  /** Starts watching; `onLost` is called at most once, never after {@link stop}. */
  start(onLost: (loss: LossReport) => void): void {
    const { session, lock, log } = this.options;
    this.onLost = onLost;
    session.onExpired(() => this.lose("lock-lost", "ZooKeeper session expired"));
    session.onDisconnected(() => {
      if (this.done) return;
      this.troubleSince ??= this.clock.now();
      if (lock) {
        const left = Math.max(0, this.deadline - this.clock.now()) / 1000;
        log("info", `lost the connection to ZooKeeper; the lock is safe for ${left.toFixed(1)} s more`);
      } else {
        log("info", "lost the connection to ZooKeeper");
      }
    });
    session.onConnected(() => {
      if (this.done) return;
      log("debug", "reconnected to ZooKeeper with the same session; re-checking the lock");
      this.armWatches();
      this.heartbeat();
    });
    this.scheduleDeadline();
    this.heartbeatTimer = this.clock.setInterval(() => this.tick(), HEARTBEAT_INTERVAL_S * 1000);
    this.armWatches();
    this.heartbeat();
  }

  /** Stops every timer and watch reaction; onLost will not be called any more. */
  stop(): void {
    this.done = true;
    this.clearTimers();
  }

  private tick(): void {
    if (this.done) return;
    const inFlight = this.inFlight;
    if (inFlight) {
      if (!inFlight.dropped && this.clock.now() - inFlight.sentAt > HEARTBEAT_STALL_MS) {
        // The client has no read timeout: a frozen or partitioned server looks like a slow one.
        // Dropping the socket makes it move on to the next server with the same session.
        inFlight.dropped = true;
        this.troubleSince ??= inFlight.sentAt;
        this.options.log("info", `ZooKeeper did not answer a heartbeat within ${HEARTBEAT_STALL_MS} ms; reconnecting`);
        this.options.session.dropConnection();
      }
      return;
    }
    if (this.options.session.isConnected) {
      this.heartbeat();
      this.armWatches(); // a watch whose arming failed (timeout) is retried, not forgotten
    }
  }

  private heartbeat(): void {
    if (this.done || this.inFlight) return;
    const { session, lock, prefix } = this.options;
    const sentAt = this.clock.now();
    const inFlight = { sentAt, dropped: false };
    this.inFlight = inFlight;
    const request = lock
      ? session.setData(lock.path, lock.data, -1, this.budgetMs).then((stat) => {
          if (session.owns(stat)) this.prove(sentAt);
          else this.lose("lock-lost", `lock node ${lock.path} now belongs to another session`);
        })
      : session.exists(prefix, this.budgetMs).then(() => undefined);
    request
      .catch((error: unknown) => this.failed(error, "heartbeat"))
      .finally(() => {
        if (this.inFlight === inFlight) this.inFlight = undefined;
      });
  }

  private prove(sentAt: number): void {
    if (this.done || sentAt <= this.lastProvenAt) return;
    this.lastProvenAt = sentAt;
    this.scheduleDeadline();
    if (this.troubleSince !== undefined) {
      const seconds = (this.clock.now() - this.troubleSince) / 1000;
      this.troubleSince = undefined;
      this.options.log("info", `ZooKeeper connection healed after ${seconds.toFixed(1)} s; the lock is still ours`);
    }
  }

  private scheduleDeadline(): void {
    if (!this.options.lock || this.done) return;
    if (this.deadlineTimer !== undefined) this.clock.clearTimeout(this.deadlineTimer);
    const wait = Math.max(0, this.deadline - this.clock.now());
    this.deadlineTimer = this.clock.setTimeout(() => {
      const since = ((this.clock.now() - this.lastProvenAt) / 1000).toFixed(1);
      this.lose(
        "session-unsafe",
        `cannot prove the lock is still ours (last confirmed by ZooKeeper ${since} s ago); ` +
          `stopping the command before the session (${this.options.session.negotiatedTimeoutMs / 1000} s) could expire`,
      );
    }, wait);
  }

  /** Arms the watches that are not armed (first time, after an event, after a failed attempt). */
  private armWatches(): void {
    if (this.options.lock && !this.lockWatchArmed && !this.arming.lock) {
      this.arming.lock = true;
      const seen = this.fired.lock;
      void this.armLockWatch(seen).finally(() => {
        this.arming.lock = false;
        if (this.fired.lock !== seen) this.armWatches();
      });
    }
    if (this.options.group && !this.groupWatchArmed && !this.arming.group) {
      this.arming.group = true;
      const seen = this.fired.group;
      void this.armGroupWatch(seen).finally(() => {
        this.arming.group = false;
        if (this.fired.group !== seen) this.armWatches();
      });
    }
  }

  private readonly onLockEvent = (event: { getType(): number }): void => {
    this.fired.lock++;
    this.lockWatchArmed = false;
    if (this.done || !this.options.lock) return;
    if (event.getType() === Event.NODE_DELETED) {
      this.lose("lock-lost", `lock node ${this.options.lock.path} was deleted`);
      return;
    }
    this.armWatches(); // our own heartbeat changed the data: re-arm and re-check
  };

  private async armLockWatch(seen: number): Promise<void> {
    const { session, lock } = this.options;
    if (!lock || this.done) return;
    try {
      const stat = await session.exists(lock.path, this.budgetMs, this.onLockEvent);
      // Reads on one session never go back behind its own writes, so "gone" is real.
      if (stat === null) this.lose("lock-lost", `lock node ${lock.path} is gone`);
      else if (!session.owns(stat)) this.lose("lock-lost", `lock node ${lock.path} now belongs to another session`);
      else this.lockWatchArmed = this.fired.lock === seen;
    } catch (error) {
      this.failed(error, "lock watch");
    }
  }

  private readonly onGroupEvent = (event: { getType(): number }): void => {
    this.fired.group++;
    this.groupWatchArmed = false;
    if (this.done) return;
    if (event.getType() === Event.NODE_DELETED) {
      this.lose("group-changed", `prefix node ${this.options.prefix} was deleted`);
      return;
    }
    this.armWatches();
  };

  private async armGroupWatch(seen: number): Promise<void> {
    const { session, group, prefix, log } = this.options;
    if (!group || this.done) return;
    try {
      const { data } = await session.getData(prefix, Math.max(this.budgetMs, 1000), this.onGroupEvent);
      this.groupWatchArmed = this.fired.group === seen;
      if (this.done) return;
      const found = membership(data, group.name, group.host);
      if (found.member) log("debug", `prefix data read: ${group.host} is still in group ${group.name}`);
      else this.lose("group-changed", found.detail);
    } catch (error) {
      if (error instanceof ZkCallError && error.code === Exception.NO_NODE) {
        this.lose("group-changed", `prefix node ${prefix} was deleted`);
      } else {
        this.failed(error, "group watch");
      }
    }
  }

  /** A request failed: definitive answers end the run, connection trouble is left to the deadline. */
  private failed(error: unknown, what: string): void {
    if (this.done) return;
    if (!(error instanceof ZkCallError)) throw error;
    const { lock, log } = this.options;
    if (error.code === Exception.NO_NODE && lock) {
      this.lose("lock-lost", `lock node ${lock.path} was deleted`);
    } else if (error.code === Exception.SESSION_EXPIRED) {
      this.lose("lock-lost", "ZooKeeper session expired");
    } else {
      log("debug", `${what} failed: ${error.message}`);
    }
  }

  private lose(reason: LossReport["reason"], detail: string): void {
    if (this.done) return;
    if (!this.options.lock && reason !== "group-changed") {
      // --no-lock: nothing exclusive to protect; only a proven group change stops the job.
      this.options.log("warning", `${detail}; running on without ZooKeeper (--no-lock)`);
      return;
    }
    this.done = true;
    this.clearTimers();
    this.onLost?.({ reason, detail });
  }

  private clearTimers(): void {
    if (this.heartbeatTimer !== undefined) this.clock.clearInterval(this.heartbeatTimer);
    if (this.deadlineTimer !== undefined) this.clock.clearTimeout(this.deadlineTimer);
    this.heartbeatTimer = undefined;
    this.deadlineTimer = undefined;
  }
}
