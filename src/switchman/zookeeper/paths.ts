/**
 * The znode layout shared with App::switchman (lib/App/Switchman.pm: `$LOCKS_PATH = 'locks'`,
 * lock path `join '/', prefix, 'locks', lockname`), and validation done before any request:
 * node-zookeeper-client throws synchronously (an AssertionError from lib/Path.js) on a bad
 * path, which must never reach the event loop as an uncaught exception.
 */
import { LOCKNAME_RULE, locknameProblem } from "../../syntax/lockname.js";
import { prefixProblem } from "../../syntax/znode.js";
import { SwitchmanError } from "../coordinator.js";

/** Throws SwitchmanError (exit 2) unless `prefix` is a usable znode path (the config's own rule). */
export function checkPrefix(prefix: string): void {
  const problem = prefixProblem(prefix);
  if (problem !== undefined) throw new SwitchmanError(`bad prefix ${JSON.stringify(prefix)}: ${problem}`, 2);
}

/** Throws SwitchmanError (exit 2) unless `lockname` is a valid lock name (SPEC 4.3). */
export function checkLockname(lockname: string): void {
  const problem = locknameProblem(lockname);
  if (problem !== undefined) throw new SwitchmanError(`bad lockname ${JSON.stringify(lockname)}: it ${problem} (${LOCKNAME_RULE})`, 2);
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
