/**
 * Kernel `flock(2)` locks from Node, which has no binding for it: switchman opens the lock
 * file itself (libuv opens with O_CLOEXEC, so CMD never inherits it) and lets util-linux
 * `flock --nonblock 3` lock that very file description, passed as the helper's fd 3. A flock
 * belongs to the open file description (flock(2): "locks created by flock() are associated with
 * an open file description"), so it outlives the helper and lasts until switchman closes its fd
 * or dies: the kernel then releases it at once, even after `kill -9`.
 */
import { spawn } from "node:child_process";
import { closeSync, constants, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SwitchmanError } from "../coordinator.js";

/** flock(1)'s exit status we ask for on conflict (its default, 1, is also used for errors). */
const CONFLICT_EXIT = 100;
/** flock -n never waits; this only guards against a hung file system. */
const FLOCK_TIMEOUT_MS = 10_000;

/** A held lock: the open lock file. */
export interface HeldLock {
  fd: number;
  path: string;
}

function runFlock(fd: number, env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn("flock", ["--nonblock", "--conflict-exit-code", String(CONFLICT_EXIT), "3"], {
      stdio: ["ignore", "ignore", "pipe", fd],
      timeout: FLOCK_TIMEOUT_MS,
      killSignal: "SIGKILL",
      env: { PATH: env.PATH ?? "/usr/bin:/bin" },
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: null, stderr, error }));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/**
 * Takes the lock `<dir>/<name>` without waiting. Returns the held lock, or undefined when
 * another process holds it. Creates `dir` (0755) if missing. Failures: SwitchmanError 75
 * (the lock could not be examined; nothing runs).
 */
export async function tryLock(dir: string, name: string, env: Record<string, string | undefined>): Promise<HeldLock | undefined> {
  const path = join(dir, name);
  let fd: number;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    // O_NOFOLLOW: a symlink planted in the lock directory must not redirect the open.
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw new SwitchmanError(`cannot open lock file ${path}: ${(error as Error).message}`, 75);
  }
  const result = await runFlock(fd, env);
  if (result.code === 0) return { fd, path };
  closeSync(fd);
  if (result.code === CONFLICT_EXIT) return undefined;
  const why =
    (result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT"
      ? "flock(1) not found (install util-linux)"
      : (result.error?.message ?? (result.stderr.trim() || `flock exited with ${String(result.code)}`));
  throw new SwitchmanError(`cannot lock ${path}: ${why}`, 75);
}

/** Writes `"<fqdn> <pid>"` into the held lock file, for operators (best effort). */
export function describeHolder(lock: HeldLock, text: string): void {
  try {
    ftruncateSync(lock.fd, 0);
    writeSync(lock.fd, `${text}\n`, 0);
  } catch {
    // The lock itself is what matters; its label is a courtesy.
  }
}

/**
 * Releases the lock: empties the file (so it no longer names a holder) and closes it. The file
 * stays: unlinking a lock file races with processes that have it open and would lock another inode.
 */
export function releaseLock(lock: HeldLock): void {
  try {
    ftruncateSync(lock.fd, 0);
  } catch {
    // Closing releases the lock regardless.
  }
  closeSync(lock.fd);
}
