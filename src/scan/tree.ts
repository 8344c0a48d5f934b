/**
 * Finds the files of a project and extracts their METADATA (SPEC 2, SPEC 5 include/exclude).
 * Built for large trees: the default include is walked with one readdir per directory and no
 * glob matching (walkTree), configured globs by fast-glob, both skipping ignored directories
 * without entering them; files are listed and read synchronously (faster than the thread pool
 * on a cached tree, see file-reader.ts); byte-level prefilters come before any decoding or
 * parsing (prefilter.ts); Babel reads only the head of a file, up to its last `@crontab`
 * comment (jsdoc.ts); large trees are read on this thread and a worker together
 * (scan-pool.ts); with `--cache` an unchanged file is only stat'ed (cache.ts).
 */
import type FastGlob from "fast-glob";
import { lstatSync, readdirSync, type Stats } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import type { Config } from "../config/schema.js";
import { UsageError } from "../errors.js";
import type { ScannedFile } from "../types.js";
import type { AppliedResult, ScanCache } from "./cache.js";
import { FileReader } from "./file-reader.js";
import type { Worker } from "node:worker_threads";
import { defaultScanWorkers, scanPaths, startScanWorkers, stopScanWorkers } from "./scan-pool.js";
import { type FileOutcome, cannotRead, scanFile } from "./scan-file.js";

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
  return (await scanTreeDeferred(root, config, options)).results();
}

/** A scan whose cached results are read from the cache only when they are asked for (`lint --cache` may need none). */
export interface DeferredScan {
  /** The files that have sections or problems, sorted by path (code-unit order). */
  names: string[];
  /**
   * Their results, in the same order; with a cache, taken from it now (a file whose cached
   * result turns out damaged is scanned again, so the names may change: read them from the results).
   */
  results(): ScannedFile[];
}

/** {@link scanTree}, with the cached results left in the cache until asked for. */
export async function scanTreeDeferred(root: string, config: Config, options: ScanOptions = {}): Promise<DeferredScan> {
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
    listed = await listFiles(root, config, cache === undefined ? undefined : cacheFileInTree(root, cache.path));
  } catch (error) {
    if (early !== undefined) await stopScanWorkers(early);
    throw error;
  }
  const { paths, unreadable } = listed;
  const applied: Array<ScannedFile | number> = [...unreadable];
  if (unreadable.length > 0) cache?.noteUncached();
  // A worker costs about 100 ms to start: smaller trees are scanned on this thread alone.
  let workers: number | Worker[] = options.workers ?? (paths.length >= PARALLEL_MIN_FILES ? defaultScanWorkers() : 0);
  if (early !== undefined) {
    if (paths.length >= PARALLEL_MIN_FILES) workers = early;
    else await stopScanWorkers(early);
  }
  await scanPaths(root, paths, cache, workers, (path, outcome) => {
    const result = applyOutcome(path, outcome, cache);
    if (result !== null) applied.push(result);
  });
  const nameOf = (r: ScannedFile | number): string => (typeof r === "number" ? (cache as ScanCache).fileAt(r) : r.file);
  const named = applied.map((r) => ({ r, name: nameOf(r) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let results: ScannedFile[] | undefined;
  return {
    names: named.map((n) => n.name),
    results: () => (results ??= materialise(root, named, cache)),
  };
}

/** One file's result from its outcome: with a cache, the cache takes it (cache.ts) and may answer with the index of a cached result. */
function applyOutcome(path: string, outcome: FileOutcome, cache: ScanCache | undefined): AppliedResult {
  if (cache !== undefined) return cache.apply(path, outcome);
  if (outcome.kind !== "scanned") throw new Error(`scan: ${path} reported ${outcome.kind} without a cache`);
  return outcome.result;
}

/** The results of a scan, cached ones taken from the cache; a file whose cached result is damaged is scanned again. */
function materialise(root: string, named: ReadonlyArray<{ r: ScannedFile | number; name: string }>, cache: ScanCache | undefined): ScannedFile[] {
  const indexes = named.flatMap(({ r }) => (typeof r === "number" ? [r] : []));
  if (indexes.length === 0 || cache === undefined) return named.map(({ r }) => r as ScannedFile);
  const { results, damaged } = cache.resultsAt(indexes);
  const again = new Set(damaged);
  const reader = new FileReader();
  const out: ScannedFile[] = [];
  for (const { r, name } of named) {
    if (typeof r !== "number") out.push(r);
    else if (!again.has(r)) out.push(results.get(r) as ScannedFile);
    else {
      // Scanned as if not cached; the cache records the new result.
      const result = cache.apply(name, scanFile(root, name, reader, null));
      if (result !== null) out.push(result as ScannedFile);
    }
  }
  return out;
}

/** Options of {@link scanTree}. */
export interface ScanOptions {
  /** Reuse the results of unchanged files and record the others (`--cache`, see cache.ts). */
  cache?: ScanCache;
  /** Scan worker threads besides this one (default: none below 16,000 files to scan, else one fewer than the CPUs, at most 3; 0: none). */
  workers?: number;
}

/** The cache file itself is never scanned when it lives inside the tree: its path relative to the root, if it does. */
function cacheFileInTree(root: string, cachePath: string): string | undefined {
  const rel = relative(root, cachePath).split(sep).join("/");
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? undefined : rel;
}

/** The debianDir as the walk and the globs use it: `/` separators, no leading `./`, no trailing `/`. */
function normalisedDebianDir(debianDir: string): string {
  return debianDir.replaceAll("\\", "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

/**
 * Globs that are skipped whatever the config says. `escapePath`: fast-glob's, which the caller
 * has loaded (a lint whose globs the walk answers never loads fast-glob: about 3 ms of a start,
 * with node's stream modules).
 */
export function alwaysIgnored(debianDir: string, escapePath: (path: string) => string): string[] {
  const debian = normalisedDebianDir(debianDir);
  const always = ["**/.git", "**/.git/**", "**/node_modules", "**/node_modules/**"];
  // A debianDir of "." would make every directory a package build tree.
  return debian === "" || debian === "." ? always : [...always, `${escapePath(debian)}/*/**`];
}

async function listFiles(root: string, config: Config, skipFile: string | undefined): Promise<{ paths: string[]; unreadable: ScannedFile[] }> {
  const debian = normalisedDebianDir(config.debianDir);
  if (walksWithoutGlobs(config.include, config.exclude, debian)) {
    let walked: ReturnType<typeof walkTree>;
    try {
      walked = walkTree(root, debian, skipFile, config.exclude);
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      throw new UsageError(`cannot read root ${root}: ${err.code ?? err.message}`);
    }
    const tooMany = walked.errors[MAX_UNREADABLE_DIRS];
    if (tooMany !== undefined) {
      throw new UsageError(`cannot read more than ${MAX_UNREADABLE_DIRS} directories under ${root} (last: ${tooMany.rel}: ${tooMany.error.code ?? tooMany.error.message})`);
    }
    return { paths: walked.paths, unreadable: walked.unreadable };
  }
  const { default: fg } = await import("fast-glob");
  const ignore = [...alwaysIgnored(config.debianDir, fg.escapePath), ...config.exclude, ...(skipFile === undefined ? [] : [fg.escapePath(skipFile)])];
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
      const linked = linkedPaths(root, tasks);
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
function linkedPaths(root: string, tasks: ReturnType<typeof FastGlob.generateTasks>): Set<string> {
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
  for (const path of suspects) {
    let info: Stats | null = null;
    try {
      info = lstatSync(join(root, path));
    } catch {
      // Missing: not a link.
    }
    if (info?.isSymbolicLink()) linked.add(path);
  }
  return linked;
}

function isUnder(path: string, prefixes: Set<string>): boolean {
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (prefixes.has(path.slice(0, i))) return true;
  return prefixes.has(path);
}

/** A debianDir the walk takes literally: plain names, no `.` or `..` segments. */
const PLAIN_PATH = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*(?:\/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)*$/;

/**
 * An `exclude` the walk answers by name: `**\/NAME` (a file or directory of that name, anywhere)
 * or `**\/PATTERN` with `*` in it (`**\/*.md`: files whose name matches, anywhere), of literal
 * characters and `*` only.
 */
const NAME_EXCLUDE = /^\*\*\/(?!\.\.?$)[\w.~%:=,@+-]*(?:\*[\w.~%:=,@+-]*)*$/;

/** Whether {@link walkTree} lists what fast-glob would for these settings (`debian` normalised as alwaysIgnored does). */
export function walksWithoutGlobs(include: readonly string[], exclude: readonly string[], debian: string): boolean {
  return (
    include.length === 1 &&
    include[0] === "**/*" &&
    exclude.every((pattern) => NAME_EXCLUDE.test(pattern) && pattern.length > 3 && !pattern.slice(3).includes("**")) &&
    (debian === "" || debian === "." || PLAIN_PATH.test(debian))
  );
}

/**
 * The walk's tests for excludes of {@link NAME_EXCLUDE}, as fast-glob applies them: a literal
 * name is skipped as a file and not entered as a directory; a name with `*` skips the files it
 * matches only (fast-glob enters every directory for a pattern whose last segment is a glob, and
 * `**\/*.md` matches no path under a directory `x.md`); `*` matches any characters but `/`,
 * a leading dot included (`dot`). test/scan/walk.test.ts compares both.
 */
function nameExcludes(exclude: readonly string[]): { names: Set<string>; patterns: RegExp[] } {
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  for (const pattern of exclude) {
    const name = pattern.slice("**/".length);
    if (!name.includes("*")) names.add(name);
    else patterns.push(new RegExp(`^${name.replace(/[.+]/g, "\\$&").replaceAll("*", "[^/]*")}$`));
  }
  return { names, patterns };
}

/** What a walk found: the files (relative, `/`-separated, in no particular order) and the unreadable directories. */
export interface Walked {
  paths: string[];
  unreadable: ScannedFile[];
  /** The directories that could not be read, relative (for the root's error and the limit). */
  errors: Array<{ rel: string; error: NodeJS.ErrnoException }>;
}

/**
 * The walk of the default `include` (`**\/*`, and an `exclude` of names only, such as
 * examples/my-project's `**\/*.md`: see {@link nameExcludes}): lists the files under `root`
 * except `.git`, `node_modules`, the package build trees under `debian` (normalised: no leading
 * `./` or trailing `/`; "" or "." for none), the excluded names and the file `skipFile`
 * (relative: the cache file), with one readdir(2) per directory and no glob matching. fast-glob lists the same files
 * (test/scan/walk.test.ts compares them) but tests every file against six patterns and builds an
 * entry per file: 28 ms against 12 ms at the 10,000-file benchmark tree (7,300 files).
 * Other configured globs go to fast-glob (listFiles), loaded only then. Like fast-glob with `dot`, `onlyFiles` and
 * without `followSymbolicLinks`: only regular files are listed (no symbolic links, FIFOs,
 * sockets or devices), a link to a directory is not entered, a directory that vanished while
 * walking (ENOENT) is skipped, and the build trees are not entered at all. Throws the root's own
 * read error.
 */
export function walkTree(root: string, debian: string, skipFile: string | undefined, exclude: readonly string[] = []): Walked {
  const walked: Walked = { paths: [], unreadable: [], errors: [] };
  const { names, patterns } = nameExcludes(exclude);
  const excluding = exclude.length > 0;
  const excluded = (name: string): boolean => names.has(name) || patterns.some((p) => p.test(name));
  const buildTrees = debian === "" || debian === "." ? undefined : debian;
  const visit = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (rel === "") throw err;
      if (err.code === "ENOENT") return;
      walked.errors.push({ rel, error: err });
      walked.unreadable.push(cannotRead(rel, "directory", error));
      return;
    }
    const inBuildTrees = rel === buildTrees;
    for (const entry of entries) {
      const name = entry.name;
      if (name === ".git" || name === "node_modules") continue;
      const path = rel === "" ? name : `${rel}/${name}`;
      if (entry.isDirectory()) {
        if (!inBuildTrees && !names.has(name)) visit(`${dir}/${name}`, path);
      } else if (entry.isFile() && path !== skipFile && !(excluding && excluded(name))) walked.paths.push(path);
    }
  };
  visit(root, "");
  return walked;
}
