/**
 * Who switchman runs as. cron starts every job as its user (the cron.d line's user field), so
 * switchman runs as root, www-data, nobody, ...: messages about a path that user cannot use
 * name the user, so that the fix is obvious from a cron mail.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { userInfo } from "node:os";

/** The effective uid (0 where the platform has none, which Debian always has). */
export function effectiveUid(): number {
  return process.geteuid?.() ?? 0;
}

/** The name of `uid` from /etc/passwd, or undefined. Only for messages: no NSS, never throws. */
function passwdName(uid: number): string | undefined {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const fields = line.split(":");
      if (fields[2] === String(uid) && fields[0]) return fields[0];
    }
  } catch {
    // no /etc/passwd: the uid alone
  }
  return undefined;
}

/** `user www-data (uid 33)`, or `uid 1234` when the uid has no name. */
export function describeUser(uid: number = effectiveUid()): string {
  let name: string | undefined;
  if (uid === effectiveUid()) {
    try {
      name = userInfo().username;
    } catch {
      // no passwd entry (a bare uid in a container)
    }
  }
  name ??= passwdName(uid);
  return name === undefined ? `uid ${uid}` : `user ${name} (uid ${uid})`;
}

/** The user name alone, for "make it readable by NAME" (the uid when it has none). */
export function userName(uid: number = effectiveUid()): string {
  const described = describeUser(uid);
  return /^user (\S+) /.exec(described)?.[1] ?? String(uid);
}

/**
 * Why the config file cannot be read by this user, as the end of the one-line error: empty
 * unless the file exists and this user lacks read permission. The config holds no secrets
 * (switchman supports no ZooKeeper authentication), so every job user may read it.
 */
export function configAccessHint(path: string): string {
  try {
    accessSync(path, constants.R_OK);
    return "";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM") return "";
    return `; ${describeUser()} cannot read it: every job user must, so make it readable (chmod 0644 ${path}, and a+x on its directories): it holds no secrets`;
  }
}
