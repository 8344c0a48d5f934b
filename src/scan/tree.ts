/**
 * Finds the files of a project and extracts their METADATA (SPEC 2, SPEC 5 include/exclude).
 * Built for large trees: fast-glob skips ignored directories without entering them; files are
 * listed and read synchronously (faster than the thread pool on a cached tree, see
 * file-reader.ts); byte-level prefilters come before any decoding or parsing (prefilter.ts);
 * Babel reads only the head of a file, up to its last `@crontab` comment (jsdoc.ts); large trees
 * are read on this thread and a worker together (scan-pool.ts); with `--cache` an unchanged file
 * is only stat'ed (cache.ts).
 */
import fg from "fast-glob";
import { lstat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import type { Config } from "../config/schema.js";
import { UsageError } from "../errors.js";
import type { ScannedFile } from "../types.js";
import type { ScanCache } from "./cache.js";
import type { Worker } from "node:worker_threads";
import { defaultScanWorkers, scanPaths, startScanWorkers, stopScanWorkers } from "./scan-pool.js";
import { type FileOutcome, cannotRead } from "./scan-file.js";

/**
 * Trees with at least this many files to scan are scanned on this thread and worker threads
 * together (scan-pool.ts). A worker needs about 100 ms of its own start (Node's bootstrap, the
 * scan bundle, Babel again) before it helps, and the two threads slow each other; measured on
 * the 2-CPU machine (issue 14, same build with this at 2,000 and at 20,000, alternated): at the
 * 10,000-file benchmark tree (7,300 files to scan) this thread alone took 0.55 s against 0.62 s
 * (median of 8), at a 15,000-file tree (11,000 to scan) it was faster in 6 of 8 pairs, at a
 * 30,000-file tree (22,000 to scan) the worker was faster in 4 of 6 (1.03 s against 1.38 s).
 */
const PARALLEL_MIN_FILES = 16_000;
/** Unreadable directories are skipped one by one; past this many the scan gives up on them. */
const MAX_UNREADABLE_DIRS = 100;

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
  // A cache made for a large tree says, before the walk, that this one is large too: the workers
  // then start while the cache is parsed (ScanCache.load) and the tree walked (their start and
  // the walk take about as long).
  const loaded = cache?.takeWorkers();
  if (loaded !== undefined && options.workers !== undefined) await stopScanWorkers(loaded);
  const early =
    options.workers !== undefined ? undefined : (loaded ?? (cache !== undefined && cache.size >= PARALLEL_MIN_FILES ? startScanWorkers(defaultScanWorkers()) : undefined));
  let listed: Awaited<ReturnType<typeof listFiles>>;
  try {
    listed = await listFiles(root, config, cache === undefined ? [] : cacheFileIgnore(root, cache.path));
  } catch (error) {
    if (early !== undefined) await stopScanWorkers(early);
    throw error;
  }
  const { paths, unreadable } = listed;
  const results: ScannedFile[] = [...unreadable];
  // A worker costs about 100 ms to start: smaller trees are scanned on this thread alone.
  let workers: number | Worker[] = options.workers ?? (paths.length >= PARALLEL_MIN_FILES ? defaultScanWorkers() : 0);
  if (early !== undefined) {
    if (paths.length >= PARALLEL_MIN_FILES) workers = early;
    else await stopScanWorkers(early);
  }
  await scanPaths(root, paths, cache, workers, (path, outcome) => applyOutcome(path, outcome, cache, results));
  return results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Adds one file's outcome to `results`, reusing or recording cache entries. */
function applyOutcome(path: string, outcome: FileOutcome, cache: ScanCache | undefined, results: ScannedFile[]): void {
  let result: ScannedFile | null;
  if (outcome.kind !== "scanned") {
    if (cache === undefined) throw new Error(`scan: ${path} reported ${outcome.kind} without a cache`);
    result = outcome.kind === "unchanged" ? cache.reuse(path) : cache.reuse(path, outcome.stamp);
  } else {
    result = outcome.result;
    if (cache !== undefined) {
      cache.misses += 1;
      if (outcome.stamp !== undefined) cache.set(path, outcome.stamp, result, outcome.digest);
    }
  }
  if (result) results.push(result);
}

/** Options of {@link scanTree}. */
export interface ScanOptions {
  /** Reuse the results of unchanged files and record the others (`--cache`, see cache.ts). */
  cache?: ScanCache;
  /** Scan worker threads besides this one (default: none below 16,000 files to scan, else one fewer than the CPUs, at most 3; 0: none). */
  workers?: number;
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
      unique: false, // duplicates are dropped below, at a fraction of the cost
      onlyFiles: true, // also drops symbolic links, FIFOs, sockets and devices met while walking
      followSymbolicLinks: false,
      ignore,
    };
    try {
      // The sync walk: half the time of the async one on the 100,000-file benchmark tree.
      const found = fg
        .sync(config.include, options)
        .map((p) => p.replace(/^(\.\/)+/, ""))
        // An include like `../x/**` or `/etc/**` must not reach outside the root.
        .filter((p) => !isAbsolute(p) && p !== ".." && !p.startsWith("../"));
      const tasks = fg.generateTasks(config.include, options);
      const linked = await linkedPaths(root, tasks);
      const paths = linked.size === 0 ? found : found.filter((p) => !isUnder(p, linked));
      // Only several walks (tasks) can list a file twice; one walk lists each file once.
      return { paths: tasks.length <= 1 ? paths : [...new Set(paths)], unreadable };
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

