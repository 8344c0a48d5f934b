/**
 * cron.d file names. Debian's cron ignores files in /etc/cron.d whose names do not follow
 * run-parts' LANANA rules (cron(8), "Debian-specific"): letters, digits, `_` and `-` only,
 * so a package `foo.bar` installed as /etc/cron.d/foo.bar would never run. Package names
 * are lower case, so cronmeta's safe alphabet is `[a-z0-9-]` (SPEC 4.1).
 */

const SAFE = /^[a-z0-9-]+$/;

/** True when cron reads a cron.d file of this name. */
export function isCronSafeName(name: string): boolean {
  return SAFE.test(name);
}

/** The cron.d file name for a package: every character outside `[a-z0-9-]` becomes `-`. */
export function cronFileName(pkg: string): string {
  return pkg.replace(/[^a-z0-9-]/g, "-");
}

// database.c valid_name(), taken by Debian from run-parts: the "classical" names cron reads by
// default, and the LSB names it reads instead when started with -l (EXTRA_OPTS in /etc/default/cron).
const CLASSICAL = /^[a-zA-Z0-9_-]+$/;
const LSB_HIERARCHICAL = /^_?([a-z0-9_.]+-)+[a-z0-9]+$/;
const LSB_DPKG_BACKUP = /^[a-z0-9-].*dpkg-(old|dist)$/;
const LSB_TRADITIONAL = /^[a-z0-9][a-z0-9-]*$/;

/**
 * True when Debian's cron reads a file of this name in /etc/cron.d (database.c: names starting
 * with "." are skipped, then valid_name()); `lsb` for a cron started with `-l`.
 */
export function cronReadsCronDFile(name: string, lsb = false): boolean {
  if (name.startsWith(".")) return false;
  if (!lsb) return CLASSICAL.test(name);
  return LSB_HIERARCHICAL.test(name) ? !LSB_DPKG_BACKUP.test(name) : LSB_TRADITIONAL.test(name);
}
