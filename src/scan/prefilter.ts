/**
 * Byte-level tests that run on a file's raw bytes before any decoding or parsing, and say
 * "this file cannot hold METADATA" for almost every file of a large tree. Both are necessary
 * conditions only: a file they pass may still hold nothing, a file they reject never holds
 * anything the extractors would report.
 */

const POD_MARKER = Buffer.from("=head1 METADATA");
const JSDOC_MARKER = Buffer.from("@crontab");
const COMMENT_OPEN = Buffer.from("/*");
const COMMENT_CLOSE = Buffer.from("*/");
const LF = 0x0a;
/** UTF-8 byte-order mark: the decoder drops it, so a block may open right after it. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The bytes one of which a file with POD METADATA, or a near miss of it, holds (pod.ts). */
export const POD_NEAR_MARKERS: readonly Buffer[] = [Buffer.from("METADATA"), Buffer.from("<crontab>")];

/**
 * True when `bytes` may hold a METADATA block or a near miss pod.ts reports: `METADATA` in
 * upper case (every block and every heading near miss that is reported without sections holds
 * it) or `<crontab>` (a section outside a block, or under a heading such as `=head1 Metadata`).
 * Two byte searches, like the one for `=head1 METADATA` they replace plus one: decoding and the
 * line-by-line POD reader are cheap next to reading the file.
 */
export function mayHoldPodBlock(bytes: Buffer): boolean {
  return POD_NEAR_MARKERS.some((marker) => bytes.includes(marker));
}

/** Offset of the first `=head1 METADATA` that starts a line, or -1 (see {@link mayHoldPodBlock}). */
export function podMarkerOffset(bytes: Buffer): number {
  for (let at = bytes.indexOf(POD_MARKER); at >= 0; at = bytes.indexOf(POD_MARKER, at + 1)) {
    if (at === 0 || bytes[at - 1] === LF || (at === BOM.length && bytes.subarray(0, at).equals(BOM))) return at;
  }
  return -1;
}

/**
 * True when some `@crontab` in `bytes` may sit inside a block comment: a `/*` comes before it
 * with no `*\/` in between. Babel is the expensive step of the scan and the JSDoc extractor
 * only reads tags from block comments, so a bundle or a help text that mentions `@crontab` in a
 * string or a `//` comment is not parsed at all.
 *
 * Why this never rejects a real tag: if `@crontab` at q is inside a block comment opened at p,
 * the text from p to q holds no `*\/` (it would have ended the comment), so the last `/*`
 * before q (at p or later) has no `*\/` between it and q either. A `/*` or `*\/` inside a string
 * can only make the test pass more often (a wasted parse), never fail for a real tag.
 */
export function mayHoldJsdocTag(bytes: Buffer): boolean {
  return jsdocMarkerOffset(bytes) >= 0 || lineCommentTagOffset(bytes) >= 0;
}

const LINE_COMMENT = Buffer.from("//");

/**
 * Offset of the first `@crontab` that a `//` comment may hold (a `//` before it on its line), or
 * -1: `// @crontab` with `key: value` comments after it is a near miss jsdoc.ts reports.
 */
export function lineCommentTagOffset(bytes: Buffer): number {
  for (let at = bytes.indexOf(JSDOC_MARKER); at >= 0; at = bytes.indexOf(JSDOC_MARKER, at + JSDOC_MARKER.length)) {
    const lineStart = bytes.lastIndexOf(LF, at) + 1;
    if (bytes.subarray(lineStart, at).includes(LINE_COMMENT)) return at;
  }
  return -1;
}

/** Offset of the first `@crontab` that may sit inside a block comment, or -1 (see {@link mayHoldJsdocTag}). */
export function jsdocMarkerOffset(bytes: Buffer): number {
  let open = -1; // the last `/*` before the current `@crontab`
  let closeAfterOpen = -1; // the first `*/` after that `/*` (-1: none in the file)
  let searchedUpTo = 0;
  for (let at = bytes.indexOf(JSDOC_MARKER); at >= 0; at = bytes.indexOf(JSDOC_MARKER, at + JSDOC_MARKER.length)) {
    // Only the bytes since the previous `@crontab` can hold a later `/*`: linear overall.
    const found = bytes.subarray(searchedUpTo, at).lastIndexOf(COMMENT_OPEN);
    if (found >= 0) {
      open = searchedUpTo + found;
      // `/*/` does not close: the `*/` must start after the `/*`.
      closeAfterOpen = bytes.indexOf(COMMENT_CLOSE, open + 2);
    }
    searchedUpTo = at;
    if (open >= 0 && (closeAfterOpen < 0 || closeAfterOpen > at)) return at;
  }
  return -1;
}
