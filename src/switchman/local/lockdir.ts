/**
 * Where a job user's local locks live: `<lockdir>/<uid>/`, one directory per user, mode 0700,
 * owned by that user (docs/switchman.md, "Local mode with several job users").
 *
 * Why per user: a lock that several users can open can be held by any of them, so one job user
 * could block another's job for ever; and a name in a shared directory can be planted (a
 * symlink, a file) before its rightful user first creates it. With one private directory per
 * user nobody else can open, create, replace or delete a lock file of that user; root alone can.
 *
 * `<lockdir>` itself is shared, so it must be root's, world-writable only with the sticky bit
 * (1777, like /run/lock): then a user may create and remove only its own entries, and a user
 * directory, once made, cannot be renamed or removed by anyone else. Every directory on the
 * path to it, and every symlink followed, must be root's or the job user's and not writable by
 * others (OpenSSH's StrictModes rule): anyone who could rename a component could swap the whole
 * tree under a running job and let a second holder in. Only root creates `<lockdir>`; a job
 * user that finds it missing gets exit 75 and the command that creates it.
 *
 * A user directory planted by another user before its owner's first run (possible in a
 * world-writable directory) is refused, never used: exit 75 naming both users. Creating the
 * user directories at boot as root (tmpfiles.d) rules that out; the docs say how.
 */
import { type Stats, chmodSync, lstatSync, mkdirSync, readlinkSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { SwitchmanError } from "../coordinator.js";
import { describeUser, effectiveUid } from "../job-user.js";

/** Exit status when the lock directory cannot be used: nothing runs (SPEC 8.3). */
export const EXIT_LOCKDIR = 75;

/** Mode of `<lockdir>` when switchman (as root) creates it, as the tmpfiles.d entry does. */
export const LOCKDIR_MODE = 0o1777;
/** Mode of a user's own lock directory. */
export const USER_DIR_MODE = 0o700;

const S_ISVTX = 0o1000;
/** Symlinks followed while checking one path; more is a loop (the kernel's own limit is 40). */
const MAX_SYMLINKS = 40;

function fail(message: string): never {
  throw new SwitchmanError(message, EXIT_LOCKDIR);
}

function errorText(error: unknown): string {
  return (error as Error).message;
}

/** A directory or symlink is trusted when root or the job user owns it. */
function trustedOwner(stat: Stats, uid: number): boolean {
  return stat.uid === 0 || stat.uid === uid;
}

/** Group- or world-writable without the sticky bit: others could rename what is inside. */
function openToOthers(stat: Stats): boolean {
  return (stat.mode & 0o022) !== 0 && (stat.mode & S_ISVTX) === 0;
}

/**
 * Checks every directory from `/` to `path` (following symlinks, each checked too) and returns
 * the first problem as a message, or undefined. `path` must exist.
 */
export function untrustedComponent(path: string, uid: number): string | undefined {
  const pending = path.split("/").filter((part) => part !== "");
  let current = "/";
  let links = 0;
  const check = (at: string, stat: Stats): string | undefined => {
    if (!trustedOwner(stat, uid)) return `${at} belongs to ${describeUser(stat.uid)}, neither root nor the job's ${describeUser(uid)}`;
    if (stat.isDirectory() && openToOthers(stat)) {
      return `${at} is writable by other users without the sticky bit (mode ${(stat.mode & 0o7777).toString(8)}): chmod o-w,g-w ${at}, or chmod +t ${at}`;
    }
    return undefined;
  };
  const problem = check("/", lstatSync("/"));
  if (problem !== undefined) return problem;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === ".") continue;
    if (part === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    const stat = lstatSync(next);
    const bad = check(next, stat);
    if (bad !== undefined) return bad;
    if (stat.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) return `${path}: too many levels of symbolic links`;
      const target = readlinkSync(next);
      pending.unshift(...target.split("/").filter((p) => p !== ""));
      if (isAbsolute(target)) current = "/";
      continue;
    }
    if (!stat.isDirectory()) return `${next} is not a directory`;
    current = next;
  }
  return undefined;
}

/** Creates `<lockdir>` (root only): parents 0755 (less the umask), the directory itself 1777. */
function createLockdir(lockdir: string): void {
  try {
    mkdirSync(dirname(lockdir), { recursive: true, mode: 0o755 });
    mkdirSync(lockdir, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return; // made by a concurrent switchman or tmpfiles
    fail(`cannot create lock directory ${lockdir}: ${errorText(error)}`);
  }
  // mkdir's mode is cut by the umask (cron's 022): chmod makes it 1777, as tmpfiles.d would.
  chmodSync(lockdir, LOCKDIR_MODE);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    fail(`cannot use lock directory ${path} as ${describeUser()}: ${errorText(error)}`);
  }
}

/**
 * The job user's own lock directory under `lockdir`, created (0700) if missing, after checking
 * that nobody else can tamper with it. Throws SwitchmanError 75 with a one-line message that
 * names the path, the user and what to change.
 */
export function userLockDir(lockdir: string): string {
  const uid = effectiveUid();
  const who = describeUser(uid);
  const base = resolve(lockdir);
  if (lstatOrUndefined(base) === undefined) {
    if (uid !== 0) {
      fail(
        `lock directory ${base} does not exist, and ${who} may not create it (only root creates the shared lock directory): ` +
          `create it as root with "install -d -m 1777 ${base}" (switchman's tmpfiles.d entry does this for /run/lock/switchman at boot)`,
      );
    }
    createLockdir(base);
  }
  let problem: string | undefined;
  try {
    problem = untrustedComponent(base, uid);
  } catch (error) {
    fail(`cannot use lock directory ${base} as ${who}: ${errorText(error)}`);
  }
  if (problem !== undefined) fail(`lock directory ${base} cannot be trusted by ${who}: ${problem}`);

  const own = join(base, String(uid));
  try {
    mkdirSync(own, { mode: USER_DIR_MODE });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      fail(
        `cannot create ${own} (the lock directory of ${who}): permission denied; every job user creates its own directory in ${base}, ` +
          `so it must be world-writable with the sticky bit: chmod 1777 ${base}`,
      );
    }
    if (code !== "EEXIST") fail(`cannot create ${own} (the lock directory of ${who}): ${errorText(error)}`);
  }
  const stat = lstatOrUndefined(own);
  if (stat === undefined) fail(`lock directory ${own} of ${who} vanished while switchman was creating it`);
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    fail(`${own} should be the lock directory of ${who} but is not a directory${stat.uid === uid ? "" : ` (it belongs to ${describeUser(stat.uid)})`}: remove it as root (rm ${own})`);
  }
  if (stat.uid !== uid) {
    fail(
      `${own} should be the lock directory of ${who} but belongs to ${describeUser(stat.uid)}, who created it first; ` +
        `switchman never uses it: remove it as root (rm -r ${own}), and see "Local mode with several job users" in docs/switchman.md to have it made at boot`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    fail(`${own}, the lock directory of ${who}, is writable by other users (mode ${(stat.mode & 0o7777).toString(8)}): chmod 0700 ${own}`);
  }
  return own;
}
