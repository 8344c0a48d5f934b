/**
 * Where a job user's run records and journal live: `<state_dir>/<uid>/`, one directory per job
 * user (default `/var/lib/switchman/<uid>/`), the same design as local mode's lock directories
 * (src/switchman/local/lockdir.ts, docs/switchman.md "Local mode with several job users"):
 *
 * - `<state_dir>` is root's, mode 1777 (world-writable with the sticky bit, like /run/lock and
 *   /var/tmp): every job user may create its own entry, nobody may rename or remove another's.
 *   Debian's /var/lib/<package> convention: the switchman package creates it; a root switchman
 *   that finds it missing creates it too; a job user that finds it missing says how to make it.
 * - `<state_dir>/<uid>/` belongs to the job user, mode 0755: only that user writes its records,
 *   everyone may read them (`switchman --status`, monitoring). They hold no commands and no
 *   environment, only what the 0644 switchman log holds already.
 * - Every directory on the path must be root's or the job user's and not writable by others
 *   (the StrictModes rule of lockdir.ts, one implementation); a user directory planted by
 *   another user is refused, never used.
 *
 * Unlike the lock directory, a state directory that cannot be used never stops the job: the
 * error is a RecordsUnavailable, which the recorder logs at warning.
 */
import type { Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { asyncFs, type Fs } from "./fs.js";
import { describeUser, effectiveUid } from "../job-user.js";
import { untrustedComponent } from "../local/lockdir.js";

/** Default state directory (Debian Policy 9.1.1: /var/lib/<package> for state that must persist). */
export const DEFAULT_STATE_DIR = "/var/lib/switchman";
/** Mode of `<state_dir>` when a root switchman creates it. */
export const STATE_DIR_MODE = 0o1777;
/** Mode of a user's own state directory. */
export const USER_STATE_DIR_MODE = 0o755;

/** A record, journal or textfile that cannot be written, with a one-line message naming path, user and fix. */
export class RecordsUnavailable extends Error {
  override readonly name = "RecordsUnavailable";
}

function fail(message: string): never {
  throw new RecordsUnavailable(message);
}

async function lstatOrUndefined(fs: Fs, path: string, who: () => string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    fail(`cannot use state directory ${path} as ${who()}: ${(error as Error).message}`);
  }
}

/**
 * The job user's own state directory under `base`, created (0755) when missing, after checking
 * that nobody else can tamper with it. Throws RecordsUnavailable.
 */
export async function userStateDir(base: string, fs: Fs = asyncFs): Promise<string> {
  const uid = effectiveUid();
  // Only messages name the user: a run that finds everything in order never looks it up (getpwuid).
  let described: string | undefined;
  const who = (): string => (described ??= describeUser(uid));
  const root = resolve(base);
  if ((await lstatOrUndefined(fs, root, who)) === undefined) {
    if (uid !== 0) {
      fail(
        `state directory ${root} does not exist, and ${who()} may not create it (only root creates the shared state directory): ` +
          `create it as root with "install -d -m 1777 ${root}" (the switchman package creates ${DEFAULT_STATE_DIR})`,
      );
    }
    try {
      await fs.mkdir(dirname(root), 0o755, true);
      await fs.mkdir(root, 0o755);
      await fs.chmod(root, STATE_DIR_MODE); // mkdir's mode is cut by the umask
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") fail(`cannot create state directory ${root}: ${(error as Error).message}`);
    }
  }
  let problem: string | undefined;
  try {
    problem = untrustedComponent(root, uid); // a few lstat(2) calls, once per run
  } catch (error) {
    fail(`cannot use state directory ${root} as ${who()}: ${(error as Error).message}`);
  }
  if (problem !== undefined) fail(`state directory ${root} cannot be trusted by ${who()}: ${problem}`);

  const own = join(root, String(uid));
  let created = false;
  let stat: Stats | undefined;
  try {
    // Usually there already: one lstat instead of a failing mkdir and an lstat.
    stat = await lstatOrUndefined(fs, own, who);
    if (stat === undefined) {
      await fs.mkdir(own, USER_STATE_DIR_MODE);
      created = true;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      fail(
        `cannot create ${own} (the state directory of ${who()}): permission denied; every job user creates its own directory in ${root}, ` +
          `so it must be world-writable with the sticky bit: chmod 1777 ${root}`,
      );
    }
    if (code !== "EEXIST") fail(`cannot create ${own} (the state directory of ${who()}): ${(error as Error).message}`);
  }
  if (created) await fs.chmod(own, USER_STATE_DIR_MODE); // readable by monitoring whatever the umask
  if (stat === undefined) stat = await lstatOrUndefined(fs, own, who); // made here, or by a racing run (EEXIST)
  if (stat === undefined) fail(`state directory ${own} of ${who()} vanished while switchman was creating it`);
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    fail(`${own} should be the state directory of ${who()} but is not a directory: remove it as root (rm ${own})`);
  }
  if (stat.uid !== uid) {
    fail(
      `${own} should be the state directory of ${who()} but belongs to ${describeUser(stat.uid)}, who created it first; ` +
        `switchman never uses it: remove it as root (rm -r ${own})`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    fail(`${own}, the state directory of ${who()}, is writable by other users (mode ${(stat.mode & 0o7777).toString(8)}): chmod 0755 ${own}`);
  }
  return own;
}

/**
 * True (and the marker `<userDir>/<name>` touched) when the marker is missing or older than
 * `everyMs`: for warnings about a setup that repeat once a day instead of on every run.
 */
export async function noteOncePer(userDir: string, name: string, everyMs: number, fs: Fs = asyncFs): Promise<boolean> {
  const marker = join(userDir, name);
  const last = await fs.stat(marker).then((s) => s.mtimeMs, () => 0);
  if (Date.now() - last < everyMs) return false;
  const now = new Date();
  await fs.writeFile(marker, "", 0o644).then(() => fs.utimes(marker, now)).catch(() => undefined);
  return true;
}
