/**
 * What kind of crontab a file is and where cron would read it, decided from its path (or the
 * `--type` / `--installed` options): the grammar (a cron.d line has a user field, a user
 * crontab has none), whether cron's file checks apply (owner, mode, links: database.c), and
 * the name cron would see in /etc/cron.d. Pure: paths in, decisions out.
 */
import { posix } from "node:path";

/** A system crontab (/etc/crontab, /etc/cron.d/*: a user field on every job) or a user crontab. */
export type CrontabType = "cron.d" | "crontab";

/** Where the file is read by cron, which decides which of database.c's checks apply. */
export type CrontabPlace =
  /** /etc/cron.d/NAME or /etc/crontab: root owner, not group/other writable, one link. */
  | "system"
  /** /var/spool/cron/crontabs/USER: owner USER or root, mode 0600, no symlink, one link. */
  | "spool"
  /** Anywhere else (a source tree, a package build tree): file checks do not apply. */
  | "elsewhere";

export const SYSTEM_CRONTAB = "/etc/crontab";
export const SYSTEM_CRON_DIR = "/etc/cron.d";
export const SPOOL_DIR = "/var/spool/cron/crontabs";

/** The type a path implies, or undefined when only `--type` can tell. */
export function typeFromPath(path: string): CrontabType | undefined {
  const name = posix.basename(path);
  const dir = posix.dirname(path);
  if (path === SYSTEM_CRONTAB || posix.basename(dir) === "cron.d" || name.endsWith(".cron.d")) return "cron.d";
  if (posix.basename(dir) === "crontabs" || name === "crontab" || name.endsWith(".crontab")) return "crontab";
  return undefined;
}

/** Where cron reads the file (from its real path, symbolic links resolved). */
export function placeOf(realPath: string): CrontabPlace {
  if (realPath === SYSTEM_CRONTAB || posix.dirname(realPath) === SYSTEM_CRON_DIR) return "system";
  if (posix.dirname(realPath) === SPOOL_DIR) return "spool";
  return "elsewhere";
}

/**
 * The name the file has (or will have) in /etc/cron.d, for cron's file-name rule: its own name
 * there or in any directory called cron.d (a build tree, a configuration repository), and
 * PACKAGE for debian/PACKAGE.cron.d, which dh_installcron installs as /etc/cron.d/PACKAGE.
 * Undefined for /etc/crontab, user crontabs and files whose installed name is unknown.
 */
export function cronDName(path: string): string | undefined {
  const name = posix.basename(path);
  const dir = posix.dirname(path);
  if (posix.basename(dir) === "cron.d") return name;
  if (posix.basename(dir) === "debian" && name.endsWith(".cron.d") && name !== ".cron.d") return name.slice(0, -".cron.d".length);
  return undefined;
}

/** Names in a directory that are leftovers of dpkg, ucf or an editor, skipped when a directory is checked. */
export function isLeftoverName(name: string): boolean {
  return /\.(dpkg-(old|dist|new|tmp|bak|remove)|ucf-(old|new|dist))$/.test(name) || name.endsWith("~");
}
