/**
 * switchman lock names (SPEC 4.3): 1-512 characters from `[A-Za-z0-9._-]`, not `.` or `..`.
 * A lock name becomes a znode (`<prefix>/locks/<lockname>`) or a file in local mode's lock
 * directory, and cronmeta writes it unquoted on the cron line: the linter, the job builder and
 * switchman (its command line and its ZooKeeper paths) all ask this module.
 */

/** The longest lock name. */
const LOCKNAME_MAX_LENGTH = 512;

/** The rule in one line, for messages that add it to the reason. */
export const LOCKNAME_RULE = `1-${LOCKNAME_MAX_LENGTH} characters from [A-Za-z0-9._-], not "." or ".."`;

const ALPHABET = /[^A-Za-z0-9._-]/;

/**
 * Why `name` is not a lock name (a phrase that follows the name: `"a b" contains " "; ...`),
 * or undefined when it is one.
 */
export function locknameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > LOCKNAME_MAX_LENGTH) return `is ${name.length} characters long; the limit is ${LOCKNAME_MAX_LENGTH}`;
  if (name === "." || name === "..") return `cannot be "${name}"`;
  const bad = ALPHABET.exec(name);
  if (bad) return `contains ${JSON.stringify(bad[0])}; only letters, digits, ".", "_" and "-" are allowed`;
  return undefined;
}

/** True when `name` is a valid lock name. */
export function isLockname(name: string): boolean {
  return locknameProblem(name) === undefined;
}
