/**
 * What a run does when another run of the same job holds its lock (issue 16): METADATA
 * `concurrency`, switchman's `--concurrency` and the linter ask this module. Zod-free.
 *
 * - `forbid` (the default, App::switchman's behaviour): the lock is held, the new run is skipped.
 * - `allow`: no lock (`--no-lock`, METADATA `lock: no`); runs may overlap.
 * - `replace`: the new run asks the holder to stop and starts once the holder's CMD is dead.
 */

/** The policies, in the order the docs list them. */
export const CONCURRENCY_POLICIES = ["forbid", "allow", "replace"] as const;

/** One policy. */
export type Concurrency = (typeof CONCURRENCY_POLICIES)[number];

/** The default policy. */
export const DEFAULT_CONCURRENCY: Concurrency = "forbid";

/** The rule in one line, for messages. */
export const CONCURRENCY_RULE = "forbid (skip while another run holds the lock), allow (no lock) or replace (stop the holder, then run)";

/** True when `text` names a policy. */
export function isConcurrency(text: string): text is Concurrency {
  return (CONCURRENCY_POLICIES as readonly string[]).includes(text);
}
