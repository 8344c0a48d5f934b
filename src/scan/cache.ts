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
 * config), so the hash of the bytes can stand for them; the lint rules, which depend on the
 * config and `debian/`, always run and are never cached.
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
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { endianness } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { Config } from "../config/schema.js";
import type { Position, RawEntry, RawSection, ScanProblem, ScannedFile } from "../types.js";
import { VERSION } from "../version.js";

/** Bump when the cached data or what the scanner extracts changes shape. */
const CACHE_FORMAT = 7; // 5: near misses of METADATA are reported; 6: sections carry their cronmeta-disable comments (issue 17); 7: content hashes
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
 * The file, in columns (parses in about half the time of one object per file, and needs no
 * object per file once loaded): `files[i]` has the stamp `stamps[4i..4i+3]` (size, mtimeMs,
 * ctimeMs, ino), the result `results[i]`, absent for "nothing in this file", and the content
 * hash `digests[i]`, absent for a file the prefilters rejected (a size of -1 in the stamp: no
 * stamp, only the hash can answer). On disk,
 * `stamps` is the base64 of the doubles (decoded in a few milliseconds, where 300,000 numbers
 * in JSON took 30 ms on the 100,000-file benchmark tree).
 */
interface CacheFile {
  tool: string;
  key: string;
  files: string[];
  stamps: Float64Array;
  results: Record<string, ScannedFile>;
  digests: Record<string, string>;
}

/** The file as stored. */
type StoredCacheFile = Omit<CacheFile, "stamps"> & { stamps: string };

/** The outcome of {@link ScanCache.save}. */
export interface SaveOutcome {
  written: boolean;
  /** Why the cache could not be written (the scan result is still right). */
  error?: string;
}

const EMPTY: CacheFile = { tool: TOOL, key: "", files: [], stamps: new Float64Array(0), results: {}, digests: {} };

/** A loaded scan cache: look results up while scanning, then save. */
export class ScanCache {
  /** Index of each file in the previous columns. */
  private readonly index = new Map<string, number>();
  /** 1 for the previous entries this run used: they are written again. */
  private readonly kept: Uint8Array;
  private keptCount = 0;
  /** Entries recorded by this run. */
  private readonly fresh = new Map<string, Entry>();
  private changed: boolean;
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
      const text = await readFile(path, "utf8");
      // A cache file this large was made for a tree the scan workers will scan: they start now,
      // so that their start overlaps this parse and the walk (see takeWorkers).
      if (text.length >= EARLY_WORKERS_MIN_BYTES) workers = await startIdleWorkers();
      const data = decode(JSON.parse(text) as unknown);
      if (data !== undefined && data.key === key) return new ScanCache(path, key, dropDamaged(data), startedMs, true, workers);
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
   * The cached result of `file`, whose current stamp was found equal to the cached one or, with
   * `stamp` (its current stamp), whose content hash was: the entry then takes the new stamp.
   */
  reuse(file: string, stamp?: FileStamp): ScannedFile | null {
    const i = this.index.get(file);
    if (i === undefined) throw new Error(`scan cache: nothing cached for ${file}`);
    const result = this.keep(i);
    if (stamp !== undefined) {
      const digest = this.previous.digests[i];
      if (digest === undefined) throw new Error(`scan cache: no content hash for ${file}`);
      this.contentHits += 1;
      this.set(file, stamp, result, digest);
    }
    return result;
  }

  private keep(i: number): ScannedFile | null {
    this.hits += 1;
    if (this.kept[i] === 0) {
      this.kept[i] = 1;
      this.keptCount += 1;
    }
    return this.previous.results[i] ?? null;
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
      return;
    }
    this.fresh.set(file, [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, result ?? 0, digest ?? ""]);
  }

  /** Writes the cache atomically when anything changed (files added, changed or gone). */
  async save(): Promise<SaveOutcome> {
    if (!this.changed && this.keptCount === this.previous.files.length) return { written: false };
    const { files, stamps, results, digests } = this.previous;
    const count = this.keptCount + this.fresh.size;
    const out = { files: [] as string[], stamps: new Float64Array(4 * count), results: {} as Record<string, ScannedFile>, digests: {} as Record<string, string> };
    const add = (file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, result: ScannedFile | undefined, digest: string | undefined): void => {
      const n = out.files.length;
      if (result !== undefined) out.results[n] = result;
      if (digest !== undefined && digest !== "") out.digests[n] = digest;
      out.files.push(file);
      const at = 4 * n;
      out.stamps[at] = size;
      out.stamps[at + 1] = mtimeMs;
      out.stamps[at + 2] = ctimeMs;
      out.stamps[at + 3] = ino;
    };
    files.forEach((file, i) => {
      if (this.kept[i] === 0 || this.fresh.has(file)) return;
      add(file, stamps[4 * i] as number, stamps[4 * i + 1] as number, stamps[4 * i + 2] as number, stamps[4 * i + 3] as number, results[i], digests[i]);
    });
    for (const [file, entry] of this.fresh) add(file, entry[0], entry[1], entry[2], entry[3], entry[4] === 0 ? undefined : entry[4], entry[5]);
    const stored: StoredCacheFile = {
      tool: TOOL,
      key: this.key,
      files: out.files,
      stamps: Buffer.from(out.stamps.buffer, 0, 8 * 4 * out.files.length).toString("base64"),
      results: out.results,
      digests: out.digests,
    };
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temp, JSON.stringify(stored));
      await rename(temp, this.path);
      return { written: true };
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      const err = error as NodeJS.ErrnoException;
      return { written: false, error: `cannot write scan cache ${this.path}: ${err.code ?? err.message}` };
    }
  }
}

/** The loaded cache file, or undefined when it is not one (foreign, truncated, damaged columns). */
function decode(data: unknown): CacheFile | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (d.tool !== TOOL || typeof d.key !== "string" || !Array.isArray(d.files) || typeof d.stamps !== "string") return undefined;
  if (typeof d.results !== "object" || d.results === null || typeof d.digests !== "object" || d.digests === null) return undefined;
  const bytes = Buffer.from(d.stamps, "base64");
  if (bytes.length !== 8 * 4 * d.files.length) return undefined;
  // A copy: the decoded bytes need not be aligned for a Float64Array view.
  const stamps = new Float64Array(4 * d.files.length);
  Buffer.from(stamps.buffer).set(bytes);
  return { tool: TOOL, key: d.key, files: d.files as string[], stamps, results: d.results as Record<string, ScannedFile>, digests: d.digests as Record<string, string> };
}

// A hand-edited or damaged cache must not crash the scan: entries that do not have the right
// shape get an impossible stamp (size -1) and lose their content hash, so those files are re-read.
function dropDamaged(data: CacheFile): CacheFile {
  const { files, stamps, results, digests } = data;
  const clean: Record<string, ScannedFile> = {};
  const cleanDigests: Record<string, string> = {};
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    let ok = typeof file === "string";
    if (ok && Object.hasOwn(results, i)) {
      const result: unknown = results[i];
      if (isScannedFile(result, file as string)) clean[i] = result;
      else ok = false;
    }
    if (!ok) stamps[4 * i] = -1;
    else {
      const digest: unknown = Object.hasOwn(digests, i) ? digests[i] : undefined;
      if (typeof digest === "string") cleanDigests[i] = digest;
    }
  }
  return { ...data, files: files.map((f) => (typeof f === "string" ? f : "")), results: clean, digests: cleanDigests };
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
