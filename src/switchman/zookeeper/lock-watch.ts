/**
 * Watches a running job's right to run (SPEC 8.3) and says when it is gone, early enough.
 *
 * The server expires a session a granted timeout after it last heard of it, and only then may
 * another session create the lock. Every member the session may reach grants at least the
 * session's floor (session.ts, member-choice.ts), so the lock is safe until about `lastProvenAt
 * + floor`, where `lastProvenAt` is the *send* time of the last request that proved, in this
 * same session, that the lock node is still ours. CMD must be dead SAFETY_MARGIN_S before that
 * (the kill-by time, remainingMs), which takes `termination_timeout` (SIGTERM, then SIGKILL),
 * so `onLost` is called at the latest at
 * `lastProvenAt + floor - SAFETY_MARGIN_S - termination_timeout - KILL_LEAD_S` (budget.ts).
 *
 * The proof is a heartbeat every HEARTBEAT_INTERVAL_S: a write that changes nothing (a multi
 * request that checks the lock node exists), answered only after the quorum's leader committed
 * it, so a member cut off from the leader (which may keep serving stale reads for up to syncLimit
 * ticks) cannot prove anything; and, sent right behind it, an `exists` whose stat (served after
 * the write, as every read of a session is) shows the node is still ours. The heartbeat never
 * writes to the node: after a partition the path may hold another session's node. A heartbeat
 * unanswered for HEARTBEAT_STALL_S drops the connection (its own timer, to the millisecond) so
 * the session moves to another member. Watches on the lock node and on the prefix data make
 * deletions and group changes take effect at once; they are one-shot and re-armed after every
 * event and every reconnect.
 */
import zookeeper from "node-zookeeper-client";
import { HEARTBEAT_INTERVAL_S, HEARTBEAT_STALL_S, KILL_LEAD_S, SAFETY_MARGIN_S } from "../budget.js";
import { systemClock, type Clock, type TimerHandle } from "../clock.js";
import type { LossReport } from "../coordinator.js";
import { membership } from "./membership.js";
import { ZkCallError, type ZkSession } from "./session.js";
import type { LogFunction } from "../log.js";

const { Exception, Event } = zookeeper;

/**
 * Runs `action` after the answers that have already arrived are read. A starved process (a
 * loaded machine) wakes up with its timers due and answers waiting in its sockets; Node runs
 * the timers first, and a stall or a deadline judged then would ignore answers that came in
 * time. The arithmetic rests on send times, so reading them first changes nothing but that.
 */
function afterPendingIo(action: () => void): void {
  setImmediate(action);
}

/** A heartbeat without an answer for this long makes the client drop the connection and try the next server, ms. */
export const HEARTBEAT_STALL_MS = HEARTBEAT_STALL_S * 1000;

/** What the lock watch uses of a session (a fake one in unit tests). */
export type LockWatchSession = Pick<
  ZkSession,
  | "floorMs"
  | "isConnected"
  | "owns"
  | "onConnected"
  | "onDisconnected"
  | "onExpired"
  | "onShortened"
  | "dropConnection"
  | "getData"
  | "exists"
  | "checkNode"
> &
  Partial<Pick<ZkSession, "checkNodes">>;

/** What the lock watch watches. */
export interface LockWatchOptions {
  session: LockWatchSession;
  prefix: string;
  /** The held lock; absent with --no-lock (then connection trouble stops nothing, unless leases are held). */
  lock?: { path: string; data: Buffer; provenAt: number };
  /**
   * The held lease nodes (issue 16, lease/zookeeper.ts): proven by the same heartbeat, watched
   * like the lock, under the same budget; `provenAt` as the lock's (when both are given, the lock's counts).
   */
  leases?: { paths: readonly string[]; provenAt: number };
  /** The group whose membership must last; absent without --group. */
  group?: { name: string; host: string };
  terminationTimeoutMs: number;
  log: LogFunction;
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
  private inFlight: { sentAt: number; stall: TimerHandle } | undefined;
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
  /** Lease watches: armed, being armed, and events seen per lease node (as for the lock). */
  private readonly leaseArmed = new Set<string>();
  private readonly leaseArming = new Set<string>();
  private readonly leaseFired = new Map<string, number>();

  constructor(private readonly options: LockWatchOptions) {
    this.clock = options.clock ?? systemClock;
    this.lastProvenAt = options.lock?.provenAt ?? options.leases?.provenAt ?? this.clock.now();
  }

  /** True when something exclusive is held (the lock, or a lease): then losing the proof stops CMD. */
  private get guarded(): boolean {
    return this.options.lock !== undefined || (this.options.leases?.paths.length ?? 0) > 0;
  }

  /** Every node the heartbeat proves: the lock first, then the leases. */
  private get heldPaths(): string[] {
    return [...(this.options.lock ? [this.options.lock.path] : []), ...(this.options.leases?.paths ?? [])];
  }

  /** The session timeout the budget rests on, ms: the session's floor. */
  get sessionMs(): number {
    const floor = this.options.session.floorMs;
    if (floor === undefined) throw new Error("LockWatch: the session has no floor (not connected yet)");
    return floor;
  }

  /** How long after a proof the child may still be signalled safely, ms. */
  get budgetMs(): number {
    return this.sessionMs - SAFETY_MARGIN_S * 1000 - this.options.terminationTimeoutMs - KILL_LEAD_S * 1000;
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
    if (!this.guarded) return undefined;
    return this.lastProvenAt + this.sessionMs - SAFETY_MARGIN_S * 1000 - this.clock.now();
  }

  /** Starts watching; `onLost` is called at most once, never after {@link stop}. */
  start(onLost: (loss: LossReport) => void): void {
    const { session, log } = this.options;
    this.onLost = onLost;
    session.onExpired(() => this.lose("lock-lost", "ZooKeeper session expired"));
    session.onShortened((grantedMs, member) =>
      this.lose(
        "session-unsafe",
        `ZooKeeper member ${member} granted only ${grantedMs / 1000} s on a reconnect, less than the ${this.sessionMs / 1000} s ` +
          "the safety budget rests on (its session limits changed since it was asked)",
      ),
    );
    session.onDisconnected(() => {
      if (this.done) return;
      this.troubleSince ??= this.clock.now();
      if (this.guarded) {
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
    if (this.done || this.inFlight) return;
    if (this.options.session.isConnected) {
      this.heartbeat();
      this.armWatches(); // a watch whose arming failed (timeout) is retried, not forgotten
    }
  }

  private heartbeat(): void {
    if (this.done || this.inFlight) return;
    const { session, lock, prefix } = this.options;
    const sentAt = this.clock.now();
    const stall = this.clock.setTimeout(
      () =>
        afterPendingIo(() => {
          if (this.done || this.inFlight !== inFlight) return;
          // The client has no read timeout: a frozen or partitioned server looks like a slow one.
          // Dropping the socket makes it move on to another member with the same session.
          this.troubleSince ??= sentAt;
          this.options.log("info", `ZooKeeper did not answer a heartbeat within ${HEARTBEAT_STALL_MS} ms; reconnecting`);
          session.dropConnection();
        }),
      HEARTBEAT_STALL_MS,
    );
    const inFlight = { sentAt, stall };
    this.inFlight = inFlight;
    const timeoutMs = Math.max(this.budgetMs, 1000);
    let request: Promise<void>;
    const held = this.heldPaths;
    if (held.length > 1 || (held.length === 1 && !lock)) {
      // Lock and leases in one multi request (all must exist), then each owner, in this order.
      const proof =
        held.length === 1 || session.checkNodes === undefined
          ? Promise.all(held.map((path) => session.checkNode(path, timeoutMs)))
          : session.checkNodes(held, timeoutMs);
      const owners = Promise.all(held.map((path) => session.exists(path, timeoutMs)));
      request = Promise.all([proof, owners]).then(([, stats]) => {
        const bad = stats.findIndex((stat) => !session.owns(stat));
        const path = held[bad] as string;
        if (bad < 0) this.prove(sentAt);
        else if (stats[bad] === null) this.lose(this.lossOf(path), `${this.nodeName(path)} is gone`);
        else this.lose(this.lossOf(path), `${this.nodeName(path)} now belongs to another session`);
      });
    } else if (lock) {
      // Both go out in this tick, in this order: the stat is read after the write committed.
      const proof = session.checkNode(lock.path, timeoutMs);
      const owner = session.exists(lock.path, timeoutMs);
      request = Promise.all([proof, owner]).then(([, stat]) => {
        if (stat === null) this.lose("lock-lost", `lock node ${lock.path} is gone`);
        else if (session.owns(stat)) this.prove(sentAt);
        else this.lose("lock-lost", `lock node ${lock.path} now belongs to another session`);
      });
    } else {
      request = session.exists(prefix, timeoutMs).then(() => undefined);
    }
    request
      .catch((error: unknown) => this.failed(error, "heartbeat"))
      .finally(() => {
        this.clock.clearTimeout(stall);
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
    if (!this.guarded || this.done) return;
    if (this.deadlineTimer !== undefined) this.clock.clearTimeout(this.deadlineTimer);
    const wait = Math.max(0, this.deadline - this.clock.now());
    this.deadlineTimer = this.clock.setTimeout(
      () =>
        afterPendingIo(() => {
          if (this.done) return;
          // A proof answered meanwhile moved the deadline (or the timer, rounded to whole
          // milliseconds, fired a fraction early): wait for the deadline as it is now.
          if (this.clock.now() < this.deadline) {
            this.scheduleDeadline();
            return;
          }
          const since = ((this.clock.now() - this.lastProvenAt) / 1000).toFixed(1);
          this.lose(
            "session-unsafe",
            `cannot prove the lock is still ours (last confirmed by ZooKeeper ${since} s ago); ` +
              `stopping the command before the session (${this.sessionMs / 1000} s) could expire`,
          );
        }),
      wait,
    );
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
    for (const path of this.options.leases?.paths ?? []) {
      if (this.leaseArmed.has(path) || this.leaseArming.has(path)) continue;
      this.leaseArming.add(path);
      const seen = this.leaseFired.get(path) ?? 0;
      void this.armLeaseWatch(path, seen).finally(() => {
        this.leaseArming.delete(path);
        if ((this.leaseFired.get(path) ?? 0) !== seen) this.armWatches();
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
    this.armWatches(); // someone changed the node's data: re-arm, and re-check whose it is
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

  private async armLeaseWatch(path: string, seen: number): Promise<void> {
    const { session } = this.options;
    if (this.done) return;
    const onEvent = (event: { getType(): number }): void => {
      this.leaseFired.set(path, (this.leaseFired.get(path) ?? 0) + 1);
      this.leaseArmed.delete(path);
      if (this.done) return;
      if (event.getType() === Event.NODE_DELETED) this.lose("lease-lost", `lease node ${path} was deleted`);
      else this.armWatches();
    };
    try {
      const stat = await session.exists(path, this.budgetMs, onEvent);
      if (stat === null) this.lose("lease-lost", `lease node ${path} is gone`);
      else if (!session.owns(stat)) this.lose("lease-lost", `lease node ${path} now belongs to another session`);
      else if ((this.leaseFired.get(path) ?? 0) === seen) this.leaseArmed.add(path);
    } catch (error) {
      this.failed(error, "lease watch");
    }
  }

  /** The loss a held node's trouble is: the lock's or a lease's. */
  private lossOf(path: string): LossReport["reason"] {
    return path === this.options.lock?.path ? "lock-lost" : "lease-lost";
  }

  private nodeName(path: string): string {
    return `${path === this.options.lock?.path ? "lock" : "lease"} node ${path}`;
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
    if (error.code === Exception.NO_NODE && lock && !this.options.leases) {
      this.lose("lock-lost", `lock node ${lock.path} was deleted`);
    } else if (error.code === Exception.NO_NODE && this.guarded) {
      this.lose(lock ? "lock-lost" : "lease-lost", `a held node was deleted (${error.message})`);
    } else if (error.code === Exception.SESSION_EXPIRED) {
      this.lose("lock-lost", "ZooKeeper session expired");
    } else {
      log("debug", `${what} failed: ${error.message}`);
    }
  }

  private lose(reason: LossReport["reason"], detail: string): void {
    if (this.done) return;
    if (!this.guarded && reason !== "group-changed") {
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
    if (this.inFlight !== undefined) this.clock.clearTimeout(this.inFlight.stall);
    this.heartbeatTimer = undefined;
    this.deadlineTimer = undefined;
  }
}
