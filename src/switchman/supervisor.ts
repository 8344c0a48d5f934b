/**
 * Runs CMD and makes sure it never outlives switchman's right to run it (SPEC 8.3).
 *
 * - CMD runs in its own process group (spawn `detached`), inheriting stdio and env, through
 *   `setpriv --pdeathsig KILL -- CMD ARGS` (util-linux), which execs CMD with
 *   PR_SET_PDEATHSIG: the kernel SIGKILLs CMD when switchman dies, even by `kill -9`. No shell.
 *   (prctl(2): the signal fires when the parent *thread* exits; libuv forks from the main
 *   thread, which lives as long as switchman. It is cleared when CMD execs a set-user-ID binary.)
 * - CMD's children and a stopped switchman are the guard process's part (guard-process.ts),
 *   started before CMD and told CMD's group in the same tick as the spawn.
 * - Termination always signals the whole group: SIGTERM (or the forwarded signal), SIGKILL
 *   `termination_timeout` later. When CMD exits and leaves processes in its group, they are
 *   terminated the same way: they would otherwise run without the lock.
 * - What CMD cost is measured by usage.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { GuardProcess } from "./guard-process.js";
import { liveGroupMembers } from "./procfs.js";
import { UsageMeter, type Usage } from "./usage.js";

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
  lockFd?: number | undefined;
  /** More descriptors the guard keeps the same way (local leases, issue 16). */
  extraFds?: number[];
}

/** How CMD ended and what it cost. */
export interface ChildResult extends Usage {
  /** The status switchman passes on: CMD's exit code, or 128+N for signal N. */
  status: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when switchman had to SIGKILL the group. */
  killed: boolean;
  /** True when the guard killed the group because switchman's beats stopped (switchman was stopped or blocked). */
  guardFired: boolean;
  /** Set when CMD could not be started at all (setpriv missing, …). */
  startError?: string;
}

const DRAIN_POLL_MS = 50;
/** After the SIGKILL, how long to wait for the group to vanish (D-state processes). */
const AFTER_KILL_GRACE_MS = 5000;
/** How long a SIGKILL switchman did not send may take to show up as the guard's exit. */
const GUARD_NOTICE_MS = 500;

/** A running CMD under supervision. */
export class Supervisor {
  /** CMD's pid, which is also its process group id; undefined if spawning failed. */
  readonly pid: number | undefined;
  /** Settles once CMD and every process left in its group are gone. */
  readonly finished: Promise<ChildResult>;

  private readonly usage = new UsageMeter();
  private readonly guard: GuardProcess;
  private readonly child: ChildProcess;
  private terminating = false;
  private killed = false;
  private killTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: SupervisorOptions) {
    this.guard = GuardProcess.start({
      path: options.env.PATH ?? "/usr/bin:/bin",
      ...(options.lockFd === undefined ? {} : { lockFd: options.lockFd }),
      ...(options.extraFds === undefined ? {} : { extraFds: options.extraFds }),
      warn: options.warn,
    });
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
          .then(() => (signal === "SIGKILL" && !this.killed ? this.guard.exitWithin(GUARD_NOTICE_MS) : undefined))
          .then(() => this.cleanup())
          .then(() => {
            result.killed = this.killed;
            // Only a SIGKILL switchman did not send can be the guard's doing.
            result.guardFired = this.guard.fired && signal === "SIGKILL" && !this.killed;
            resolve(result);
          });
      });
    });
    if (this.pid !== undefined) {
      this.guard.watch(this.pid, () => options.remainingMs?.());
      this.usage.sample(this.pid);
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
      this.kill();
      return;
    }
    this.signalGroup(signal);
    if (this.terminating) return;
    this.terminating = true;
    this.killTimer = setTimeout(() => {
      this.options.warn(`CMD's process group still alive ${this.options.terminationTimeoutS} s after ${signal}: sending SIGKILL`);
      this.kill();
    }, this.options.terminationTimeoutS * 1000);
  }

  private kill(): void {
    this.terminating = true;
    this.killed = true;
    this.signalGroup("SIGKILL");
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private result(exitCode: number | null, signal: NodeJS.Signals | null, startError?: string): ChildResult {
    const status = exitCode ?? (signal !== null ? 128 + (constants.signals[signal] ?? 0) : 70);
    const result: ChildResult = { status, exitCode, signal, ...this.usage.read(), killed: this.killed, guardFired: false };
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

  /** Stops the timers and retires the guard (the group is empty, before its pgid could be reused). */
  private async cleanup(): Promise<void> {
    clearTimeout(this.killTimer);
    this.usage.stop();
    await this.guard.retire();
  }
}
