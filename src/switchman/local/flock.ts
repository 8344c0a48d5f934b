/**
 * Kernel `flock(2)` locks from Node, which has no binding for it: switchman opens the lock
 * file itself (libuv opens with O_CLOEXEC, so CMD never inherits it) and lets util-linux
 * `flock --nonblock 3` lock that very file description, passed as the helper's fd 3. A flock
 * belongs to the open file description (flock(2): "locks created by flock() are associated with
 * an open file description"), so it outlives the helper and lasts until switchman closes its fd
 * or dies: the kernel then releases it at once, even after `kill -9`.
 */
import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SwitchmanError } from "../coordinator.js";
import { describeUser, effectiveUid } from "../job-user.js";
import { EXIT_LOCKDIR, userLockDir } from "./lockdir.js";

/** flock(1)'s exit status we ask for on conflict (its default, 1, is also used for errors). */
const CONFLICT_EXIT = 100;
/** flock -n never waits; this only guards against a hung file system. */
const FLOCK_TIMEOUT_MS = 10_000;

/** A held lock: the open lock file (and the 0.1.0 lock file of the same name, while one exists). */
export interface HeldLock {
  fd: number;
  path: string;
  legacyFd?: number;
}

/** A blocking wait for the lock (`--concurrency replace`): until `until` (performance.now()) or an abort. */
export interface LockWait {
  until?: number | undefined;
  signal: AbortSignal;
}

async function runFlock(fd: number, env: Record<string, string | undefined>, wait?: LockWait): Promise<{ code: number | null; stderr: string; error?: Error }> {
  // Loaded on first use: a skip (host not in the group) takes no lock and never loads it.
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = spawn("flock", [...(wait ? [] : ["--nonblock"]), "--conflict-exit-code", String(CONFLICT_EXIT), "3"], {
      stdio: ["ignore", "ignore", "pipe", fd],
      ...(wait ? {} : { timeout: FLOCK_TIMEOUT_MS }),
      killSignal: "SIGKILL",
      env: { PATH: env.PATH ?? "/usr/bin:/bin" },
    });
    if (wait) {
      // Killed at the wait limit or on a signal: a flock(2) still blocked is never granted then.
      const stop = (): void => void child.kill("SIGKILL");
      const left = wait.until === undefined ? undefined : wait.until - performance.now();
      const timer = left === undefined ? undefined : setTimeout(stop, Math.max(0, left));
      wait.signal.addEventListener("abort", stop);
      if (wait.signal.aborted) stop(); // aborted before the listener was there
      child.on("close", () => {
        clearTimeout(timer);
        wait.signal.removeEventListener("abort", stop);
      });
    }
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: null, stderr, error }));
    child.on("close", (code) => resolve({ code: code ?? (wait ? CONFLICT_EXIT : null), stderr }));
  });
}

/** flock(2) on an open fd: true when taken, false when another process holds it; SwitchmanError 75 on failure. */
async function lockFd(fd: number, path: string, env: Record<string, string | undefined>, wait?: LockWait): Promise<boolean> {
  const result = await runFlock(fd, env, wait);
  if (result.code === 0) return true;
  if (result.code === CONFLICT_EXIT) return false;
  const why =
    (result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT"
      ? "flock(1) not found (install util-linux)"
      : (result.error?.message ?? (result.stderr.trim() || `flock exited with ${String(result.code)}`));
  throw new SwitchmanError(`cannot lock ${path}: ${why}`, EXIT_LOCKDIR);
}

/**
 * Opens the lock file `<own>/<name>` in the job user's own directory: never through a symlink
 * (O_NOFOLLOW), and only a regular file of this user (fstat of what was opened, so nothing can
 * be swapped in between). 0600: nobody else can open it, so nobody else can flock it.
 */
function openLockFile(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === "ELOOP" ? " (a symbolic link: switchman never follows one; remove it as root)" : "";
    throw new SwitchmanError(`cannot open lock file ${path} as ${describeUser()}: ${(error as Error).message}${hint}`, EXIT_LOCKDIR);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile() || stat.uid !== effectiveUid() || stat.nlink !== 1) {
    closeSync(fd);
    const what = !stat.isFile()
      ? "is not a regular file"
      : stat.uid !== effectiveUid()
        ? `belongs to ${describeUser(stat.uid)}, not to the job's ${describeUser()}`
        : `has ${stat.nlink} hard links`;
    throw new SwitchmanError(`lock file ${path} ${what}: switchman never uses it; remove it as root (rm ${path})`, EXIT_LOCKDIR);
  }
  return fd;
}

/**
 * The lock file of the same name that switchman 0.1.0 used, `<lockdir>/<name>`, if it exists
 * and belongs to this user: a job started by the old version before an upgrade may still hold
 * it, so the new version takes it too until the next reboot empties /run/lock. It is made 0600
 * so that other users can no longer open (and hold) it. Never created, never followed.
 */
function openLegacyLockFile(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch {
    return undefined; // absent, a symlink, a directory (a user's own), or not ours to open
  }
  // One link only: in a world-writable directory a hard link to some other file of this user
  // (say root's /etc/passwd, on the same file system) could be planted under a lock's name.
  const stat = fstatSync(fd);
  if (!stat.isFile() || stat.uid !== effectiveUid() || stat.nlink !== 1) {
    closeSync(fd);
    return undefined;
  }
  try {
    fchmodSync(fd, 0o600);
  } catch {
    // Best effort: the lock is what matters.
  }
  return fd;
}

/**
 * Takes the lock `<name>` of the job user without waiting. Returns the held lock, or undefined
 * when another process holds it. The user's directory under `lockdir` is checked and created
 * first (lockdir.ts). Failures: SwitchmanError 75 (the lock could not be examined; nothing runs).
 */
export async function tryLock(lockdir: string, name: string, env: Record<string, string | undefined>, wait?: LockWait): Promise<HeldLock | undefined> {
  const own = userLockDir(lockdir);
  const path = join(own, name);
  const fd = openLockFile(path);
  if (!(await lockFd(fd, path, env, wait).catch((error: unknown) => {
    closeSync(fd);
    throw error;
  }))) {
    closeSync(fd);
    return undefined;
  }
  const legacyPath = join(lockdir, name);
  const legacyFd = openLegacyLockFile(legacyPath);
  if (legacyFd === undefined) return { fd, path };
  let legacyHeld: boolean;
  try {
    legacyHeld = await lockFd(legacyFd, legacyPath, env);
  } catch (error) {
    closeSync(legacyFd);
    closeSync(fd);
    throw error;
  }
  if (!legacyHeld) {
    closeSync(legacyFd);
    closeSync(fd);
    return undefined;
  }
  return { fd, path, legacyFd };
}

/** The path a lock of `name` has for this user, for messages (no I/O). */
export function lockPath(lockdir: string, name: string): string {
  return join(lockdir, String(effectiveUid()), name);
}

/**
 * The file a newer run leaves before it SIGTERMs the holder of `name` (`--concurrency replace`,
 * local/replace.ts): `"<holder pid> <asker pid>"`. `:` is not in the lock-name alphabet, so it
 * cannot collide with a lock (like the `lease:` directories).
 */
export function replaceRequestPath(lockdir: string, name: string): string {
  return lockPath(lockdir, `replace:${name}`);
}

/** The pids a replace request at `path` names; undefined when there is none (or it cannot be read). */
export function readReplaceRequest(path: string): { holder: number; asker: number } | undefined {
  try {
    const [holder, asker] = readFileSync(path, "utf8").trim().split(" ").map(Number);
    return { holder: holder ?? Number.NaN, asker: asker ?? Number.NaN };
  } catch {
    return undefined;
  }
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
  if (lock.legacyFd !== undefined) closeSync(lock.legacyFd);
}
