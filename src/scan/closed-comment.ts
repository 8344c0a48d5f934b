/**
 * Finds the `*\/` that closed a `@crontab` JSDoc comment too early: an author who writes a cron
 * step as `*\/10` inside `/** … *\/` ends the comment there, and Babel then fails on the cron
 * fields that follow. Babel gives no comments for a file it cannot parse, so this is a small
 * lexical scan; every candidate is confirmed by re-parsing (see jsdoc.ts).
 */

/**
 * Offset of the last `*\/` before `before` that (1) closes a `/**` comment containing
 * `@crontab`, (2) has more text after it on the same line and (3) sits on a `key: value` line.
 * Null when there is none.
 */
export function findEarlyClose(text: string, before: number): number | null {
  let pos = 0;
  let found: number | null = null;
  for (;;) {
    const open = text.indexOf("/*", pos);
    if (open < 0 || open >= before) break;
    // A `//` comment before the opener hides it (`// see /* …`).
    const lineComment = text.indexOf("//", pos);
    if (lineComment >= 0 && lineComment < open) {
      const eol = text.indexOf("\n", lineComment);
      if (eol < 0) break;
      pos = eol + 1;
      continue;
    }
    const close = text.indexOf("*/", open + 2);
    if (close < 0 || close >= before) break;
    if (isCandidate(text, open, close)) found = close;
    pos = close + 2;
  }
  return found;
}

function isCandidate(text: string, open: number, close: number): boolean {
  if (!text.startsWith("/**", open) || text.startsWith("/***", open)) return false;
  if (!text.slice(open, close).includes("@crontab")) return false;
  return mayCloseEarly(text, close);
}

/** True when the `*\/` at `close` has the shape of an early close: more text after it on a `key: value` line. */
export function mayCloseEarly(text: string, close: number): boolean {
  const lineStart = text.lastIndexOf("\n", close) + 1;
  let lineEnd = text.indexOf("\n", close);
  if (lineEnd < 0) lineEnd = text.length;
  const after = text.slice(close + 2, lineEnd).trim();
  const beforeOnLine = text.slice(lineStart, close);
  return after !== "" && beforeOnLine.includes(":");
}
