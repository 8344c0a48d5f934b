/**
 * `--concurrency replace` in ZooKeeper (issue 16): a new run asks the current holder of the lock
 * to stop, and takes the lock once it is free, that is once the holder's CMD is dead (a holder
 * releases its lock only after CMD's whole group is gone, or its session expires, which the
 * safety budget puts after CMD's death). Never two at once: the new run runs only under a lock
 * node it created itself, as every run does.
 *
 *   <prefix>/replace/<lockname>   ephemeral, "<fqdn> <pid>" of the run that asks
 *
 * The asking run creates it (only one asks at a time; another that finds it skips with
 * lock-held), watches the lock node and creates the lock when the node goes, then deletes its
 * request. A holder started with `--concurrency replace` watches the request path for as long as
 * CMD runs (an `exists` watch, re-armed after every event and reconnect) and stops CMD as for a
 * loss (`replaced`: SIGTERM, SIGKILL after termination_timeout), keeping its lock, heartbeat and
 * budget until CMD is dead. A holder that does not watch (App::switchman, another policy) is
 * waited for until it ends on its own, within `--wait`.
 */
import zookeeper from "node-zookeeper-client";
import { SwitchmanError, type LossReport } from "../coordinator.js";
import { takeLock } from "./lock.js";
import { ZkCallError, type ZkSession } from "./session.js";
import type { LogFunction } from "../log.js";

const { Exception, CreateMode } = zookeeper;

const REQUEST_TIMEOUT_MS = 3000;
const RETRY_PAUSE_MS = 100;

/** `<prefix>/replace/<lockname>` */
export function replacePath(prefix: string, lockname: string): string {
  return `${prefix}/replace/${lockname}`;
}

/** What taking a held lock over needs. */
export interface ReplaceOptions {
  session: ZkSession;
  prefix: string;
  lockname: string;
  lockPath: string;
  data: Buffer;
  /** performance.now() after which waiting is given up; undefined: no limit. */
  waitUntil?: number | undefined;
  troubleBudgetMs: number;
  signal: AbortSignal;
  log: LogFunction;
}

/** The lock taken over (its proof's send time), someone else asking already, or the wait limit. */
export type ReplaceOutcome = { held: true; provenAt: number } | { held: false; why: "other-asks" | "wait-timeout"; detail: string };

/** Asks the holder to stop and takes the lock when it is free; see the module comment. */
export async function replaceHolder(o: ReplaceOptions): Promise<ReplaceOutcome> {
  const s = o.session;
  const request = replacePath(o.prefix, o.lockname);
  let lastAnswer = performance.now();
  let expired = false;
  s.onExpired(() => (expired = true));
  const retry = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    for (;;) {
      if (o.signal.aborted) throw new SwitchmanError("switchman is stopping", 75);
      try {
        const result = await call();
        lastAnswer = performance.now();
        return result;
      } catch (error) {
        if (!(error instanceof ZkCallError)) throw error;
        if (error.code !== "TIMEOUT" && error.code !== Exception.CONNECTION_LOSS) throw error;
        if (performance.now() - lastAnswer > o.troubleBudgetMs) throw new SwitchmanError(`${what}: ZooKeeper did not answer; nothing ran`, 75);
        await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      }
    }
  };
  // The request: ours, or another run's (then that one takes over; we skip).
  for (;;) {
    try {
      await retry(`create ${request}`, () => s.create(request, o.data, CreateMode.EPHEMERAL, REQUEST_TIMEOUT_MS));
      break;
    } catch (error) {
      if (!(error instanceof ZkCallError)) throw error;
      if (error.code === Exception.NO_NODE) {
        await retry(`create ${o.prefix}/replace`, () => s.create(`${o.prefix}/replace`, null, CreateMode.PERSISTENT, REQUEST_TIMEOUT_MS)).catch((e: unknown) => {
          if (!(e instanceof ZkCallError && e.code === Exception.NODE_EXISTS)) throw e;
        });
        continue;
      }
      if (error.code !== Exception.NODE_EXISTS) throw new SwitchmanError(`cannot create ${request}: ${error.message}`, 75);
      const stat = await retry(`exists ${request}`, () => s.exists(request, REQUEST_TIMEOUT_MS));
      if (stat === null) continue;
      if (s.owns(stat)) break; // an earlier create of ours, answered late
      return { held: false, why: "other-asks", detail: `another run already asks the holder of ${o.lockPath} to stop (${request})` };
    }
  }
  o.log("info", `asked the holder of ${o.lockPath} to stop (--concurrency replace); waiting for it to end`);
  for (;;) {
    if (o.signal.aborted) throw new SwitchmanError("switchman is stopping", 75);
    if (expired) throw new SwitchmanError("the ZooKeeper session expired while waiting for the holder to stop; nothing ran", 75);
    let fire!: () => void;
    const gone = new Promise<void>((resolve) => (fire = resolve));
    const stat = await retry(`exists ${o.lockPath}`, () => s.exists(o.lockPath, REQUEST_TIMEOUT_MS, () => fire()));
    if (stat === null || s.owns(stat)) {
      const left = (o.waitUntil ?? Number.POSITIVE_INFINITY) - performance.now();
      const outcome = await takeLock(s, { prefix: o.prefix, lockname: o.lockname, data: o.data, deadline: Date.now() + Math.min(o.troubleBudgetMs, Math.max(1, left)), log: o.log });
      if (outcome.held) {
        await retry(`delete ${request}`, () => s.remove(request, REQUEST_TIMEOUT_MS)).catch(() => undefined); // the session's close removes it anyway
        return { held: true, provenAt: outcome.provenAt };
      }
      continue; // someone else was faster: wait for that one
    }
    const left = o.waitUntil === undefined ? undefined : o.waitUntil - performance.now();
    if (left !== undefined && left <= 0) return { held: false, why: "wait-timeout", detail: `the holder of ${o.lockPath} did not end within --wait` };
    let timer: NodeJS.Timeout | undefined;
    let abort: (() => void) | undefined;
    await Promise.race([
      gone,
      new Promise<void>((resolve) => {
        if (left !== undefined) timer = setTimeout(resolve, left);
        abort = resolve;
        o.signal.addEventListener("abort", abort);
      }),
    ]);
    clearTimeout(timer);
    if (abort) o.signal.removeEventListener("abort", abort);
  }
}

/**
 * The holder's side: watches `<prefix>/replace/<lockname>` while CMD runs and reports
 * `replaced` once when it appears. stop() ends it.
 */
export class ReplaceWatch {
  private done = false;
  private arming = false;
  /** Watch events seen: one that fires while its arming request is answered is armed again. */
  private fired = 0;

  constructor(
    private readonly session: ZkSession,
    private readonly path: string,
    private readonly onReplaced: (loss: LossReport) => void,
    private readonly log: LogFunction,
  ) {}

  start(): void {
    this.session.onConnected(() => this.arm()); // watches set on a lost connection are re-armed
    this.arm();
  }

  stop(): void {
    this.done = true;
  }

  private arm(): void {
    if (this.done || this.arming) return;
    this.arming = true;
    const seen = this.fired;
    this.session
      .exists(this.path, REQUEST_TIMEOUT_MS, () => {
        this.fired++;
        if (!this.done) this.arm(); // created (or changed, deleted): look again
      })
      .then((stat) => {
        if (stat !== null && !this.done) {
          this.done = true;
          this.onReplaced({ reason: "replaced", detail: `a newer run asks to replace this one (${this.path})` });
        }
      })
      .catch((error: unknown) => {
        this.log("debug", `replace watch: ${(error as Error).message}; retrying`);
        setTimeout(() => this.arm(), 1000).unref();
      })
      .finally(() => {
        this.arming = false;
        if (this.fired !== seen) this.arm();
      });
  }
}
