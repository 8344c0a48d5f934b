/**
 * Runs CMD and makes sure it never outlives switchman's right to run it (SPEC 8.3).
 *
 * - CMD runs in its own process group (spawn `detached`), inheriting stdio and env, through
 *   `setpriv --pdeathsig KILL -- CMD ARGS` (util-linux), which execs CMD with
 *   PR_SET_PDEATHSIG: the kernel SIGKILLs CMD when switchman dies, even by `kill -9`. No shell.
 *   (prctl(2): the signal fires when the parent *thread* exits; libuv forks from the main
 *   thread, which lives as long as switchman. It is cleared when CMD execs a set-user-ID binary.)
 * - PDEATHSIG reaches CMD only, not its children (it is cleared on fork). A guard process
 *   (a fixed `bash -c` script in its own process group, signals ignored) holds the read end of
 *   a pipe whose write end only switchman has. The guard starts *before* CMD (forking a big Node
 *   process is slow under load); switchman writes CMD's pgid into the pipe right after spawning
 *   CMD, in the same tick. When switchman dies, the pipe reaches EOF and the guard SIGKILLs
 *   CMD's whole group, grandchildren included.
 * - The same pipe carries a heartbeat every second: the seconds left before CMD must be dead
 *   (from the coordinator's last proof of the lock). If switchman stops (SIGSTOP, a blocked
 *   event loop), the next beat does not come and the guard SIGKILLs the group in time: a
 *   frozen switchman cannot outlive its ZooKeeper session. bash is used for `read -t`, which
 *   dash lacks; bash is Essential in Debian.
 * - Termination always signals the whole group: SIGTERM (or the forwarded signal), SIGKILL
 *   `termination_timeout` later. When CMD exits and leaves processes in its group, they are
 *   terminated the same way: they would otherwise run without the lock.
 * - CPU time: the growth of switchman's own cutime/cstime while CMD ran (exact, 10 ms ticks;
 *   covers CMD and the descendants it waited for). Peak memory: CMD's VmHWM sampled from
 *   /proc while it runs (CMD itself, not its children; a job shorter than the first samples
 *   reports what was seen, possibly nothing).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { liveGroupMembers, peakRssKiB, reapedChildrenCpu } from "./procfs.js";

/** How switchman starts and stops CMD. */
export interface SupervisorOptions {
  command: string[];
  env: Record<string, string | undefined>;
  /** Seconds between SIGTERM and SIGKILL; 0 = SIGKILL at once. */
  terminationTimeoutS: number;
  /** Warnings about kills and leftovers (the caller's log). */
  warn: (message: string) => void;
  /** Milliseconds until CMD must be dead unless renewed; undefined = no limit. Asked every second. */
  remainingMs?: () => number | undefined;
  /** A descriptor holding the lock (local mode): the guard keeps it open until CMD's group is dead. */
  lockFd?: number;
}

/** How CMD ended and what it cost. */
export interface ChildResult {
  /** The status switchman passes on: CMD's exit code, or 128+N for signal N. */
  status: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallS: number;
  userS: number;
  systemS: number;
  /** Peak resident memory seen, KiB; undefined when CMD ended before the first sample. */
  peakRssKiB: number | undefined;
  /** True when switchman had to SIGKILL the group. */
  killed: boolean;
  /** True when the guard killed the group because switchman's beats stopped (switchman was stopped or blocked). */
  guardFired: boolean;
  /** Set when CMD could not be started at all (setpriv missing, …). */
  startError?: string;
}

/**
 * The guard (bash): reads CMD's pgid, then heartbeat lines, each the seconds the next one may
 * take (`-` = no limit). EOF (switchman gone) or a late beat: SIGKILL to the whole group, then
 * wait (at most ~5 s) until no live member is left, because the guard may hold the lock as fd 3
 * and must not let it go while any of CMD's processes still runs. Zombies do not count (an init
 * that does not reap orphans keeps them for ever).
 */
const GUARD_SCRIPT = [
  "trap '' HUP INT QUIT TERM",
  "read -r pgid || exit 0",
  "case $pgid in ''|*[!0-9]*) exit 0;; esac",
  "limit=",
  "while :; do",
  '  if [ -n "$limit" ]; then read -r -t "$limit" next || break; else read -r next || break; fi',
  "  case $next in -) limit= ;; ''|*[!0-9.]*) ;; *) limit=$next ;; esac",
  "done",
  'kill -s KILL -- -"$pgid" 2>/dev/null',
  "live() {",
  '  kill -0 -- -"$pgid" 2>/dev/null || return 1',
  "  for f in /proc/[0-9]*/stat; do",
  '    IFS= read -r l 2>/dev/null < "$f" || continue',
  '    set -- ${l##*) }',
  '    [ "$3" = "$pgid" ] && [ "$1" != Z ] && [ "$1" != X ] && return 0',
  "  done",
  "  return 1",
  "}",
  "i=0",
  'while [ $i -lt 250 ] && live; do sleep 0.02; i=$((i + 1)); done',
].join("\n");
/** How long to wait for the retired guard to be gone (it may hold a copy of the lock). */
const GUARD_RETIRE_MS = 2000;
/** Seconds between beats to the guard. */
const GUARD_BEAT_MS = 1000;
/** The guard fires this much before the deadline: its own wake-up and the kill take time. */
const GUARD_LEAD_S = 0.25;
/** When to sample CMD's peak memory: often at first (short jobs), then every 200 ms. */
const SAMPLE_DELAYS_MS = [5, 15, 30, 50, 100];
const SAMPLE_INTERVAL_MS = 200;
const DRAIN_POLL_MS = 50;
/** After the SIGKILL, how long to wait for the group to vanish (D-state processes). */
const AFTER_KILL_GRACE_MS = 5000;

/** A running CMD under supervision. */
export class Supervisor {
  /** CMD's pid, which is also its process group id; undefined if spawning failed. */
  readonly pid: number | undefined;
  /** Settles once CMD and every process left in its group are gone. */
  readonly finished: Promise<ChildResult>;

  private readonly child: ChildProcess;
  private guard: ChildProcess | undefined;
  private terminating = false;
  private killed = false;
  private killTimer: NodeJS.Timeout | undefined;
  private sampleTimer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private guardExited: Promise<void> = Promise.resolve();
  private guardFired = false;
  private retiring = false;
  private peak: number | undefined;
  private readonly startedAt = process.hrtime.bigint();
  private readonly cpuBefore = reapedChildrenCpu();

  private constructor(private readonly options: SupervisorOptions) {
    this.startGuard();
    this.child = spawn("setpriv", ["--pdeathsig", "KILL", "--", ...options.command], {
      detached: true,
      stdio: "inherit",
      env: options.env,
    });
    this.pid = this.child.pid;
    this.finished = new Promise((resolve) => {
      this.child.once("error", (error) => {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        const result = this.result(null, null, missing ? "setpriv not found (install util-linux)" : error.message);
        void this.cleanup().then(() => resolve(result));
      });
      this.child.once("exit", (code, signal) => {
        const result = this.result(code, signal);
        void this.drain()
          .then(() => this.noticeGuard(signal))
          .then(() => this.cleanup())
          .then(() => {
            result.killed = this.killed;
            // Only a SIGKILL switchman did not send can be the guard's doing.
            result.guardFired = this.guardFired && signal === "SIGKILL" && !this.killed;
            resolve(result);
          });
      });
    });
    if (this.pid !== undefined) {
      // Synchronous for a pipe with room (libuv tries the write at once): no tick passes
      // between CMD's start and the guard knowing its group.
      this.guard?.stdin?.write(`${this.pid}\n`);
      this.beat();
      this.beatTimer = setInterval(() => this.beat(), GUARD_BEAT_MS);
      this.sample(0);
    }
  }

  /** Starts CMD. */
  static start(options: SupervisorOptions): Supervisor {
    return new Supervisor(options);
  }

  /**
   * Stops CMD: `signal` (SIGTERM by default) to its group now, SIGKILL after
   * `termination_timeout` (at once when it is 0). Repeated calls re-send the signal
   * but never restart the clock.
   */
  terminate(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.options.terminationTimeoutS === 0) {
      this.kill("SIGKILL");
      return;
    }
    this.signalGroup(signal);
    if (this.terminating) return;
    this.terminating = true;
    this.killTimer = setTimeout(() => {
      this.options.warn(`CMD's process group still alive ${this.options.terminationTimeoutS} s after ${signal}: sending SIGKILL`);
      this.kill("SIGKILL");
    }, this.options.terminationTimeoutS * 1000);
  }

  private kill(signal: "SIGKILL"): void {
    this.terminating = true;
    this.killed = true;
    this.signalGroup(signal);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private startGuard(): void {
    try {
      // $0 and $1 only label the guard for operators (ps): "switchman-guard <switchman's pid>".
      // --norc and a PATH-only environment: bash sources ~/.bashrc when its stdin is a socket
      // (its "run by sshd" heuristic; Node's pipes are socketpairs) and $BASH_ENV otherwise, and
      // whatever those start would inherit the guard's copy of the lock.
      const guard = spawn("bash", ["--norc", "--noprofile", "-c", GUARD_SCRIPT, "switchman-guard", String(process.pid)], {
        detached: true,
        env: { PATH: this.options.env.PATH ?? "/usr/bin:/bin" },
        stdio: this.options.lockFd === undefined ? ["pipe", "ignore", "ignore"] : ["pipe", "ignore", "ignore", this.options.lockFd],
      });
      guard.on("error", (error) => this.options.warn(`cannot start the guard process: ${error.message}`));
      this.guardExited = new Promise((resolve) =>
        guard.once("exit", () => {
          if (!this.retiring) this.guardFired = true;
          resolve();
        }),
      );
      guard.stdin?.on("error", () => {
        // EPIPE when the guard died: the pdeathsig still protects CMD itself.
      });
      this.guard = guard;
    } catch (error) {
      this.options.warn(`cannot start the guard process: ${(error as Error).message}`);
    }
  }

  /**
   * A SIGKILL that switchman did not send may be the guard's: its exit is reaped in the same
   * round, but give its event a moment so that the result says who killed CMD.
   */
  private async noticeGuard(signal: NodeJS.Signals | null): Promise<void> {
    if (signal !== "SIGKILL" || this.killed || this.guard === undefined) return;
    await Promise.race([this.guardExited, new Promise((resolve) => setTimeout(resolve, 500))]);
  }

  /** Tells the guard how long it may wait for the next beat. */
  private beat(): void {
    const remainingMs = this.options.remainingMs?.();
    const limit = remainingMs === undefined ? "-" : Math.max(0.05, remainingMs / 1000 - GUARD_LEAD_S).toFixed(2);
    this.guard?.stdin?.write(`${limit}\n`);
  }

  private sample(step: number): void {
    if (this.pid === undefined) return;
    const delay = SAMPLE_DELAYS_MS[step] ?? SAMPLE_INTERVAL_MS;
    this.sampleTimer = setTimeout(() => {
      const kib = peakRssKiB(this.pid as number);
      if (kib === undefined) return;
      this.peak = Math.max(this.peak ?? 0, kib);
      this.sample(step + 1);
    }, delay);
  }

  private result(exitCode: number | null, signal: NodeJS.Signals | null, startError?: string): ChildResult {
    const cpu = reapedChildrenCpu();
    const status = exitCode ?? (signal !== null ? 128 + (constants.signals[signal] ?? 0) : 70);
    const result: ChildResult = {
      status,
      exitCode,
      signal,
      wallS: Number(process.hrtime.bigint() - this.startedAt) / 1e9,
      userS: Math.max(0, cpu.userS - this.cpuBefore.userS),
      systemS: Math.max(0, cpu.systemS - this.cpuBefore.systemS),
      peakRssKiB: this.peak,
      killed: this.killed,
      guardFired: false,
    };
    if (startError !== undefined) result.startError = startError;
    return result;
  }

  /** After CMD exits: wait until its group is empty, terminating what it left behind. */
  private async drain(): Promise<void> {
    if (this.pid === undefined) return;
    let killDeadline: number | undefined;
    for (;;) {
      const members = liveGroupMembers(this.pid);
      if (members.length === 0) return;
      if (!this.terminating) {
        this.options.warn(
          `CMD exited but left ${members.length} process(es) in its process group (${members.join(" ")}): ` +
            "terminating them, they would run without the lock",
        );
        this.terminate();
      }
      if (this.killed) {
        killDeadline ??= Date.now() + AFTER_KILL_GRACE_MS;
        if (Date.now() > killDeadline) {
          this.options.warn(`processes ${members.join(" ")} of CMD's group survive SIGKILL (uninterruptible?); giving up on them`);
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  /** Retires the guard (the group is empty, before its pgid could be reused) and waits until it is gone. */
  private async cleanup(): Promise<void> {
    clearTimeout(this.killTimer);
    clearTimeout(this.sampleTimer);
    clearInterval(this.beatTimer);
    if (this.guard === undefined) return;
    this.retiring = true;
    this.guard.kill("SIGKILL");
    this.guard.stdin?.destroy();
    this.guard = undefined;
    // Its copy of the lock descriptor closes only when it is gone.
    await Promise.race([this.guardExited, new Promise((resolve) => setTimeout(resolve, GUARD_RETIRE_MS))]);
  }
}
