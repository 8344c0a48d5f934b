/**
 * The warning for a file that is skipped as binary but would otherwise have been read for
 * METADATA (`scan-binary-skipped`): one NUL byte in the first 8 KiB of a script, e.g. pasted into
 * its METADATA block, makes the scanner skip it as git and grep would, and its jobs would vanish
 * without a word. Cheap on purpose: it runs only for binary files, on the bytes the first read
 * already holds (the whole file up to 64 KiB), with the prefilters' own marker tests, so a file
 * gets the warning exactly when it would have been decoded, had it held no NUL.
 */
import type { Position, ScanProblem } from "../types.js";
import { BINARY_PROBE } from "./file-reader.js";
import { jsdocMarkerOffset, podMarkerOffset } from "./prefilter.js";

// As scan-file.ts decodes (invalid bytes become one U+FFFD each), with the file's BOM skipped by hand.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 0x0a;

/** The problem for a binary file whose first bytes `head` hold the marker of its `form`; null when they do not. */
export function binarySkippedProblem(head: Buffer, form: "pod" | "jsdoc"): ScanProblem | null {
  const marker = form === "jsdoc" ? jsdocMarkerOffset(head) : podMarkerOffset(head);
  if (marker < 0) return null;
  const nul = head.indexOf(0);
  if (nul < 0) return null; // not binary after all (cannot happen: the reader found a NUL in this head)
  const markerLine = positionOf(head, marker).line;
  const what = form === "jsdoc" ? `the @crontab tag at line ${markerLine}` : `the METADATA block at line ${markerLine}`;
  return {
    rule: "scan-binary-skipped",
    pos: positionOf(head, nul),
    message:
      `this NUL byte makes cronmeta skip the file as binary (a NUL in the first ${BINARY_PROBE / 1024} KiB, as git and grep decide), so ${what} declares no job; ` +
      "remove the NUL byte (a script that needs one can write it as an escape, e.g. printf '\\0')",
  };
}

/** The 1-based line and column (UTF-16 code units of the decoded line, docs/scanning.md) of byte `offset`. */
function positionOf(bytes: Buffer, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let at = bytes.indexOf(LF); at >= 0 && at < offset; at = bytes.indexOf(LF, at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  if (lineStart === 0 && bytes.subarray(0, BOM.length).equals(BOM)) lineStart = Math.min(BOM.length, offset);
  return { line, column: decoder.decode(bytes.subarray(lineStart, offset)).length + 1 };
}
