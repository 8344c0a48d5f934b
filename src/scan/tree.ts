/**
 * Finds the files of a project and extracts their METADATA (SPEC 2, SPEC 5 include/exclude).
 * Built for large trees: fast-glob skips ignored directories without entering them, files are
 * read with bounded concurrency, and a byte-level search for the marker comes before any
 * decoding or parsing.
 */
import fg from "fast-glob";
import { stat as statCb } from "node:fs";
import { lstat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { promisify } from "node:util";
import type { Config } from "../config/schema.js";
import { UsageError } from "../errors.js";
import type { ScannedFile } from "../types.js";
import { type ScanCache, stampOf } from "./cache.js";
import { FileReader } from "./fileReader.js";
import { fileForm } from "./form.js";
import { extractJsdoc } from "./jsdoc.js";
import { extractPod } from "./pod.js";
import { mayHoldJsdocTag, mayHoldPodBlock } from "./prefilter.js";

/** Files read at the same time: enough to keep the disk busy, few enough for any fd limit. */
const READ_CONCURRENCY = 32;
/** Unreadable directories are skipped one by one; past this many the scan gives up on them. */
const MAX_UNREADABLE_DIRS = 100;

// The callback API: one thread-pool round trip per call, fewer than fs.promises (see fileReader.ts).
const stat = promisify(statCb);
const decoder = new TextDecoder("utf-8"); // replaces invalid bytes with U+FFFD, drops a BOM

/**
 * Scans `root` for files with METADATA. Returns the files that have sections or problems,
 * sorted by path (code-unit order), with paths relative to the root and `/` separators.
 * Never follows symbolic links (a link's target is scanned where it lives, if in the tree);
 * always skips `.git`, `node_modules` and package build trees `<debianDir>/*\/`, and binary
 * files. Unreadable files and directories are reported as problems; only an unreadable root
 * throws (UsageError).
 */
export async function scanTree(root: string, config: Config, options: ScanOptions = {}): Promise<ScannedFile[]> {
  const { cache } = options;
  const { paths, unreadable } = await listFiles(root, config, cache === undefined ? [] : cacheFileIgnore(root, cache.path));
  const results: ScannedFile[] = [...unreadable];
  let next = 0;
  const worker = async (): Promise<void> => {
    const reader = new FileReader();
    while (next < paths.length) {
      const path = paths[next++] as string;
      const scanned = cache === undefined ? await scanFile(root, path, reader) : await scanFileCached(root, path, reader, cache);
      if (scanned) results.push(scanned);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Options of {@link scanTree}. */
export interface ScanOptions {
  /** Reuse the results of unchanged files and record the others (`--cache`, see cache.ts). */
  cache?: ScanCache;
}

/** The cache file itself is never scanned when it lives inside the tree. */
function cacheFileIgnore(root: string, cachePath: string): string[] {
  const rel = relative(root, cachePath).split(sep).join("/");
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? [] : [fg.escapePath(rel)];
}

/** Globs that are skipped whatever the config says. */
export function alwaysIgnored(debianDir: string): string[] {
  const debian = debianDir.replaceAll("\\", "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  const always = ["**/.git", "**/.git/**", "**/node_modules", "**/node_modules/**"];
  // A debianDir of "." would make every directory a package build tree.
  return debian === "" || debian === "." ? always : [...always, `${fg.escapePath(debian)}/*/**`];
}

async function listFiles(root: string, config: Config, extraIgnore: string[]): Promise<{ paths: string[]; unreadable: ScannedFile[] }> {
  const ignore = [...alwaysIgnored(config.debianDir), ...config.exclude, ...extraIgnore];
  const unreadable: ScannedFile[] = [];
  for (;;) {
    const options = {
      cwd: root,
      dot: true,
      onlyFiles: true, // also drops symbolic links, FIFOs, sockets and devices met while walking
      followSymbolicLinks: false,
      unique: true,
      ignore,
    };
    try {
      const found = (await fg(config.include, options))
        .map((p) => p.replace(/^(\.\/)+/, ""))
        // An include like `../x/**` or `/etc/**` must not reach outside the root.
        .filter((p) => !isAbsolute(p) && p !== ".." && !p.startsWith("../"));
      const linked = await linkedPaths(root, fg.generateTasks(config.include, options));
      const paths = linked.size === 0 ? found : found.filter((p) => !isUnder(p, linked));
      return { paths: [...new Set(paths)], unreadable };
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      const rel = err.path === undefined ? undefined : relative(root, err.path).split(sep).join("/");
      if (rel === undefined || rel === "" || rel.startsWith("..") || ignore.includes(fg.escapePath(rel))) {
        throw new UsageError(`cannot read root ${root}: ${err.code ?? err.message}`);
      }
      if (unreadable.length >= MAX_UNREADABLE_DIRS) {
        throw new UsageError(`cannot read more than ${MAX_UNREADABLE_DIRS} directories under ${root} (last: ${rel}: ${err.code ?? err.message})`);
      }
      ignore.push(fg.escapePath(rel));
      unreadable.push(cannotRead(rel, "directory", error));
    }
  }
}

/**
 * The symbolic links on the way to the places fast-glob opens without walking: the base
 * directory of each pattern and the path of each static pattern (fast-glob follows links there,
 * while the walk below a base never does). Only these few paths need an lstat.
 */
async function linkedPaths(root: string, tasks: ReturnType<typeof fg.generateTasks>): Promise<Set<string>> {
  const suspects = new Set<string>();
  const addPrefixes = (path: string): void => {
    const parts = path.replace(/^(\.\/)+/, "").split("/");
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (prefix !== "" && prefix !== "." && !prefix.startsWith("..")) suspects.add(prefix);
    }
  };
  for (const task of tasks) {
    addPrefixes(task.base);
    if (!task.dynamic) for (const pattern of task.positive) addPrefixes(pattern);
  }
  const linked = new Set<string>();
  await Promise.all(
    [...suspects].map(async (path) => {
      const info = await lstat(join(root, path)).catch(() => null);
      if (info?.isSymbolicLink()) linked.add(path);
    }),
  );
  return linked;
}

function isUnder(path: string, prefixes: Set<string>): boolean {
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (prefixes.has(path.slice(0, i))) return true;
  return prefixes.has(path);
}

function cannotRead(file: string, what: string, error: unknown): ScannedFile {
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

async function scanFile(root: string, path: string, reader: FileReader): Promise<ScannedFile | null> {
  try {
    return await readAndExtract(root, path, reader);
  } catch (error) {
    // A file removed while the tree was being scanned is simply gone.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return cannotRead(path, "file", error);
  }
}

/**
 * scanFile with the cache: the stat comes before the read, so a file that changes in between
 * is cached with its old stamp and simply re-read next time. Read errors are not cached.
 */
async function scanFileCached(root: string, path: string, reader: FileReader, cache: ScanCache): Promise<ScannedFile | null> {
  try {
    const stamp = stampOf(await stat(join(root, path)));
    const hit = cache.get(path, stamp);
    if (hit !== undefined) return hit;
    const result = await readAndExtract(root, path, reader);
    cache.set(path, stamp, result);
    return result;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return cannotRead(path, "file", error);
  }
}

/** Reads one file and extracts its METADATA; null when it has none. Throws read errors. */
async function readAndExtract(root: string, path: string, reader: FileReader): Promise<ScannedFile | null> {
  const outcome = await reader.read(join(root, path));
  // Binary files and files too large to be a script hold no METADATA (docs/scanning.md).
  if (outcome.kind !== "text") return null;
  const bytes = outcome.bytes;
  const lineEnd = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, lineEnd < 0 ? Math.min(bytes.length, 1024) : Math.min(lineEnd, 1024)).toString("latin1");
  const { form } = fileForm(path, firstLine.replace(/^\u00ef\u00bb\u00bf/, ""));
  // Byte-level prefilters before any decoding or parsing (prefilter.ts).
  if (!(form === "jsdoc" ? mayHoldJsdocTag(bytes) : mayHoldPodBlock(bytes))) return null;
  const text = decoder.decode(bytes);
  const extracted = form === "jsdoc" ? extractJsdoc(text, path) : extractPod(text);
  if (!extracted || (extracted.sections.length === 0 && extracted.problems.length === 0)) return null;
  return { file: path, sections: extracted.sections, problems: extracted.problems };
}
