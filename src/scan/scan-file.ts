/**
 * Scans one file, synchronously: (with the cache) stat and compare, read, byte-level prefilter,
 * (with the cache) hash and compare, decode, and extract POD or JSDoc; on whichever thread
 * scan-pool.ts runs it.
 */
import { fstatSync, statSync } from "node:fs";
import { sep } from "node:path";
import type { ScanProblem, ScannedFile } from "../types.js";
import { binarySkippedProblem } from "./binary-skipped.js";
import { type CachedIdentity, type FileStamp, contentDigest, sameStamp, stampOf } from "./cache.js";
import type { FileReader } from "./file-reader.js";
import { type FileForm, formByFirstLine, formByName } from "./form.js";
import { extractJsdoc } from "./jsdoc.js";
import { extractPod } from "./pod.js";
import { POD_NEAR_MARKERS, mayHoldJsdocTag, mayHoldPodBlock } from "./prefilter.js";

const decoder = new TextDecoder("utf-8"); // replaces invalid bytes with U+FFFD, drops a BOM

/**
 * What scanning one file gave: `unchanged` (its stamp equals the cached one: use the cached
 * result), `same-content` (read again, its content hash equals the cached one: use the cached
 * result, with the new stamp), or the result with the stamp taken before the read (undefined
 * without a cache, or when the read failed: such results are never cached) and the content hash
 * of the bytes it came from (with a cache, when the prefilters passed them).
 */
export type FileOutcome =
  | { kind: "unchanged" }
  | { kind: "same-content"; stamp: FileStamp }
  | { kind: "scanned"; result: ScannedFile | null; stamp?: FileStamp; digest?: string };

/**
 * Scans `path` (relative to `root`). With `cached` (what the cache holds, or null for a file not
 * in it), the file's stamp is taken before any byte is read (stat(2) before the open, or fstat(2)
 * on the open file: see stampsMostlyMiss), so a file that changes in between is cached with its
 * old stamp and re-read next time. Only a file that passes the prefilters is hashed: the others
 * cost nothing to extract.
 */
export function scanFile(root: string, path: string, reader: FileReader, cached?: CachedIdentity | null): FileOutcome {
  const full = under(root, path);
  try {
    let stamp: FileStamp | undefined;
    let beforeRead: ((fd: number) => boolean) | undefined;
    if (cached === null || (cached !== undefined && stampsMostlyMiss())) {
      // The stamp from fstat(2) on the open file, before its first byte is read: one path lookup
      // less than stat(2) then open(2), for a file not in the cache or a tree whose stamps miss.
      beforeRead = (fd) => {
        stamp = stampOf(fstatSync(fd));
        if (cached === null) return true;
        const same = sameStamp(cached.stamp, stamp);
        noteStamp(same);
        return !same;
      };
    } else if (cached !== undefined) {
      stamp = stampOf(statSync(full));
      const same = sameStamp(cached.stamp, stamp);
      noteStamp(same);
      if (same) return { kind: "unchanged" };
    }
    const read = readForScan(full, path, reader, beforeRead);
    if (read === "unread") return { kind: "unchanged" };
    if (read === null || "problem" in read) {
      const result = read === null ? null : { file: path, sections: [], problems: [read.problem] };
      return stamp === undefined ? { kind: "scanned", result } : { kind: "scanned", result, stamp };
    }
    let digest: string | undefined;
    if (stamp !== undefined) {
      digest = contentDigest(read.bytes);
      if (digest === cached?.digest) return { kind: "same-content", stamp };
    }
    const text = decoder.decode(read.bytes);
    const result = scannedFile(path, read.form === "jsdoc" ? extractJsdoc(text, path) : extractPod(text));
    if (stamp === undefined) return { kind: "scanned", result };
    return digest === undefined ? { kind: "scanned", result, stamp } : { kind: "scanned", result, stamp, digest };
  } catch (error) {
    // A file removed while the tree was being scanned is simply gone.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "scanned", result: null };
    return { kind: "scanned", result: cannotRead(path, "file", error) };
  }
}

/**
 * How this thread takes the stamps of cached files: stat(2) first, so that an unchanged file is
 * never opened, until the stamps of a window of files mostly missed (a fresh checkout: every
 * inode and ctime new), then from fstat(2) on the open file for the next window. Measured per
 * window, so that a tree whose stamps start to match again goes back to stat(2).
 */
const STAMP_WINDOW = 256;
let windowLookups = 0;
let windowHits = 0;
let openFirst = false;

function stampsMostlyMiss(): boolean {
  return openFirst;
}

function noteStamp(hit: boolean): void {
  windowLookups += 1;
  if (hit) windowHits += 1;
  if (windowLookups < STAMP_WINDOW) return;
  // Open first pays when fewer than 1 in 16 stamps match (an open and a close cost about two stats).
  openFirst = windowHits * 16 < windowLookups;
  windowLookups = 0;
  windowHits = 0;
}

/**
 * `root/path` for a path the walk listed (relative, `/`-separated, without `.` or `..` segments:
 * the config schema refuses `..` in globs): what join() gives, without its normalising pass
 * over every path of the tree.
 */
function under(root: string, path: string): string {
  return root.endsWith(sep) ? root + path : `${root}${sep}${path}`;
}

/** The scanner's result for `path` from what an extractor returned. */
function scannedFile(path: string, extracted: ReturnType<typeof extractPod>): ScannedFile | null {
  if (!extracted || (extracted.sections.length === 0 && extracted.problems.length === 0)) return null;
  return { file: path, sections: extracted.sections, problems: extracted.problems };
}

/** The problem for a file or directory that cannot be read. */
export function cannotRead(file: string, what: string, error: unknown): ScannedFile {
  const err = error as NodeJS.ErrnoException;
  // "EACCES: permission denied, open '/abs/path'" -> "EACCES (permission denied)": no absolute path.
  const detail = /^[A-Z]+: ([^,]+)/.exec(err.message ?? "")?.[1];
  const reason = err.code ? (detail ? `${err.code} (${detail})` : err.code) : String(error);
  return {
    file,
    sections: [],
    problems: [{ rule: "metadata-syntax", pos: { line: 1, column: 1 }, message: `cannot read ${what}: ${reason}` }],
  };
}

const JSDOC_MARKERS: readonly Buffer[] = [Buffer.from("@crontab")];

/**
 * The form of a file given its form by name (formByName: asked once per file) and its first
 * bytes, whose first line decides only for a file without an extension.
 */
function formOf(named: FileForm | undefined, bytes: Buffer): "pod" | "jsdoc" {
  if (named !== undefined) return named.form;
  const lineEnd = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, lineEnd < 0 ? Math.min(bytes.length, 1024) : Math.min(lineEnd, 1024)).toString("latin1");
  return formByFirstLine(firstLine.replace(/^\u00ef\u00bb\u00bf/, "")).form;
}

/**
 * Reads one file and returns its bytes when they may hold METADATA in its form (valid until the
 * reader's next read); null when they cannot (binary, too large, or rejected by the byte-level
 * prefilters), and the `scan-binary-skipped` problem for a binary file whose first bytes would
 * have passed the prefilter; "unread" when `beforeRead` said not to read it. Throws read errors.
 */
function readForScan(
  full: string,
  path: string,
  reader: FileReader,
  beforeRead?: (fd: number) => boolean,
): { form: "pod" | "jsdoc"; bytes: Buffer } | { problem: ScanProblem } | null | "unread" {
  const named = formByName(path);
  const outcome = reader.read(full, (head) => (formOf(named, head) === "jsdoc" ? JSDOC_MARKERS : POD_NEAR_MARKERS), beforeRead);
  if (outcome.kind === "unread") return "unread";
  if (outcome.kind === "binary") {
    const problem = binarySkippedProblem(outcome.head, formOf(named, outcome.head));
    return problem === null ? null : { problem };
  }
  // Files too large to be a script and large files without the marker hold no METADATA (docs/scanning.md).
  if (outcome.kind !== "text") return null;
  const bytes = outcome.bytes;
  const form = formOf(named, bytes);
  // Byte-level prefilters before any decoding or parsing (prefilter.ts).
  if (!(form === "jsdoc" ? mayHoldJsdocTag(bytes) : mayHoldPodBlock(bytes))) return null;
  return { form, bytes };
}
