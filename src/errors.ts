/**
 * A usage or configuration problem: bad option, bad config file, unreadable root.
 * The CLI prints its message on one line and exits 2; it is never a diagnostic.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
