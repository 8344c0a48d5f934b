// The lock watch's budget logic (docs/switchman-zookeeper.md, "the safety budget") on a fake clock
// and a fake session: exact instants instead of ±0.5 s windows against a real server (those stay
// in test/system/switchman/zookeeper/, for what only a real server shows).
import { test } from "node:test";
import assert from "node:assert/strict";
import zookeeper, { type Stat } from "node-zookeeper-client";
import { DETECTION_BUDGET_S, FAILOVER_S, HEARTBEAT_INTERVAL_S, KILL_LEAD_S, SAFETY_MARGIN_S } from "../../src/switchman/budget.js";
import type { Clock, TimerHandle } from "../../src/switchman/clock.js";
import type { LossReport } from "../../src/switchman/coordinator.js";
import { HEARTBEAT_STALL_MS, LockWatch, type LockWatchSession } from "../../src/switchman/zookeeper/lock-watch.js";
import { ZkCallError } from "../../src/switchman/zookeeper/session.js";

/** Timers that fire only when the test advances time. */
class FakeClock implements Clock {
  private t = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void; every?: number }>();

  /**
   * `earlyMs`: timeouts fire that much before they are due, with at least 1 ms of delay, as
   * Node's do (its timer clock counts whole milliseconds).
   */
  constructor(private readonly earlyMs = 0) {}

  now(): number {
    return this.t;
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const delay = this.earlyMs > 0 ? Math.max(1, ms) - this.earlyMs : ms;
    this.timers.set(this.nextId, { at: this.t + delay, callback });
    return this.nextId++;
  }
  setInterval(callback: () => void, ms: number): TimerHandle {
    this.timers.set(this.nextId, { at: this.t + ms, callback, every: ms });
    return this.nextId++;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  /** Timers still armed. */
  get pending(): number {
    return this.timers.size;
  }
  /** Runs `action` right before the next timer's callback (an answer read in the same wake-up). */
  onNextTimer(action: () => void): void {
    this.beforeNext = action;
  }
  private beforeNext: (() => void) | undefined;
  /** Moves time to `to`, firing due timers in order and letting promise callbacks run after each. */
  async advanceTo(to: number): Promise<void> {
    await settle();
    for (;;) {
      let next: [number, { at: number; callback: () => void; every?: number }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= to && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      const [id, timer] = next;
      this.t = timer.at;
      if (timer.every === undefined) this.timers.delete(id);
      else timer.at += timer.every;
      const before = this.beforeNext;
      this.beforeNext = undefined;
      before?.();
      timer.callback();
      await settle();
    }
    this.t = to;
  }
}

/** Lets every queued promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const OURS = Buffer.from("00000000000000aa", "hex");
const THEIRS = Buffer.from("00000000000000bb", "hex");
const stat = (owner: Buffer): Stat => ({ ephemeralOwner: owner }) as unknown as Stat;
type Watcher = (event: { getType(): number }) => void;

/** One heartbeat: the no-op write (check) and the owner read sent right behind it, answered together. */
interface Heartbeat {
  sentAt: number;
  /** Answers the check and the read; the read finds the node owned by `owner` (null: no node). */
  answer: (owner?: Buffer | null) => void;
  fail: (code: number | "TIMEOUT") => void;
  /** The owner read, once sent. */
  owner?: Promise<Stat | null>;
}

/** A session whose heartbeats are answered only when the test says so. */
class FakeSession implements LockWatchSession {
  floorMs: number | undefined = 7000;
  isConnected = true;
  drops = 0;
  readonly heartbeats: Heartbeat[] = [];
  lockWatcher: Watcher | undefined;
  private readonly listeners = {
    connected: [] as (() => void)[],
    disconnected: [] as (() => void)[],
    expired: [] as (() => void)[],
    shortened: [] as ((grantedMs: number, member: string) => void)[],
  };

  constructor(private readonly clock: FakeClock) {}

  owns(s: Stat | null): boolean {
    return s !== null && s.ephemeralOwner.equals(OURS);
  }
  onConnected(listener: () => void): void {
    this.listeners.connected.push(listener);
  }
  onDisconnected(listener: () => void): void {
    this.listeners.disconnected.push(listener);
  }
  onExpired(listener: () => void): void {
    this.listeners.expired.push(listener);
  }
  onShortened(listener: (grantedMs: number, member: string) => void): void {
    this.listeners.shortened.push(listener);
  }
  expire(): void {
    this.listeners.expired.forEach((l) => l());
  }
  reconnect(): void {
    this.listeners.connected.forEach((l) => l());
  }
  shorten(grantedMs: number): void {
    this.listeners.shortened.forEach((l) => l(grantedMs, "zk2:2181"));
  }
  dropConnection(): void {
    this.drops++;
  }
  checkNode(): Promise<void> {
    return new Promise((resolve, reject) => {
      let answerOwner: (owner: Buffer | null) => void = () => undefined;
      const heartbeat: Heartbeat = {
        sentAt: this.clock.now(),
        answer: (owner = OURS) => {
          resolve();
          answerOwner(owner);
        },
        fail: (code) => {
          reject(new ZkCallError("heartbeat failed", code));
          answerOwner(OURS);
        },
      };
      heartbeat.owner = new Promise((resolveOwner) => (answerOwner = (owner) => resolveOwner(owner === null ? null : stat(owner))));
      this.heartbeats.push(heartbeat);
    });
  }
  exists(_path: string, _timeoutMs: number, watcher?: Watcher): Promise<Stat | null> {
    if (watcher === undefined) {
      // The heartbeat's owner read, sent right behind its check.
      const owner = this.heartbeats.at(-1)?.owner;
      assert.ok(owner, "an owner read without a check before it");
      return owner;
    }
    this.lockWatcher = watcher;
    return Promise.resolve(stat(OURS));
  }
  getData(): Promise<{ data: Buffer | undefined; stat: Stat }> {
    return Promise.resolve({ data: Buffer.from("{}"), stat: stat(OURS) });
  }
}

/**
 * A started lock watch: floor 7 s (the smallest session the config accepts with termination_timeout
 * 1 s), margin 2 s, kill lead 0.25 s → loss 3.75 s after each proof, kill-by 5 s after it.
 */
function started(options: { floorMs?: number; startAt?: number; earlyMs?: number } = {}) {
  const clock = new FakeClock(options.earlyMs);
  const session = new FakeSession(clock);
  session.floorMs = options.floorMs ?? 7000;
  const losses: { at: number; loss: LossReport; remainingMs: number | undefined }[] = [];
  return (async () => {
    await clock.advanceTo(options.startAt ?? 0);
    const watch = new LockWatch({
      session,
      prefix: "/p",
      lock: { path: "/p/locks/job", data: Buffer.from("box1 1"), provenAt: clock.now() },
      terminationTimeoutMs: 1000,
      log: () => undefined,
      clock,
    });
    watch.start((loss) => losses.push({ at: clock.now(), loss, remainingMs: watch.remainingMs() }));
    await settle();
    return { clock, session, watch, losses };
  })();
}

test("budget: floor − margin − termination_timeout − kill lead after the last proof; remainingMs counts to the kill-by time", async () => {
  const { clock, watch } = await started({ startAt: 1000 });
  assert.equal(watch.budgetMs, 7000 - SAFETY_MARGIN_S * 1000 - 1000 - KILL_LEAD_S * 1000);
  assert.equal(watch.budgetMs, (DETECTION_BUDGET_S - KILL_LEAD_S) * 1000, "at the smallest session, the detection budget less the lead");
  assert.equal(watch.lastProof, 1000);
  assert.equal(watch.deadline, 4750);
  assert.equal(watch.remainingMs(), 1000 + 7000 - 2000 - 1000);
  await clock.advanceTo(2500);
  assert.equal(watch.remainingMs(), 3500);
  watch.stop();
});

test("the budget rests on the session's floor, not on what the current member granted", async () => {
  const { session, watch } = await started({ floorMs: 20_000 });
  assert.equal(watch.budgetMs, 20_000 - 2000 - 1000 - 250);
  session.floorMs = undefined;
  assert.throws(() => watch.budgetMs, /no floor/);
  session.floorMs = 20_000;
  watch.stop();
});

test("the deadline moves only on a proof whose send time is later, to send time + budget (not answer time)", async () => {
  const { clock, session, watch, losses } = await started({ startAt: 1000 });
  // The first heartbeat went out with the lock's own proof (same instant): no later, no move.
  assert.equal(session.heartbeats.length, 1);
  await clock.advanceTo(1400);
  session.heartbeats[0]?.answer();
  await settle();
  assert.equal(watch.deadline, 4750);
  // The next one is sent on the tick at 2000 and answered 800 ms later.
  await clock.advanceTo(2000);
  assert.equal(session.heartbeats.length, 2);
  assert.equal(session.heartbeats[1]?.sentAt, 2000);
  await clock.advanceTo(2800);
  session.heartbeats[1]?.answer();
  await settle();
  assert.equal(watch.lastProof, 2000);
  assert.equal(watch.deadline, 5750, "send time + budget");
  // A heartbeat whose owner read finds another session's node proves nothing: it is a loss.
  await clock.advanceTo(3000);
  session.heartbeats[2]?.answer(THEIRS);
  await settle();
  assert.equal(watch.deadline, 5750);
  assert.equal(losses.length, 1);
  assert.equal(losses[0]?.loss.reason, "lock-lost");
  assert.match(losses[0]?.loss.detail ?? "", /belongs to another session/);
});

test("the deadline timer is re-armed on every proof: it fires at the new deadline, never at an old one", async () => {
  const { clock, session, losses } = await started();
  await clock.advanceTo(500);
  session.heartbeats[0]?.answer(); // sent at 0: not later than the lock's proof at 0
  await clock.advanceTo(1000);
  session.heartbeats[1]?.answer(); // sent at 1000
  await settle();
  await clock.advanceTo(4749);
  assert.equal(losses.length, 0, "the old deadline (3750) was cleared");
  await clock.advanceTo(4750);
  assert.deepEqual(losses.map((l) => [l.at, l.loss.reason]), [[4750, "session-unsafe"]]);
  assert.equal(clock.pending, 0, "no timer left after the loss");
});

test("a stalled heartbeat drops the connection once, HEARTBEAT_STALL_MS after it was sent; a later stalled heartbeat once more", async () => {
  const { clock, session, watch } = await started({ floorMs: 20_000 }); // budget 16.75 s: time to watch
  // Sent at 0, never answered: dropped at 1500 exactly (its own timer, not a 1 s tick).
  await clock.advanceTo(HEARTBEAT_STALL_MS - 1);
  assert.equal(session.drops, 0);
  await clock.advanceTo(HEARTBEAT_STALL_MS);
  assert.equal(session.drops, 1);
  await clock.advanceTo(9000);
  assert.equal(session.drops, 1, "once per stalled heartbeat");
  assert.equal(session.heartbeats.length, 1, "no second heartbeat while one is in flight");
  // The request fails at last (connection loss): the next tick sends a new one, which stalls too.
  session.heartbeats[0]?.fail(zookeeper.Exception.CONNECTION_LOSS);
  await clock.advanceTo(10_000);
  assert.equal(session.heartbeats.length, 2);
  await clock.advanceTo(10_000 + HEARTBEAT_STALL_MS);
  assert.equal(session.drops, 2);
  watch.stop();
});

test("at the smallest session the config accepts, a failover that takes FAILOVER_S after a stalled heartbeat keeps the lock", async () => {
  const { clock, session, watch, losses } = await started();
  await clock.advanceTo(10);
  session.heartbeats[0]?.answer(); // proof at 0, the worst case: the fault starts right after this answer
  const stalled = HEARTBEAT_INTERVAL_S * 1000; // the next heartbeat, never answered
  await clock.advanceTo(stalled + HEARTBEAT_STALL_MS);
  assert.equal(session.drops, 1);
  session.isConnected = false;
  session.heartbeats[1]?.fail(zookeeper.Exception.CONNECTION_LOSS); // the client fails what was sent on the dropped socket
  // Another member answers the probes and the reconnect within FAILOVER_S; the heartbeat sent at once proves the lock.
  const reconnectedAt = stalled + HEARTBEAT_STALL_MS + FAILOVER_S * 1000 - 60;
  await clock.advanceTo(reconnectedAt);
  assert.equal(session.heartbeats.length, 2, "no heartbeat while disconnected");
  session.isConnected = true;
  session.reconnect();
  assert.equal(session.heartbeats.length, 3, "a heartbeat right after the reconnect");
  await clock.advanceTo(reconnectedAt + 50);
  session.heartbeats[2]?.answer();
  await settle();
  assert.equal(watch.lastProof, reconnectedAt);
  await clock.advanceTo(watch.budgetMs + 1);
  assert.deepEqual(losses, [], "the old deadline passed without a loss");
  watch.stop();
});

test("a reconnect answered with less than the floor is a loss at once", async () => {
  const { clock, session, losses } = await started({ floorMs: 20_000 });
  await clock.advanceTo(3000);
  session.shorten(6000);
  assert.deepEqual(losses.map((l) => [l.at, l.loss.reason]), [[3000, "session-unsafe"]]);
  assert.match(losses[0]?.loss.detail ?? "", /zk2:2181 granted only 6 s on a reconnect, less than the 20 s/);
});

test("onLost is called once, at the deadline, when nothing proves the lock; remainingMs is termination_timeout + kill lead then", async () => {
  const { clock, session, losses } = await started();
  await clock.advanceTo(3749);
  assert.equal(losses.length, 0);
  await clock.advanceTo(3750);
  assert.equal(losses.length, 1);
  assert.equal(losses[0]?.at, 3750);
  assert.equal(losses[0]?.loss.reason, "session-unsafe");
  assert.equal(
    losses[0]?.remainingMs,
    1000 + KILL_LEAD_S * 1000,
    "SIGTERM now, switchman's SIGKILL termination_timeout later, the guard's only kill lead after that",
  );
  // Whatever comes next, no second call.
  session.expire();
  session.lockWatcher?.({ getType: () => zookeeper.Event.NODE_DELETED });
  session.heartbeats[0]?.answer(THEIRS);
  await clock.advanceTo(60_000);
  assert.equal(losses.length, 1);
});

test("a deadline timer that fires a fraction early still ends in onLost, at the deadline", async () => {
  const { clock, losses } = await started({ earlyMs: 0.5 });
  await clock.advanceTo(3749.9);
  assert.equal(losses.length, 0, "not before the deadline");
  await clock.advanceTo(3751);
  assert.deepEqual(losses.map((l) => [l.at, l.loss.reason]), [[3750, "session-unsafe"]]);
});

test("a heartbeat answered while the process was starved counts: the deadline timer and the answer due together, the answer wins", async () => {
  const { clock, session, watch, losses } = await started();
  await clock.advanceTo(10);
  session.heartbeats[0]?.answer(); // sent with the lock's own proof at 0
  await clock.advanceTo(1000);
  assert.equal(session.heartbeats[1]?.sentAt, 1000, "then unanswered until the process wakes up at the deadline");
  await clock.advanceTo(3749);
  // The answer is read in the same wake-up in which the deadline timer (3750) is due.
  clock.onNextTimer(() => session.heartbeats[1]?.answer());
  await clock.advanceTo(3750);
  assert.equal(losses.length, 0, "the proof sent at 1000 moved the deadline to 4750");
  assert.equal(watch.deadline, 4750);
  await clock.advanceTo(4750);
  assert.deepEqual(losses.map((l) => [l.at, l.loss.reason]), [[4750, "session-unsafe"]], "and the new deadline still holds");
});

test("a loss before the deadline (session expired) is the one call; the deadline does not fire after it", async () => {
  const { clock, session, losses } = await started();
  await clock.advanceTo(1200);
  session.expire();
  assert.deepEqual(losses.map((l) => [l.at, l.loss.reason, l.loss.detail]), [[1200, "lock-lost", "ZooKeeper session expired"]]);
  await clock.advanceTo(10_000);
  assert.equal(losses.length, 1);
});

test("never after stop(): no deadline, no watch event, no expiry, no late answer calls onLost; no timer is left", async () => {
  const { clock, session, watch, losses } = await started();
  await clock.advanceTo(1000);
  watch.stop();
  assert.equal(clock.pending, 0);
  await clock.advanceTo(30_000);
  session.expire();
  session.lockWatcher?.({ getType: () => zookeeper.Event.NODE_DELETED });
  session.heartbeats.forEach((h) => h.answer(THEIRS));
  await settle();
  assert.equal(losses.length, 0);
});
