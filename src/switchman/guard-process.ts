/**
 * The guard process: a small bash process outside switchman that SIGKILLs CMD's whole process
 * group when switchman can no longer vouch for it (docs/switchman.md, "Supervision").
 *
 * - PDEATHSIG reaches CMD only, not its children (a fork clears it). The guard holds the read
 *   end of a pipe whose write end only switchman has; when switchman dies, the pipe reaches EOF
 *   and the guard SIGKILLs CMD's group, grandchildren included.
 * - The same pipe carries a heartbeat every second: the seconds the next beat may take, from the
 *   coordinator's last proof of the lock. If switchman stops (SIGSTOP, a blocked event loop), the
 *   next beat does not come and the guard SIGKILLs the group in time: a frozen switchman cannot
 *   outlive its ZooKeeper session.
 * - In local mode it holds a copy of the flock'd descriptor as fd 3 and lets go only when CMD's
 *   group is dead, so that a `kill -9` of switchman cannot free the lock while CMD's children run.
 *
 * The pipe protocol, one line each: CMD's pgid first, then beats, each the number of seconds
 * the next line may take (`-` = no limit). EOF or a late line: kill the group. The script is
 * fixed text with no user data in it, and it never runs CMD. bash is used for `read -t`, which
 * dash lacks; bash is Essential in Debian.
 */
import { spawn, type ChildProcess } from "node:child_process";

/**
 * The guard (bash): reads CMD's pgid, then heartbeat lines. EOF (switchman gone) or a late beat:
 * SIGKILL to the whole group, then wait (at most ~5 s) until no live member is left, because the
 * guard may hold the lock as fd 3 and must not let it go while any of CMD's processes still
 * runs. Zombies do not count (an init that does not reap orphans keeps them for ever).
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

/** How to start the guard. */
export interface GuardProcessOptions {
  /** PATH, the guard's only environment variable. */
  path: string;
  /** A descriptor holding the lock (local mode), kept open by the guard until CMD's group is dead. */
  lockFd?: number;
  /** More such descriptors (local leases), as fds 4 and up. */
  extraFds?: number[];
  /** Trouble starting or talking to the guard (the caller's log). */
  warn: (message: string) => void;
}

/** A running guard process. Start it before CMD (forking a big Node process is slow under load). */
export class GuardProcess {
  private process: ChildProcess | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private retiring = false;
  private exitedOnItsOwn = false;
  private readonly exited: Promise<void>;

  private constructor(options: GuardProcessOptions) {
    let exited: Promise<void> = Promise.resolve();
    try {
      // $0 and $1 only label the guard for operators (ps): "switchman-guard <switchman's pid>".
      // --norc and a PATH-only environment: bash sources ~/.bashrc when its stdin is a socket
      // (its "run by sshd" heuristic; Node's pipes are socketpairs) and $BASH_ENV otherwise, and
      // whatever those start would inherit the guard's copy of the lock.
      const guard = spawn("bash", ["--norc", "--noprofile", "-c", GUARD_SCRIPT, "switchman-guard", String(process.pid)], {
        detached: true,
        env: { PATH: options.path },
        // fd 3 is the lock (or /dev/null's place, "ignore"), leases from fd 4 on.
        stdio:
          options.lockFd === undefined && (options.extraFds ?? []).length === 0
            ? ["pipe", "ignore", "ignore"]
            : ["pipe", "ignore", "ignore", options.lockFd ?? "ignore", ...(options.extraFds ?? [])],
      });
      guard.on("error", (error) => options.warn(`cannot start the guard process: ${error.message}`));
      exited = new Promise((resolve) =>
        guard.once("exit", () => {
          if (!this.retiring) this.exitedOnItsOwn = true;
          resolve();
        }),
      );
      guard.stdin?.on("error", () => {
        // EPIPE when the guard died: the pdeathsig still protects CMD itself.
      });
      this.process = guard;
    } catch (error) {
      options.warn(`cannot start the guard process: ${(error as Error).message}`);
    }
    this.exited = exited;
  }

  /** Starts the guard (never throws: a guard that cannot start is a warning). */
  static start(options: GuardProcessOptions): GuardProcess {
    return new GuardProcess(options);
  }

  /**
   * Hands the guard CMD's process group and starts the beats: one now, then one every second,
   * each the time until the next must arrive, from `remainingMs` (undefined = no limit). That is
   * the kill-by time itself: switchman's own SIGKILL of a loss is due KILL_LEAD_S before it
   * (budget.ts), so the guard never cuts a termination short; it acts only when switchman is
   * stopped or blocked, and its own wake-up is part of the safety margin. Call it
   * in the same tick as CMD's spawn: the write is synchronous for a pipe with room (libuv tries
   * it at once), so no tick passes between CMD's start and the guard knowing its group.
   */
  watch(pgid: number, remainingMs: () => number | undefined): void {
    this.process?.stdin?.write(`${pgid}\n`);
    const beat = (): void => {
      const ms = remainingMs();
      // Rounded down to the 10 ms bash's read -t is given: never later than the kill-by time.
      this.process?.stdin?.write(`${ms === undefined ? "-" : Math.max(0.05, Math.floor(ms / 10) / 100).toFixed(2)}\n`);
    };
    beat();
    this.beatTimer = setInterval(beat, GUARD_BEAT_MS);
  }

  /** True once the guard exited without being retired: it killed CMD's group. */
  get fired(): boolean {
    return this.exitedOnItsOwn;
  }

  /**
   * Waits at most `ms` for the guard to exit: CMD killed by a SIGKILL switchman did not send
   * may be the guard's doing, whose exit is reaped in the same round but reported a moment later.
   */
  async exitWithin(ms: number): Promise<void> {
    if (this.process === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /**
   * Retires the guard once CMD's group is empty (before its pgid could be reused) and waits until
   * it is gone: its copy of the lock descriptor closes only then. Idempotent.
   */
  async retire(): Promise<void> {
    clearInterval(this.beatTimer);
    const guard = this.process;
    if (guard === undefined) return;
    this.process = undefined;
    this.retiring = true;
    guard.kill("SIGKILL");
    guard.stdin?.destroy();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, GUARD_RETIRE_MS)))]);
    clearTimeout(timer);
  }
}
