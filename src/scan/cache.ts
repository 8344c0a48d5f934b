/**
 * The scan cache (`--cache`, like ESLint's): what the scanner extracted from each file, keyed by
 * the file's path and two things that identify its bytes: its stat stamp (size, mtime, ctime,
 * inode) and, for a file that passed the byte-level prefilters, a SHA-256 of its content; all of
 * it under a key made of cronmeta's version, its scanner's code and Babel's version, and the
 * config that decides which files are scanned. A second run on an unchanged tree then stats
 * files instead of reading them; a fresh checkout of an unchanged tree (new inodes, ctimes and
 * mtimes: no stamp matches) reads every file, as it must, but extracts nothing whose content
 * hash matches (ESLint's `--cache-strategy content`, here always on behind the stamps).
 *
 * The extracted result is a function of the path and the bytes alone (scan-file.ts reads no
 * config), so the hash of the bytes can stand for them. The file also keeps the last lint result
 * (`lint --cache`, src/project.ts) under its own key (src/lint-cache-key.ts: the config, the
 * `debian/` information, the mode, the code), used only when every file's result is the cached
 * one ({@link ScanCache.resultsUnchanged}); it is written only with the results it was computed
 * from, and carried along while they stay the same.
 *
 * Never stale: any write to a file sets its ctime to the current time (stat(2), "st_ctime"), which
 * no program can set back, so a changed file has a changed stamp, with one exception: a change in
 * the same clock tick as the stat that was cached. Like git's "racily clean" index entries
 * (Documentation/technical/racy-git.txt), a file whose ctime is less than RACY_MARGIN_MS before
 * the scan started gets no usable stamp: it is read again next time, and only its content hash
 * can answer. A content hash is taken of the very bytes the result was extracted from, so it can
 * never be stale. A missing, corrupt or foreign cache file is ignored and rewritten; writes are
 * atomic (temp file, then rename).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { readFileSync, readdirSync } from "node:fs";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { endianness } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { Config } from "../config/schema.js";
import type { Position, RawEntry, RawSection, ScanProblem, ScannedFile } from "../types.js";
import { VERSION } from "../version.js";
import type { FileOutcome } from "./scan-file.js";

/** Bump when the cached data or what the scanner extracts changes shape. */
const CACHE_FORMAT = 8; // 5: near misses of METADATA are reported; 6: sections carry their cronmeta-disable comments (issue 17); 7: content hashes; 8: parts read when needed, the lint result
const TOOL = "cronmeta-scan-cache";
/** Files changed this recently before a scan are re-read next time (timestamps are coarse: a kernel tick, or 2 s on FAT). */
export const RACY_MARGIN_MS = 3000;

/**
 * A cache file at least this large starts the scan workers before it is parsed: about 16,000
 * files (the workers' threshold, tree.ts) at 100 bytes or more per entry (166 on the benchmark tree).
 */
const EARLY_WORKERS_MIN_BYTES = 1_600_000;

/** Scan workers started ahead and unref'ed (scan-pool.ts is loaded only then). */
async function startIdleWorkers(): Promise<Worker[]> {
  const pool = await import("./scan-pool.js");
  const workers = pool.startScanWorkers(pool.defaultScanWorkers());
  for (const worker of workers) worker.unref();
  return workers;
}

/** Where the cache lives by default: the find-cache-dir convention, skipped by the scanner and by most .gitignore files. */
export function defaultCacheLocation(root: string): string {
  return join(root, "node_modules", ".cache", "cronmeta", "scan-cache.json");
}

/** What stat(2) says about a file; a cached result is used only when all of it is unchanged. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** What the cache holds about a file for the thread that scans it: the stamp, and the content hash when the file passed the prefilters. */
export interface CachedIdentity {
  stamp: FileStamp;
  digest?: string;
}

/** The content hash the cache keeps: SHA-256 of the bytes the scanner extracted from, base64. */
export function contentDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}

/** True when nothing stat(2) reports about the file changed. */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** The stamp of a stat result. */
export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

/**
 * The cache key: a cache made by another cronmeta (version, or the code of its scanner: a build
 * between two versions), with another @babel/parser, or for other include/exclude globs is not
 * used. The config's other settings (rules, packages, stampedeThreshold, …) need not be in it:
 * they act on the rules, which always run.
 */
export function scanCacheKey(config: Pick<Config, "include" | "exclude" | "debianDir">): string {
  // The stamps are stored as the machine's doubles: a cache from a machine of the other byte order is not used.
  const material = JSON.stringify([CACHE_FORMAT, VERSION, scannerCodeDigest(), babelVersion(), endianness(), config.include, config.exclude, config.debianDir]);
  return createHash("sha256").update(material).digest("hex");
}

let codeDigest: string | undefined;

/**
 * A hash of the code this module was loaded with and its neighbours: the scanner's modules
 * (dist/scan/, src/scan/), or in the bundled executable every chunk of dist/cli/ (the scanner
 * is somewhere among them). About 1.5 MB for the executable: 2-3 ms, once per run.
 */
function scannerCodeDigest(): string {
  if (codeDigest === undefined) {
    const hash = createHash("sha256");
    try {
      const dir = dirname(fileURLToPath(import.meta.url));
      for (const name of readdirSync(dir).filter((n) => /\.[cm]?[jt]s$/.test(n)).sort()) hash.update(name).update("\0").update(readFileSync(join(dir, name))).update("\0");
    } catch {
      hash.update(`unreadable ${import.meta.url}`);
    }
    codeDigest = hash.digest("hex");
  }
  return codeDigest;
}

let buildDigestMemo: string | undefined;

/**
 * A hash of the code cronmeta runs. In the bundled executable (this module is inside
 * dist/cli/bundle.cjs): every chunk beside the bundle, which holds all of cronmeta and the npm
 * code it runs. Otherwise (dist/ as a library, src/ under tsx): every module under the code's root
 * (dist/ or src/), and the version of each npm dependency of the package.
 */
export function buildDigest(): string {
  if (buildDigestMemo !== undefined) return buildDigestMemo;
  const hash = createHash("sha256");
  try {
    const here = fileURLToPath(import.meta.url);
    const bundled = basename(here) === "bundle.cjs";
    // There the scanner's digest is already of every chunk beside the bundle.
    if (bundled) return (buildDigestMemo = scannerCodeDigest());
    // This module is src/scan/cache.ts (dist/scan/cache.js): the code's root is the directory above.
    const root = dirname(dirname(here));
    hashCode(hash, root);
    hashDependencyVersions(hash, dirname(root));
  } catch (error) {
    // Unreadable code: a key no other run shares, so that no stored result is used.
    hash.update(`unreadable ${String(error)} ${Date.now()} ${Math.random()}`);
  }
  buildDigestMemo = hash.digest("hex");
  return buildDigestMemo;
}

/** Hashes the names and bytes of the code files under `dir`, in a fixed order. */
function hashCode(hash: ReturnType<typeof createHash>, dir: string): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") {
        hash.update(`d${entry.name}\0`);
        hashCode(hash, path);
        hash.update("\0up\0");
      }
    } else if (/\.[cm]?[jt]s$/.test(entry.name)) {
      hash.update(`f${entry.name}\0`).update(readFileSync(path)).update("\0");
    }
  }
}

/** The installed version of each dependency in `packageDir`/package.json (a library's code is not in the bundle). */
function hashDependencyVersions(hash: ReturnType<typeof createHash>, packageDir: string): void {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
    let version = "missing";
    try {
      version = String((JSON.parse(readFileSync(join(packageDir, "node_modules", name, "package.json"), "utf8")) as { version?: unknown }).version);
    } catch {
      // Not installed there: "missing" (a later install changes the key).
    }
    hash.update(`${name}@${version}\0`);
  }
}

/** The version of @babel/parser that extracts JSDoc METADATA (js-parse.ts), or "none". */
function babelVersion(): string {
  try {
    const path = createRequire(import.meta.url).resolve("@babel/parser/package.json");
    return String((JSON.parse(readFileSync(path, "utf8")) as { version?: unknown }).version);
  } catch {
    return "none";
  }
}

/** A new entry: [size, mtimeMs, ctimeMs, ino, result or 0 for "nothing in this file", content hash or ""]. */
type Entry = [number, number, number, number, ScannedFile | 0, string];

/**
 * The cache file (format 8): one line of JSON, the header, then six parts back to back, whose
 * lengths in bytes the header gives, so that each is decoded only when needed and written back
 * as it was read when it did not change:
 *
 * - `files`: the paths in UTF-8, separated by NUL (which no path holds): a split, where a JSON
 *   array of 73,000 strings took 20 ms to parse on the 100,000-file benchmark tree;
 * - `stamps`: the doubles size, mtimeMs, ctimeMs, ino of each file, as the machine stores them
 *   (the key holds the byte order; a size of -1: no stamp, only the content hash can answer):
 *   copied, not decoded (base64 took 40 ms there);
 * - `digests`: JSON, `{ index: content hash }` for the files that passed the prefilters;
 * - `withResult`: JSON, the indexes of the files that have a result (the others hold nothing);
 * - `results`: JSON, `{ index: ScannedFile }`, parsed only when some result is needed: not at all
 *   when the stored lint result answers (5.9 MB there, 70 ms with its checks);
 * - `lint`: the lint result stored for the header's `lintKey` (src/project.ts), or empty.
 */
interface Header {
  tool: string;
  format: number;
  key: string;
  count: number;
  lintKey: string;
  lengths: number[];
}

/** The parts of a loaded cache file. */
interface CacheFile {
  files: string[];
  stamps: Float64Array;
  /** By index (an array, not the parsed object: 73,000 lookups of mostly absent keys). */
  digests: Array<string | undefined>;
  /** 1 for the files that have a result. */
  withResult: Uint8Array;
  withResultCount: number;
  /** The parts as read, to write back unchanged (and the results and lint result, decoded only when asked for). */
  raw: { files: Buffer; digests: Buffer; withResult: Buffer; results: Buffer; lint: Buffer };
  lintKey: string;
}

/** The outcome of {@link ScanCache.save}. */
export interface SaveOutcome {
  written: boolean;
  /** Why the cache could not be written (the scan result is still right). */
  error?: string;
}

const EMPTY_BYTES = Buffer.alloc(0);

const EMPTY: CacheFile = {
  files: [],
  stamps: new Float64Array(0),
  digests: [],
  withResult: new Uint8Array(0),
  withResultCount: 0,
  raw: { files: Buffer.alloc(0), digests: Buffer.from("{}"), withResult: Buffer.from("[]"), results: Buffer.from("{}"), lint: Buffer.alloc(0) },
  lintKey: "",
};

/**
 * What {@link ScanCache.apply} gives for a file: its result, null for none, or the index of a
 * cached result that {@link ScanCache.resultsAt} gives when it is needed.
 */
export type AppliedResult = ScannedFile | number | null;

/** What {@link ScanCache.resultsAt} found: the results, and the files whose cached result is damaged (to be scanned again). */
export interface CachedResults {
  results: Map<number, ScannedFile>;
  damaged: number[];
}

/** A loaded scan cache: apply each file's outcome while scanning, then save. */
export class ScanCache {
  /** Index of each file in the previous columns. */
  private readonly index = new Map<string, number>();
  /** 1 for the previous entries this run used as they are (their stamp possibly renewed): they are written again. */
  private readonly kept: Uint8Array;
  private keptCount = 0;
  /** The previous stamps with this run's new ones (a fresh checkout renews them all), made on the first change. */
  private nextStamps: Float64Array | undefined;
  /** Entries recorded by this run (new files, changed ones). */
  private readonly fresh = new Map<string, Entry>();
  private changed: boolean;
  /** Previous entries with a result that this run found unchanged (by stamp or by content). */
  private confirmed = 0;
  /** Some file's result may differ from the cached one (a new result, a read error, a directory that could not be read). */
  private diverged = false;
  /** Some result of this run will not be in the written cache (read errors, unreadable directories, racily clean binaries). */
  private incomplete = false;
  private parsedResults: Record<string, unknown> | undefined;
  private lint: { key: string; text: string } | undefined;
  /** Lookups answered from the cache (by stamp or by content), and lookups that had to scan the file. */
  hits = 0;
  misses = 0;
  /** The hits answered by a content hash (the file was read, not extracted). */
  contentHits = 0;

  private constructor(
    readonly path: string,
    private readonly key: string,
    private readonly previous: CacheFile,
    /** Wall-clock time the scan started (ms since the epoch). */
    private readonly startedMs: number,
    usable: boolean,
    private workers?: Worker[],
  ) {
    this.changed = !usable;
    previous.files.forEach((file, i) => this.index.set(file, i));
    this.kept = new Uint8Array(previous.files.length);
  }

  /**
   * Loads the cache at `path` for `key`. A missing, unreadable, corrupt or mismatched file gives
   * an empty cache (never an error). `startedMs` defaults to now: call this before the scan.
   */
  static async load(path: string, key: string, startedMs: number = Date.now()): Promise<ScanCache> {
    let workers: Worker[] | undefined;
    try {
      const bytes = await readFile(path);
      // A cache file this large was made for a tree the scan workers will scan: they start now,
      // so that their start overlaps this parse and the walk (see takeWorkers).
      if (bytes.length >= EARLY_WORKERS_MIN_BYTES) workers = await startIdleWorkers();
      const data = decode(bytes, key);
      if (data !== undefined) return new ScanCache(path, key, data, startedMs, true, workers);
    } catch {
      // Missing or corrupt: start empty, rewrite on save.
    }
    return new ScanCache(path, key, EMPTY, startedMs, false, workers);
  }

  /**
   * The scan workers {@link load} started for a large tree, once (the scan takes them and ends
   * them; until then they are unref'ed, so that they never keep the process alive).
   */
  takeWorkers(): Worker[] | undefined {
    const workers = this.workers;
    this.workers = undefined;
    return workers;
  }

  /** How many files the loaded cache knows (the size of the tree it was made for). */
  get size(): number {
    return this.previous.files.length;
  }

  /** The path of the previous entry `i`. */
  fileAt(i: number): string {
    return this.previous.files[i] as string;
  }

  /** The stamp and content hash `file` had when it was cached (for a comparison made on another thread). */
  cachedIdentity(file: string): CachedIdentity | undefined {
    const i = this.index.get(file);
    if (i === undefined) return undefined;
    const s = this.previous.stamps;
    const stamp = { size: s[4 * i] as number, mtimeMs: s[4 * i + 1] as number, ctimeMs: s[4 * i + 2] as number, ino: s[4 * i + 3] as number };
    const digest = this.previous.digests[i];
    return digest === undefined ? { stamp } : { stamp, digest };
  }

  /**
   * Takes one file's scan outcome: a cached result is kept (and takes the file's new stamp when
   * its content hash answered), a scanned one recorded. Returns the file's result, or the index
   * of its cached result (for {@link resultsAt}).
   */
  apply(path: string, outcome: FileOutcome): AppliedResult {
    if (outcome.kind !== "scanned") {
      const i = this.index.get(path);
      if (i === undefined) throw new Error(`scan cache: nothing cached for ${path}`);
      if (outcome.kind === "same-content") {
        if (this.previous.digests[i] === undefined) throw new Error(`scan cache: no content hash for ${path}`);
        this.contentHits += 1;
        this.restamp(i, outcome.stamp);
      }
      this.hits += 1;
      this.keep(i);
      return this.previous.withResult[i] === 1 ? i : null;
    }
    this.misses += 1;
    const { result, stamp, digest } = outcome;
    if (result !== null) this.diverged = true; // new or changed (not compared: the rules run again)
    if (stamp === undefined) {
      // A read error, or a file gone since the walk: never cached.
      if (result !== null) this.incomplete = true;
      return result;
    }
    const i = this.index.get(path);
    if (i !== undefined && result === null && digest === undefined && this.previous.withResult[i] === 0 && this.previous.digests[i] === undefined) {
      // Nothing in it before and now (most files of a fresh checkout): the entry takes the new stamp.
      this.restamp(i, stamp);
      this.keep(i);
      return null;
    }
    this.set(path, stamp, result, digest);
    return result;
  }

  /** A result of this run that is not a file's (a directory that could not be read): never cached, and the lint result not reused. */
  noteUncached(): void {
    this.diverged = true;
    this.incomplete = true;
  }

  private keep(i: number): void {
    if (this.kept[i] === 1) return;
    this.kept[i] = 1;
    this.keptCount += 1;
    if (this.previous.withResult[i] === 1) this.confirmed += 1;
  }

  private restamp(i: number, stamp: FileStamp): void {
    this.changed = true;
    this.nextStamps ??= this.previous.stamps.slice();
    const racy = stamp.ctimeMs > this.startedMs - RACY_MARGIN_MS;
    this.nextStamps.set(racy ? [-1, 0, 0, 0] : [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino], 4 * i);
  }

  /**
   * Records the result of scanning `file`, whose stamp was taken before it was read; `digest`,
   * the content hash of the bytes it was extracted from, when the prefilters passed them.
   */
  set(file: string, stamp: FileStamp, result: ScannedFile | null, digest?: string): void {
    this.changed = true;
    if (stamp.ctimeMs > this.startedMs - RACY_MARGIN_MS) {
      // Racily clean: no stamp (re-read next time), but the hash of what was read stays true.
      if (digest !== undefined) this.fresh.set(file, [-1, 0, 0, 0, result ?? 0, digest]);
      else {
        this.fresh.delete(file);
        if (result !== null) this.incomplete = true;
      }
      return;
    }
    this.fresh.set(file, [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, result ?? 0, digest ?? ""]);
  }

  /**
   * The cached results of the previous entries `indexes` (from {@link apply}); the part of the
   * file that holds them is parsed on the first call. A result of the wrong shape (a damaged or
   * hand-edited file) is listed in `damaged`: the caller scans that file again.
   */
  resultsAt(indexes: readonly number[]): CachedResults {
    const parsed = this.previousResults();
    const results = new Map<number, ScannedFile>();
    const damaged: number[] = [];
    for (const i of indexes) {
      const result = Object.hasOwn(parsed, i) ? parsed[i] : undefined;
      if (isScannedFile(result, this.previous.files[i] as string)) results.set(i, result);
      else damaged.push(i);
    }
    if (damaged.length > 0) this.diverged = true;
    return { results, damaged };
  }

  /** The previous results part, parsed once (unchecked: {@link resultsAt} checks what it gives). */
  private previousResults(): Record<string, unknown> {
    if (this.parsedResults === undefined) {
      try {
        const parsed: unknown = JSON.parse(this.previous.raw.results.toString("utf8"));
        this.parsedResults = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      } catch {
        this.parsedResults = {};
      }
    }
    return this.parsedResults;
  }

  /**
   * True when every file's result is the cached one: no result came, went or changed (files
   * without anything in them may have). The stored lint result was computed from exactly the
   * cached results, so it is then the result of this tree for the same inputs.
   */
  resultsUnchanged(): boolean {
    return !this.diverged && this.confirmed === this.previous.withResultCount;
  }

  /** The stored lint result (as stored), when it was stored for `key` and every file's result is the cached one. */
  lintResult(key: string): string | undefined {
    const { lintKey, raw } = this.previous;
    return lintKey === key && raw.lint.length > 0 && this.resultsUnchanged() ? raw.lint.toString("utf8") : undefined;
  }

  /** Stores this run's lint result for `key` (computed from this run's results), written by {@link save}. */
  storeLintResult(key: string, text: string): void {
    this.lint = { key, text };
  }

  /** Writes the cache atomically when anything changed (files added, changed or gone, new stamps, a new lint result). */
  async save(): Promise<SaveOutcome> {
    const previous = this.previous;
    // The lint result goes with the results it was computed from: this run's (when every one of
    // them is in the file), or the previous one's while the results are the same.
    let lint: { key: string; bytes: Buffer } | undefined;
    if (this.lint !== undefined) lint = this.incomplete ? undefined : { key: this.lint.key, bytes: Buffer.from(this.lint.text) };
    else if (this.resultsUnchanged() && previous.raw.lint.length > 0) lint = { key: previous.lintKey, bytes: previous.raw.lint };
    const lintNow = lint?.bytes ?? EMPTY_BYTES;
    const lintChanged = (lint?.key ?? "") !== previous.lintKey || (lintNow !== previous.raw.lint && !lintNow.equals(previous.raw.lint));
    const sameFiles = this.fresh.size === 0 && this.keptCount === previous.files.length;
    if (!this.changed && sameFiles && !lintChanged) return { written: false };
    const stampBytes = (stamps: Float64Array, count: number): Buffer => Buffer.from(stamps.buffer, stamps.byteOffset, 8 * 4 * count);
    // The same files with the same results: the parts as they were read, the stamps renewed.
    const parts = sameFiles ? { ...previous.raw, stamps: stampBytes(this.nextStamps ?? previous.stamps, previous.files.length) } : this.rebuild();
    const body = [parts.files, parts.stamps, parts.digests, parts.withResult, parts.results, lint?.bytes ?? EMPTY_BYTES];
    const header: Header = {
      tool: TOOL,
      format: CACHE_FORMAT,
      key: this.key,
      count: sameFiles ? previous.files.length : this.keptCount + this.fresh.size,
      lintKey: lint?.key ?? "",
      lengths: body.map((b) => b.length),
    };
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      const file = await open(temp, "w");
      try {
        await file.writev([Buffer.from(`${JSON.stringify(header)}\n`), ...body]);
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
      return { written: true };
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      const err = error as NodeJS.ErrnoException;
      return { written: false, error: `cannot write scan cache ${this.path}: ${err.code ?? err.message}` };
    }
  }

  /** The parts for the entries this run kept and recorded. */
  private rebuild(): { files: Buffer; stamps: Buffer; digests: Buffer; withResult: Buffer; results: Buffer } {
    const { files, digests, withResult } = this.previous;
    const stamps = this.nextStamps ?? this.previous.stamps;
    const count = this.keptCount + this.fresh.size;
    const outFiles: string[] = [];
    const outStamps = new Float64Array(4 * count);
    const outDigests: Record<string, string> = {};
    const outWithResult: number[] = [];
    const outResults: Record<string, unknown> = {};
    const add = (file: string, at: number, source: Float64Array | Entry, digest: string | undefined, result: unknown): void => {
      const n = outFiles.length;
      outFiles.push(file);
      for (let k = 0; k < 4; k++) outStamps[4 * n + k] = source[at + k] as number;
      if (digest !== undefined && digest !== "") outDigests[n] = digest;
      if (result !== undefined) {
        outWithResult.push(n);
        outResults[n] = result;
      }
    };
    files.forEach((file, i) => {
      if (this.kept[i] === 0 || this.fresh.has(file)) return;
      let result: unknown;
      if (withResult[i] === 1) {
        const previousResults = this.previousResults();
        result = Object.hasOwn(previousResults, i) ? previousResults[i] : undefined;
        // A listed result that is missing: the entry goes (the file is scanned again next time).
        if (result === undefined) return;
      }
      add(file, 4 * i, stamps, digests[i], result);
    });
    for (const [file, entry] of this.fresh) add(file, 0, entry, entry[5], entry[4] === 0 ? undefined : entry[4]);
    return {
      files: Buffer.from(outFiles.join("\0")),
      stamps: Buffer.from(outStamps.buffer, 0, 8 * 4 * outFiles.length),
      digests: Buffer.from(JSON.stringify(outDigests)),
      withResult: Buffer.from(JSON.stringify(outWithResult)),
      results: Buffer.from(JSON.stringify(outResults)),
    };
  }
}

/** The loaded cache file for `key`, or undefined when it is not one (foreign, another key, truncated, damaged parts). */
function decode(bytes: Buffer, key: string): CacheFile | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  let header: Partial<Header>;
  try {
    header = JSON.parse(bytes.toString("utf8", 0, newline)) as Partial<Header>;
  } catch {
    return undefined;
  }
  if (typeof header !== "object" || header === null || header.tool !== TOOL || header.format !== CACHE_FORMAT || header.key !== key) return undefined;
  const { count, lengths, lintKey } = header;
  if (!Number.isInteger(count) || typeof lintKey !== "string" || !Array.isArray(lengths) || lengths.length !== 6) return undefined;
  if (!lengths.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
  if (newline + 1 + lengths.reduce((a, b) => a + b, 0) !== bytes.length) return undefined;
  const part: Buffer[] = [];
  let at = newline + 1;
  for (const n of lengths) {
    part.push(bytes.subarray(at, at + n));
    at += n;
  }
  const [filesBytes, stampBytes, digestsBytes, withResultBytes, results, lint] = part as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const n = count as number;
  const files = n === 0 && filesBytes.length === 0 ? [] : filesBytes.toString("utf8").split("\0");
  if (files.length !== n || stampBytes.length !== 8 * 4 * n) return undefined;
  // A copy: the part need not be aligned for a Float64Array view.
  const stamps = new Float64Array(4 * n);
  Buffer.from(stamps.buffer).set(stampBytes);
  const digests: unknown = JSON.parse(digestsBytes.toString("utf8"));
  const listed: unknown = JSON.parse(withResultBytes.toString("utf8"));
  if (typeof digests !== "object" || digests === null || Array.isArray(digests) || !Array.isArray(listed)) return undefined;
  // A hand-edited or damaged hash must never answer: anything but a string is dropped (the file is extracted).
  const cleanDigests = new Array<string | undefined>(n);
  for (const [i, digest] of Object.entries(digests as Record<string, unknown>)) {
    const index = Number(i);
    if (typeof digest === "string" && Number.isInteger(index) && index >= 0 && index < n) cleanDigests[index] = digest;
  }
  const withResult = new Uint8Array(n);
  let withResultCount = 0;
  for (const i of listed as unknown[]) {
    if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= n) return undefined;
    if (withResult[i as number] === 0) withResultCount += 1;
    withResult[i as number] = 1;
  }
  return { files, stamps, digests: cleanDigests, withResult, withResultCount, raw: { files: filesBytes, digests: digestsBytes, withResult: withResultBytes, results, lint }, lintKey };
}

function isPosition(p: unknown): p is Position {
  return typeof p === "object" && p !== null && Number.isInteger((p as Position).line) && Number.isInteger((p as Position).column);
}

function isRawEntry(e: unknown): e is RawEntry {
  if (typeof e !== "object" || e === null) return false;
  const r = e as RawEntry;
  return typeof r.key === "string" && typeof r.value === "string" && isPosition(r.keyPos) && isPosition(r.valuePos);
}

function isSection(s: unknown): s is RawSection {
  if (typeof s !== "object" || s === null) return false;
  const r = s as RawSection;
  return (r.form === "pod" || r.form === "jsdoc") && isPosition(r.pos) && Number.isInteger(r.index) && Array.isArray(r.entries) && r.entries.every(isRawEntry);
}

const PROBLEM_RULES: ReadonlySet<string> = new Set<ScanProblem["rule"]>(["metadata-syntax", "metadata-empty", "jsdoc-comment-closed", "scan-binary-skipped"]);

function isProblem(p: unknown): p is ScanProblem {
  if (typeof p !== "object" || p === null) return false;
  const r = p as ScanProblem;
  return PROBLEM_RULES.has(r.rule) && isPosition(r.pos) && typeof r.message === "string";
}

function isScannedFile(value: unknown, file: string): value is ScannedFile {
  if (typeof value !== "object" || value === null) return false;
  const r = value as ScannedFile;
  return r.file === file && Array.isArray(r.sections) && r.sections.every(isSection) && Array.isArray(r.problems) && r.problems.every(isProblem);
}
