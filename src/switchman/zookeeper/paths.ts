/**
 * The znode layout shared with App::switchman (lib/App/Switchman.pm: `$LOCKS_PATH = 'locks'`,
 * lock path `join '/', prefix, 'locks', lockname`), and validation done before any request:
 * node-zookeeper-client throws synchronously (an AssertionError from lib/Path.js) on a bad
 * path, which must never reach the event loop as an uncaught exception.
 */
import { SwitchmanError } from "../coordinator.js";

/** SPEC 8.1: the prefix is one or more `/name` segments. */
const PREFIX_PATTERN = /^(\/[^/]+)+$/;
/** SPEC 4.3: lock names are 1-512 characters from this set, not `.` or `..`. */
const LOCKNAME_PATTERN = /^[A-Za-z0-9._-]{1,512}$/;

/** Throws SwitchmanError (exit 2) unless `prefix` is a usable znode path. */
export function checkPrefix(prefix: string): void {
  // ZooKeeper also rejects `.`/`..` segments and some code points (PathUtils.validatePath);
  // /zookeeper is the server's own reserved subtree.
  const segments = prefix.split("/").slice(1);
  const bad =
    !PREFIX_PATTERN.test(prefix) ||
    segments.some((s) => s === "." || s === "..") ||
    segments[0] === "zookeeper" ||
    /[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/.test(prefix);
  if (bad) {
    throw new SwitchmanError(`bad prefix ${JSON.stringify(prefix)}: expected a znode path like /myproject/switchman`, 2);
  }
}

/** Throws SwitchmanError (exit 2) unless `lockname` is a valid lock name (SPEC 4.3). */
export function checkLockname(lockname: string): void {
  if (!LOCKNAME_PATTERN.test(lockname) || lockname === "." || lockname === "..") {
    throw new SwitchmanError(
      `bad lockname ${JSON.stringify(lockname)}: 1-512 characters from [A-Za-z0-9._-], not "." or ".."`,
      2,
    );
  }
}

/** `<prefix>/locks`, the parent of every lock node. */
export function locksPath(prefix: string): string {
  return `${prefix}/locks`;
}

/** `<prefix>/locks/<lockname>`, the ephemeral lock node. */
export function lockPath(prefix: string, lockname: string): string {
  return `${locksPath(prefix)}/${lockname}`;
}

/** The lock node's data, as App::switchman writes it: `"<fqdn> <pid>"`. */
export function lockData(host: string, pid: number): Buffer {
  return Buffer.from(`${host} ${pid}`, "utf8");
}
