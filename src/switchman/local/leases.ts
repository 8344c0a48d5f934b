/**
 * Leases in local mode (issue 16): the ZooKeeper semaphore's semantics on one box with kernel
 * flocks, which the kernel releases whenever their holder dies (docs/switchman-leases.md).
 *
 * Layout, in the job user's own 0700 lock directory (lockdir.ts; `:` is not in the lock-name
 * alphabet, so no lock can collide with it):
 *
 *   <lockdir>/<uid>/lease:<resource>/mutex     the semaphore's own lock (counting and creating)
 *   <lockdir>/<uid>/lease:<resource>/q.<n>     a waiter's ticket, flock'd by its waiter
 *   <lockdir>/<uid>/lease:<resource>/h.<n>     a holder, flock'd, "<count> <total> <fqdn> <pid>"
 *
 * A file is alive while its flock is held, which /proc/locks shows by inode (no process is
 * spawned to ask); a file nobody holds is left over from a dead process and is removed under the
 * mutex. Tickets are numbered one past the highest under the mutex, so the queue is FIFO. A
 * waiter blocks in flock(2) on its predecessor's ticket (flock(1) without --nonblock), which the
 * kernel grants when that predecessor leaves the queue or dies: no polling. At the head it
 * counts the holders under the mutex; when the resource is full it blocks on every holder's
 * file at once (one flock(1) each) and counts again when the first is released.
 *
 * Per job user, like the locks: only the user's own processes can open these files, so no user
 * can hold, block or remove another's leases; a resource is therefore shared by the jobs of one
 * user, not across users (in ZooKeeper mode it is fleet-wide for everyone).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, readdirSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { join } from "node:path";
import { SwitchmanError } from "../coordinator.js";
import { fits, leaseOrder, type LeaseRequest } from "../lease/types.js";
import { EXIT_LOCKDIR, userLockDir } from "./lockdir.js";

/** One held lease: its open, flock'd holder file (kept open, also by the guard process, until CMD's group is dead). */
export interface HeldLocalLease {
  fd: number;
  path: string;
}

/** What taking the leases needs. */
export interface LocalLeaseOptions {
  lockdir: string;
  leases: readonly LeaseRequest[];
  /** `"<fqdn> <pid>"` for the holder files. */
  holder: string;
  /** performance.now() after which waiting is given up; undefined: no limit. */
  waitUntil?: number | undefined;
  signal: AbortSignal;
  env: Record<string, string | undefined>;
  log: (level: "debug" | "info" | "warning" | "critical", message: string) => void;
}

/** Every lease held, or the wait limit came first (whatever was taken is released then). */
export type LocalLeaseOutcome = { held: true; leases: HeldLocalLease[] } | { held: false; waited: string };

class WaitLimit extends Error {}
const WAIT_LIMIT_MESSAGE = "the wait limit (--wait) was reached before every lease was held";

/** `major:minor:inode` as /proc/locks prints it (glibc's dev_t split). */
function lockKey(stat: Stats): string {
  const dev = stat.dev;
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00);
  return `${major.toString(16).padStart(2, "0")}:${minor.toString(16).padStart(2, "0")}:${stat.ino}`;
}

/** The inodes someone holds a flock on right now (waiting requests, `->`, excluded). */
function heldInodes(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync("/proc/locks", "utf8").split("\n")) {
    if (line.includes("->") || !/\bFLOCK\b/.test(line)) continue;
    const key = line.trim().split(/\s+/)[5];
    if (key !== undefined) out.add(key);
  }
  return out;
}

/** Takes every lease in the global order; see the module comment. */
export async function acquireLocalLeases(options: LocalLeaseOptions): Promise<LocalLeaseOutcome> {
  const held: HeldLocalLease[] = [];
  const waits = new Waits(options);
  try {
    for (const lease of leaseOrder(options.leases)) held.push(await takeOne(options, waits, lease));
    return { held: true, leases: held };
  } catch (error) {
    for (const lease of held) releaseLocalLease(lease);
    if (error instanceof WaitLimit) return { held: false, waited: error.message };
    throw error;
  } finally {
    waits.dispose();
  }
}

/** Lets a lease go: the holder file is removed while still locked, then closed. */
export function releaseLocalLease(lease: HeldLocalLease): void {
  try {
    unlinkSync(lease.path);
  } catch {
    // Gone already; the next counter removes what is left over anyway.
  }
  closeSync(lease.fd);
}

async function takeOne(o: LocalLeaseOptions, waits: Waits, lease: LeaseRequest): Promise<HeldLocalLease> {
  const dir = join(userLockDir(o.lockdir), `lease:${lease.resource}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new SwitchmanError(`cannot create ${dir}: ${(error as Error).message}`, EXIT_LOCKDIR);
  }
  const ticket = await waits.underMutex(dir, async () => {
    const entries = clean(dir);
    const n = 1 + Math.max(0, ...entries.filter((e) => e.kind === "q").map((e) => e.n));
    const created = await waits.createLocked(join(dir, `q.${n}`), "");
    // Under the mutex, like "taken": the log's order is the queue's order (numbers start again
    // at 1 whenever the queue empties, so they alone do not give it).
    o.log("debug", `queued for ${lease.resource} as ${created.path}`);
    return created;
  });
  try {
    // Wait until no live ticket is older than ours.
    const mine = Number(ticket.path.slice(ticket.path.lastIndexOf(".") + 1));
    for (;;) {
      const before = await waits.underMutex(dir, () =>
        clean(dir)
          .filter((e) => e.kind === "q" && e.n < mine)
          .sort((a, b) => b.n - a.n)[0],
      );
      if (before === undefined) break;
      o.log("debug", `waiting for ${before.path} to go`);
      await waits.anyReleased([before.path]);
    }
    o.log("debug", `head of the queue for ${lease.resource}`);
    for (;;) {
      const result = await waits.underMutex(dir, async (): Promise<{ full: string[] } | { held: HeldLocalLease }> => {
        const entries = clean(dir).filter((e) => e.kind === "h");
        const holders = entries.map((e) => holderOf(e.path));
        if (!fits(holders, lease)) return { full: entries.map((e) => e.path) };
        const n = 1 + Math.max(0, ...entries.map((e) => e.n));
        const held = await waits.createLocked(join(dir, `h.${n}`), `${lease.count} ${lease.total} ${o.holder}\n`);
        o.log("debug", `lease ${held.path} taken`); // under the mutex: the log's order is the leases' order
        return { held };
      });
      if ("held" in result) return result.held;
      o.log("debug", `${lease.resource} is full (${result.full.length} holder(s)); waiting for one to leave`);
      await waits.anyReleased(result.full);
    }
  } finally {
    releaseLocalLease(ticket);
  }
}

/** A holder file's count and total; unreadable counts as the whole resource (never fewer holders than there are). */
function holderOf(path: string): { count: number; total: number } {
  try {
    const [count, total] = readFileSync(path, "utf8").split(" ").map(Number);
    if (Number.isSafeInteger(count) && Number.isSafeInteger(total)) return { count: count as number, total: total as number };
  } catch {
    // fall through
  }
  return { count: Number.MAX_SAFE_INTEGER, total: 0 };
}

/** The live tickets and holders of `dir`; files nobody holds any more are removed (call under the mutex). */
function clean(dir: string): { kind: "q" | "h"; n: number; path: string }[] {
  const live = heldInodes();
  const out: { kind: "q" | "h"; n: number; path: string }[] = [];
  for (const name of readdirSync(dir)) {
    const match = /^([qh])\.(\d+)$/.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      continue;
    }
    const alive = live.has(lockKey(fstatSync(fd)));
    closeSync(fd);
    if (alive) out.push({ kind: match[1] as "q" | "h", n: Number(match[2]), path });
    else {
      try {
        unlinkSync(path); // left over by a dead process: nobody holds it, nobody can (we hold the mutex)
      } catch {
        // removed meanwhile
      }
    }
  }
  return out;
}

/** The blocking flock(1) helpers of one start-up: the mutex, and waits on tickets and holders. */
class Waits {
  private readonly helpers = new Set<ChildProcess>();
  private readonly wakeups = new Set<() => void>();
  private readonly onAbort = (): void => this.wakeAll();

  constructor(private readonly o: LocalLeaseOptions) {
    o.signal.addEventListener("abort", this.onAbort);
  }

  dispose(): void {
    this.o.signal.removeEventListener("abort", this.onAbort);
    for (const helper of this.helpers) helper.kill("SIGKILL");
  }

  private wakeAll(): void {
    for (const wake of [...this.wakeups]) wake();
  }

  private check(): void {
    if (this.o.signal.aborted) throw new SwitchmanError("switchman is stopping", 75);
    if (this.o.waitUntil !== undefined && performance.now() >= this.o.waitUntil) {
      throw new WaitLimit(WAIT_LIMIT_MESSAGE);
    }
  }

  /** flock(1) on `fd`, blocking (`wait`) or not; resolves true when locked, false when killed or refused. */
  private flock(fd: number, wait: boolean): { done: Promise<boolean>; helper: ChildProcess } {
    const helper = spawn("flock", [...(wait ? [] : ["--nonblock"]), "3"], {
      stdio: ["ignore", "ignore", "pipe", fd],
      env: { PATH: this.o.env.PATH ?? "/usr/bin:/bin" },
    });
    this.helpers.add(helper);
    let stderr = "";
    helper.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const done = new Promise<boolean>((resolve, reject) => {
      helper.on("error", (error) =>
        reject(new SwitchmanError(`cannot run flock(1): ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "not found (install util-linux)" : error.message}`, EXIT_LOCKDIR)),
      );
      helper.on("close", (code, signal) => {
        this.helpers.delete(helper);
        if (code === 0) resolve(true);
        else if (signal !== null || code === 1) resolve(false);
        else reject(new SwitchmanError(`flock(1) failed: ${stderr.trim() || `exit ${code}`}`, EXIT_LOCKDIR));
      });
    });
    return { done, helper };
  }

  /** Waits for the first of `promises`, the wait limit or an abort (then kills `helpers`). */
  private async race<T>(promise: Promise<T>, helpers: ChildProcess[]): Promise<T> {
    let wake!: () => void;
    const woken = new Promise<"woken">((resolve) => (wake = () => resolve("woken")));
    this.wakeups.add(wake);
    const left = this.o.waitUntil === undefined ? undefined : this.o.waitUntil - performance.now();
    // The timer is the wait limit even when it fires a fraction of a millisecond before
    // performance.now() reaches it (timers count whole milliseconds of the loop's clock).
    let limitReached = false;
    const timer = left === undefined ? undefined : setTimeout(() => ((limitReached = true), wake()), Math.max(0, left));
    try {
      this.check();
      const first = await Promise.race([promise, woken]);
      if (first === "woken") {
        for (const helper of helpers) helper.kill("SIGKILL");
        this.check();
        if (limitReached) throw new WaitLimit(WAIT_LIMIT_MESSAGE);
        throw new Error("woken without a reason");
      }
      return first;
    } finally {
      clearTimeout(timer);
      this.wakeups.delete(wake);
    }
  }

  /**
   * Creates a new file (0600, never an existing one: O_EXCL) with `content` and flocks it
   * (flock(1) --nonblock on our descriptor). Only under the mutex: nobody counts it meanwhile.
   */
  async createLocked(path: string, content: string): Promise<HeldLocalLease> {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (error) {
      throw new SwitchmanError(`cannot create ${path}: ${(error as Error).message}`, EXIT_LOCKDIR);
    }
    try {
      if (content !== "") writeSync(fd, content);
      if (!(await this.flock(fd, false).done)) throw new SwitchmanError(`cannot lock the new file ${path}`, EXIT_LOCKDIR);
    } catch (error) {
      try {
        unlinkSync(path);
      } catch {
        // best effort
      }
      closeSync(fd);
      throw error;
    }
    return { fd, path };
  }

  /** Runs `critical` while holding the semaphore's mutex. */
  async underMutex<T>(dir: string, critical: () => T | Promise<T>): Promise<T> {
    const path = join(dir, "mutex");
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      const { done, helper } = this.flock(fd, true);
      const locked = await this.race(done, [helper]);
      if (!locked) throw new SwitchmanError(`cannot lock ${path}`, EXIT_LOCKDIR);
      return await critical();
    } finally {
      closeSync(fd); // releases the mutex
    }
  }

  /** Blocks until the first of `paths` is released by its holder (or is gone). */
  async anyReleased(paths: readonly string[]): Promise<void> {
    const fds: number[] = [];
    const waits: Promise<boolean>[] = [];
    const helpers: ChildProcess[] = [];
    try {
      for (const path of paths) {
        let fd: number;
        try {
          fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
        } catch {
          return; // gone already: look again
        }
        fds.push(fd);
        const { done, helper } = this.flock(fd, true);
        helpers.push(helper);
        waits.push(done);
      }
      await this.race(Promise.race(waits), helpers);
    } finally {
      for (const helper of helpers) helper.kill("SIGKILL");
      for (const fd of fds) closeSync(fd); // a lock one of them got goes with its fd
    }
  }
}
