/**
 * Leases in ZooKeeper (issue 16, SPEC 8.2): a fair FIFO semaphore per resource, on the layout of
 * App::switchman 1.16 (Net::ZooKeeper::Semaphore 0.02, Net::ZooKeeper::Lock 0.03), so that both
 * count in the same semaphore during a migration (docs/switchman-leases.md):
 *
 *   <prefix>/queues/<resource>/<lockname>-<seq>                 the FIFO queue (ephemeral, sequential)
 *   <prefix>/semaphores/<resource>/lock/acquire-<seq>           the semaphore's own lock (ditto)
 *   <prefix>/semaphores/<resource>/leases/<count>_<total>_<seq> one per holder (ditto)
 *
 * every node with the data `"<fqdn> <pid>"`. A run joins the queue and waits until no earlier
 * entry is left, watching only the entry right before its own (no polling: a waiter sends
 * requests only when that entry goes). At the head it takes the semaphore's lock (the same
 * recipe), counts the leases and creates its own under that lock, then leaves the queue; when
 * the semaphore is full it lets the lock go and waits on a child watch of `leases` armed by the
 * very read that counted. Safety decisions where App::switchman differs:
 *
 * - a sequential create whose answer is lost is resolved by ownership: a write through the
 *   leader (which orders it after the lost create, if that was ever accepted) and then the
 *   children read, each candidate's `ephemeralOwner` compared with our session; ours is used,
 *   duplicates of ours are deleted; only when none is ours is the create sent again;
 * - a TOTAL that differs between holders never crashes: the smallest among the current holders
 *   and the newcomer is the limit (types.ts `fits`);
 * - resources are taken one at a time in one global order (by name), each queue left as soon
 *   as its lease is held: App::switchman joins every queue at once, which can deadlock two runs
 *   that share two resources;
 * - waiting is bounded by `--wait`; losing our queue entry, the session or ZooKeeper for longer
 *   than the request budget ends the start-up (the caller closes the session, so every node of
 *   ours provably goes).
 */
import zookeeper from "node-zookeeper-client";
import { SwitchmanError } from "../coordinator.js";
import { ZkCallError, type ZkSession } from "./session.js";
import { fits, leaseOrder, type LeaseRequest } from "../lease/types.js";
import type { LogFunction } from "../log.js";

const { Exception, CreateMode } = zookeeper;

/** Pause before a request is retried after a connection loss, ms (the client reconnects meanwhile). */
const RETRY_PAUSE_MS = 100;
/** One request waits at most this long for its answer, ms (then it is retried, within the trouble budget). */
const REQUEST_TIMEOUT_MS = 3000;

/** `<prefix>/queues/<resource>` */
export function queuePath(prefix: string, resource: string): string {
  return `${prefix}/queues/${resource}`;
}

/** `<prefix>/semaphores/<resource>` */
export function semaphorePath(prefix: string, resource: string): string {
  return `${prefix}/semaphores/${resource}`;
}

/** What taking the leases needs. */
export interface ZkLeaseOptions {
  session: ZkSession;
  prefix: string;
  /** The queue entries are `<lockname>-<seq>`, as App::switchman names them. */
  lockname: string;
  /** `"<fqdn> <pid>"`, the data of every node we create. */
  data: Buffer;
  leases: readonly LeaseRequest[];
  /** performance.now() after which waiting is given up (`--wait`); undefined: no limit. */
  waitUntil?: number | undefined;
  /** ZooKeeper may fail to answer this long in a row before the start-up ends with 75, ms. */
  troubleBudgetMs: number;
  /** Aborted when switchman is told to stop: waiting ends at once. */
  signal: AbortSignal;
  log: LogFunction;
}

/** Either every lease is held (the lease nodes' paths), or the wait limit came first. */
export type ZkLeaseOutcome = { held: true; paths: string[] } | { held: false; waited: string };

/** Thrown inside when the wait limit is reached; turned into `{ held: false }`. */
class WaitLimit extends Error {}

/** A parsed child name ending in a ZooKeeper sequence number. */
function sequence(name: string): number | undefined {
  const match = /-(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** One lease node's name, `<count>_<total>_<seq>`; undefined when it cannot be read. */
export function parseLeaseName(name: string): { count: number; total: number } | undefined {
  const match = /^(-?\d+)_(\d+)_/.exec(name);
  if (!match) return undefined;
  const count = Number(match[1]);
  const total = Number(match[2]);
  return Number.isSafeInteger(count) && Number.isSafeInteger(total) ? { count, total } : undefined;
}

/** A one-shot watch as a promise: `fire` is the watcher, `event` settles when it fires. */
function oneShot(): { fire: () => void; event: Promise<void> } {
  let fire!: () => void;
  const event = new Promise<void>((resolve) => (fire = resolve));
  return { fire: () => fire(), event };
}

/** Takes every lease, in the global order; see the module comment. */
export async function acquireZkLeases(options: ZkLeaseOptions): Promise<ZkLeaseOutcome> {
  const semaphore = new ZkSemaphores(options);
  const paths: string[] = [];
  try {
    for (const lease of leaseOrder(options.leases)) paths.push(await semaphore.take(lease));
    return { held: true, paths };
  } catch (error) {
    if (error instanceof WaitLimit) return { held: false, waited: error.message };
    throw error;
  } finally {
    semaphore.dispose();
  }
}

/** The request helpers, waits and the recipe; one instance per start-up. */
class ZkSemaphores {
  private readonly s: ZkSession;
  private lastAnswer = performance.now();
  private expired = false;
  private readonly wakeups = new Set<() => void>();

  constructor(private readonly o: ZkLeaseOptions) {
    this.s = o.session;
    this.s.onExpired(() => {
      this.expired = true;
      this.wakeAll();
    });
    o.signal.addEventListener("abort", this.wakeAll);
  }

  dispose(): void {
    this.o.signal.removeEventListener("abort", this.wakeAll);
    this.wakeAll();
  }

  private readonly wakeAll = (): void => {
    for (const wake of [...this.wakeups]) wake();
  };

  /** One lease: queue, wait, lock the semaphore, count and create, leave the queue. */
  async take(lease: LeaseRequest): Promise<string> {
    const queue = queuePath(this.o.prefix, lease.resource);
    const root = semaphorePath(this.o.prefix, lease.resource);
    await this.ensure(queue);
    const entry = await this.createOwned(queue, `${this.o.lockname}-`);
    this.o.log("debug", `queued for ${lease.resource} as ${entry}`);
    try {
      await this.waitHead(queue, entry, (name) => /-\d+$/.test(name));
      this.o.log("debug", `head of the queue for ${lease.resource}`);
      return await this.lease(root, lease);
    } finally {
      await this.removeOwn(entry);
    }
  }

  /** At the head of the queue: count and create under the semaphore's lock until our lease fits. */
  private async lease(root: string, lease: LeaseRequest): Promise<string> {
    const lockDir = `${root}/lock`;
    const leasesDir = `${root}/leases`;
    await this.ensure(lockDir);
    await this.ensure(leasesDir);
    for (;;) {
      const mutex = await this.createOwned(lockDir, "acquire-");
      let changed: Promise<void> | undefined;
      try {
        await this.waitHead(lockDir, mutex, (name) => /^acquire-\d{10,}$/.test(name));
        // The read that counts arms the watch: a holder leaving after it wakes us.
        const watch = oneShot();
        const names = await this.request(`getChildren ${leasesDir}`, (t) => this.s.getChildren(leasesDir, t, watch.fire));
        const holders = names.map((name) => {
          const parsed = parseLeaseName(name);
          if (parsed === undefined) {
            this.o.log("warning", `lease node ${leasesDir}/${name} is not <count>_<total>_<seq>: it counts as holding all of ${lease.resource}; remove it`);
            return { count: Number.MAX_SAFE_INTEGER, total: 0 };
          }
          return parsed;
        });
        const totals = new Set(holders.map((h) => h.total));
        if (totals.size > 1 || (totals.size === 1 && !totals.has(lease.total))) {
          this.o.log("info", `holders of ${lease.resource} disagree about TOTAL (${[...totals, lease.total].join(", ")}): the smallest applies`);
        }
        if (fits(holders, lease)) {
          const path = await this.createOwned(leasesDir, `${lease.count}_${lease.total}_`);
          this.o.log("debug", `lease ${path} taken (${holders.length} other holder(s))`);
          return path;
        }
        this.o.log("debug", `${lease.resource} is full (${holders.length} holder(s)); waiting for one to leave`);
        changed = watch.event;
      } finally {
        await this.removeOwn(mutex);
      }
      await this.until(changed);
    }
  }

  /** Waits until `mine` is the first of the entries `accept` takes in `dir`, watching only its predecessor. */
  private async waitHead(dir: string, mine: string, accept: (name: string) => boolean): Promise<void> {
    const name = mine.slice(dir.length + 1);
    const own = sequence(name);
    for (;;) {
      const children = (await this.request(`getChildren ${dir}`, (t) => this.s.getChildren(dir, t))).filter(accept);
      if (!children.includes(name)) {
        throw new SwitchmanError(`${mine} is gone while waiting (deleted by someone else?); nothing ran`, 75);
      }
      let before: { name: string; seq: number } | undefined;
      for (const child of children) {
        const seq = sequence(child);
        if (seq === undefined || own === undefined || seq >= own) continue;
        if (before === undefined || seq > before.seq) before = { name: child, seq };
      }
      if (before === undefined) return;
      const watch = oneShot();
      const stat = await this.request(`exists ${dir}/${before.name}`, (t) => this.s.exists(`${dir}/${before.name}`, t, watch.fire));
      if (stat === null) continue;
      this.o.log("debug", `waiting for ${dir}/${before.name} to go`);
      await this.until(watch.event);
    }
  }

  /** Waits for `event`, the wait limit, an abort or expiry; throws for all but the event. */
  private async until(event: Promise<void> | undefined): Promise<void> {
    if (event === undefined) return;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    this.wakeups.add(wake);
    const left = this.o.waitUntil === undefined ? undefined : this.o.waitUntil - performance.now();
    const timer = left === undefined ? undefined : setTimeout(wake, Math.max(0, left));
    try {
      this.check();
      await Promise.race([event, woken]);
      this.check();
    } finally {
      clearTimeout(timer);
      this.wakeups.delete(wake);
    }
  }

  /** Throws for an abort, an expired session or the wait limit. */
  private check(): void {
    if (this.o.signal.aborted) throw new SwitchmanError("switchman is stopping", 75);
    if (this.expired) throw new SwitchmanError("the ZooKeeper session expired while waiting for a lease; nothing ran", 75);
    if (this.o.waitUntil !== undefined && performance.now() >= this.o.waitUntil) {
      throw new WaitLimit("the wait limit (--wait) was reached before every lease was held");
    }
  }

  /**
   * One request, retried on connection trouble (CONNECTION_LOSS, no answer) until ZooKeeper has
   * not answered for the trouble budget: then SwitchmanError 75. Other errors are thrown.
   */
  private async request<T>(what: string, call: (timeoutMs: number) => Promise<T>, cleanup = false): Promise<T> {
    for (;;) {
      if (cleanup) {
        if (this.o.signal.aborted || this.expired) throw new SwitchmanError("switchman is stopping", 75);
      } else {
        this.check();
      }
      try {
        const result = await call(REQUEST_TIMEOUT_MS);
        this.lastAnswer = performance.now();
        return result;
      } catch (error) {
        if (!(error instanceof ZkCallError)) throw error;
        this.failUnlessRetryable(error, what);
        await this.pause();
      }
    }
  }

  private failUnlessRetryable(error: ZkCallError, what: string): void {
    if (error.code === "CLOSED") throw new SwitchmanError("switchman is stopping", 75);
    if (error.code === Exception.SESSION_EXPIRED) {
      throw new SwitchmanError("the ZooKeeper session expired while waiting for a lease; nothing ran", 75);
    }
    if (error.code === Exception.NO_AUTH || error.code === Exception.NO_CHILDREN_FOR_EPHEMERALS) {
      throw new SwitchmanError(`${what}: ${error.message} (check the ACLs and node types under the prefix)`, 2);
    }
    if (error.code !== "TIMEOUT" && error.code !== Exception.CONNECTION_LOSS) throw error;
    if (performance.now() - this.lastAnswer > this.o.troubleBudgetMs) {
      throw new SwitchmanError(`${what}: ZooKeeper did not answer for ${(this.o.troubleBudgetMs / 1000).toFixed(0)} s; nothing ran`, 75);
    }
  }

  private async pause(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }

  /** A persistent node and its parents up to the prefix (which switchman never creates), tolerating concurrent creators. */
  private async ensure(path: string): Promise<void> {
    const stat = await this.request(`exists ${path}`, (t) => this.s.exists(path, t));
    if (stat !== null) return;
    const parent = path.slice(0, path.lastIndexOf("/"));
    if (parent.length > this.o.prefix.length) await this.ensure(parent);
    try {
      await this.request(`create ${path}`, (t) => this.s.create(path, null, CreateMode.PERSISTENT, t));
    } catch (error) {
      if (error instanceof ZkCallError && error.code === Exception.NODE_EXISTS) return;
      if (error instanceof ZkCallError && error.code === Exception.NO_NODE) {
        throw new SwitchmanError(`prefix node ${this.o.prefix} does not exist (switchman never creates it)`, 2);
      }
      throw error;
    }
  }

  /**
   * Creates an ephemeral sequential `<dir>/<name><seq>` and returns its path. A create without
   * an answer is resolved by ownership (see the module comment) before it is sent again.
   */
  private async createOwned(dir: string, name: string): Promise<string> {
    for (;;) {
      this.check();
      try {
        const path = await this.s.create(`${dir}/${name}`, this.o.data, CreateMode.EPHEMERAL_SEQUENTIAL, REQUEST_TIMEOUT_MS);
        this.lastAnswer = performance.now();
        return path;
      } catch (error) {
        if (!(error instanceof ZkCallError)) throw error;
        if (error.code === Exception.NO_NODE) {
          await this.ensure(dir);
          continue;
        }
        this.failUnlessRetryable(error, `create ${dir}/${name}`);
        this.o.log("debug", `create ${dir}/${name}… ambiguous (${error.message}); resolving by ownership`);
        await this.pause();
        const ours = await this.findOwned(dir, name);
        if (ours.length === 0) continue;
        const [first, ...duplicates] = ours;
        for (const extra of duplicates) await this.removeOwn(extra);
        return first as string;
      }
    }
  }

  /** Our session's nodes `<dir>/<name><seq>`, oldest first, after a write barrier through the leader. */
  private async findOwned(dir: string, name: string): Promise<string[]> {
    // A write from this connection is ordered after a create the old connection got accepted;
    // a create that reaches the leader after the session moved is refused (SESSION_MOVED).
    await this.request(`check ${dir}`, (t) => this.s.checkNode(dir, t));
    const children = await this.request(`getChildren ${dir}`, (t) => this.s.getChildren(dir, t));
    const candidates = children.filter((c) => c.startsWith(name) && /^\d{10,}$/.test(c.slice(name.length))).sort();
    const ours: string[] = [];
    for (const child of candidates) {
      const path = `${dir}/${child}`;
      const stat = await this.request(`exists ${path}`, (t) => this.s.exists(path, t));
      if (this.s.owns(stat)) ours.push(path);
    }
    return ours;
  }

  /**
   * Deletes a node of ours (the queue entry, the semaphore's lock). When that cannot be done the
   * node's state is in doubt: the start-up ends (75) and the caller closes the session, which
   * provably removes it.
   */
  private async removeOwn(path: string): Promise<void> {
    if (this.o.signal.aborted || this.expired) return; // the session closes: the node goes with it
    try {
      await this.request(`delete ${path}`, (t) => this.s.remove(path, t), true);
    } catch (error) {
      if (error instanceof ZkCallError && error.code === Exception.NO_NODE) return;
      throw error;
    }
  }
}

/**
 * Proves, right before CMD starts, that every node we hold (the lock, the leases) still exists
 * and is ours: one multi request through the leader, then each owner. Returns the send time,
 * from which the lock watch's budget counts (a lock taken before a long wait for leases has an
 * old proof). SwitchmanError 75 when they cannot be proven within `budgetMs` (nothing ran; the
 * caller closes the session, so whatever is left of ours goes).
 */
export async function proveHeld(session: ZkSession, paths: readonly string[], budgetMs: number): Promise<number> {
  const giveUp = performance.now() + budgetMs;
  for (;;) {
    const sentAt = performance.now();
    const timeoutMs = Math.max(1, Math.min(REQUEST_TIMEOUT_MS, giveUp - sentAt));
    try {
      const [, stats] = await Promise.all([session.checkNodes(paths, timeoutMs), Promise.all(paths.map((p) => session.exists(p, timeoutMs)))]);
      const lost = paths.filter((_, i) => !session.owns(stats[i] ?? null));
      if (lost.length > 0) throw new SwitchmanError(`${lost.join(", ")} no longer ours after the wait; nothing ran`, 75);
      return sentAt;
    } catch (error) {
      if (!(error instanceof ZkCallError)) throw error;
      if (error.code === Exception.NO_NODE) throw new SwitchmanError(`a node we held is gone after the wait (${error.message}); nothing ran`, 75);
      const retryable = error.code === "TIMEOUT" || error.code === Exception.CONNECTION_LOSS;
      if (!retryable || performance.now() >= giveUp) throw new SwitchmanError(`cannot prove the lock and leases before CMD starts: ${error.message}; nothing ran`, 75);
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }
}
