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
