// The lock watch's budget logic (docs/switchman-zookeeper.md, "the safety budget") on a fake clock
// and a fake session: exact instants instead of ±0.5 s windows against a real server (those stay
// in test/system/switchman/zookeeper/, for what only a real server shows).
import { test } from "node:test";
import assert from "node:assert/strict";
import zookeeper, { type Stat } from "node-zookeeper-client";
import type { Clock, TimerHandle } from "../../src/switchman/clock.js";
import type { LossReport } from "../../src/switchman/coordinator.js";
import { HEARTBEAT_STALL_MS, LockWatch, type LockWatchSession } from "../../src/switchman/zookeeper/lock-watch.js";
import { ZkCallError } from "../../src/switchman/zookeeper/session.js";

/** Timers that fire only when the test advances time. */
class FakeClock implements Clock {
  private t = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void; every?: number }>();

  now(): number {
    return this.t;
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    this.timers.set(this.nextId, { at: this.t + ms, callback });
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

/** A session whose heartbeats (setData) are answered only when the test says so. */
class FakeSession implements LockWatchSession {
  negotiatedTimeoutMs = 6000;
  isConnected = true;
  drops = 0;
  readonly heartbeats: { sentAt: number; answer: (owner?: Buffer) => void; fail: (code: number | "TIMEOUT") => void }[] = [];
  lockWatcher: Watcher | undefined;
  private readonly listeners = { connected: [] as (() => void)[], disconnected: [] as (() => void)[], expired: [] as (() => void)[] };

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
  expire(): void {
    this.listeners.expired.forEach((l) => l());
  }
  dropConnection(): void {
    this.drops++;
  }
  setData(): Promise<Stat> {
    return new Promise((resolve, reject) => {
      this.heartbeats.push({
        sentAt: this.clock.now(),
        answer: (owner = OURS) => resolve(stat(owner)),
        fail: (code) => reject(new ZkCallError("heartbeat failed", code)),
      });
    });
  }
  exists(_path: string, _timeoutMs: number, watcher?: Watcher): Promise<Stat | null> {
    this.lockWatcher = watcher;
    return Promise.resolve(stat(OURS));
  }
  getData(): Promise<{ data: Buffer | undefined; stat: Stat }> {
    return Promise.resolve({ data: Buffer.from("{}"), stat: stat(OURS) });
  }
}

/** A started lock watch: session 6 s, termination_timeout 1 s, margin 2 s → budget 3 s after each proof. */
function started(options: { negotiatedMs?: number; startAt?: number } = {}) {
  const clock = new FakeClock();
  const session = new FakeSession(clock);
  session.negotiatedTimeoutMs = options.negotiatedMs ?? 6000;
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

test("budget: negotiated − termination_timeout − margin after the last proof; remainingMs counts to the session's end less the margin", async () => {
  const { clock, watch } = await started({ startAt: 1000 });
  assert.equal(watch.budgetMs, 6000 - 1000 - 2000);
  assert.equal(watch.lastProof, 1000);
  assert.equal(watch.deadline, 4000);
  assert.equal(watch.remainingMs(), 1000 + 6000 - 2000 - 1000);
  await clock.advanceTo(2500);
  assert.equal(watch.remainingMs(), 2500);
  watch.stop();
});

test("the deadline moves only on a proof whose send time is later, to send time + budget (not answer time)", async () => {
  const { clock, session, watch, losses } = await started({ startAt: 1000 });
  // The first heartbeat went out with the lock's own proof (same instant): no later, no move.
  assert.equal(session.heartbeats.length, 1);
  await clock.advanceTo(1500);
  session.heartbeats[0]?.answer();
  await settle();
  assert.equal(watch.deadline, 4000);
  // The next one is sent on the tick at 2000 and answered 800 ms later.
  await clock.advanceTo(2000);
  assert.equal(session.heartbeats.length, 2);
  assert.equal(session.heartbeats[1]?.sentAt, 2000);
  await clock.advanceTo(2800);
  session.heartbeats[1]?.answer();
  await settle();
  assert.equal(watch.lastProof, 2000);
  assert.equal(watch.deadline, 5000, "send time + budget");
  // A heartbeat answered with a stat of another session proves nothing: it is a loss.
  await clock.advanceTo(3000);
  session.heartbeats[2]?.answer(THEIRS);
  await settle();
  assert.equal(watch.deadline, 5000);
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
  await clock.advanceTo(3999);
  assert.equal(losses.length, 0, "the old deadline (3000) was cleared");
  await clock.advanceTo(4000);
  assert.deepEqual(losses.map((l) => [l.at, l.loss.reason]), [[4000, "session-unsafe"]]);
  assert.equal(clock.pending, 0, "no timer left after the loss");
});

test("a stalled heartbeat drops the connection once; a later stalled heartbeat once more", async () => {
  const { clock, session, watch } = await started({ negotiatedMs: 20_000 }); // budget 17 s: time to watch
  // Sent at 0, never answered: the ticks at 1000 (1 s old) do nothing, 2000 (> 1.5 s) drops.
  await clock.advanceTo(1000);
  assert.equal(session.drops, 0);
  await clock.advanceTo(2000);
  assert.equal(session.drops, 1);
  assert.ok(2000 - (session.heartbeats[0]?.sentAt ?? 0) > HEARTBEAT_STALL_MS);
  await clock.advanceTo(9000);
  assert.equal(session.drops, 1, "once per stalled heartbeat");
  assert.equal(session.heartbeats.length, 1, "no second heartbeat while one is in flight");
  // The request fails at last (connection loss): the next tick sends a new one, which stalls too.
  session.heartbeats[0]?.fail(zookeeper.Exception.CONNECTION_LOSS);
  await clock.advanceTo(10_000);
  assert.equal(session.heartbeats.length, 2);
  await clock.advanceTo(12_000);
  assert.equal(session.drops, 2);
  watch.stop();
});

test("onLost is called once, at the deadline, when nothing proves the lock; remainingMs is termination_timeout then", async () => {
  const { clock, session, losses } = await started();
  await clock.advanceTo(2999);
  assert.equal(losses.length, 0);
  await clock.advanceTo(3000);
  assert.equal(losses.length, 1);
  assert.equal(losses[0]?.at, 3000);
  assert.equal(losses[0]?.loss.reason, "session-unsafe");
  assert.equal(losses[0]?.remainingMs, 1000, "SIGTERM now, SIGKILL termination_timeout later: dead 2 s before the server could expire the session");
  // Whatever comes next, no second call.
  session.expire();
  session.lockWatcher?.({ getType: () => zookeeper.Event.NODE_DELETED });
  session.heartbeats[0]?.answer(THEIRS);
  await clock.advanceTo(60_000);
  assert.equal(losses.length, 1);
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
