/**
 * The scan cache (`--cache`, like ESLint's): what the scanner extracted from each file, keyed by
 * the file's path and its stat stamp (size, mtime, ctime, inode), under a key made of cronmeta's
 * version and the config that decides which files are scanned. A second run on an unchanged
 * tree then stats files instead of reading them.
 *
 * Never stale: any write to a file sets its ctime to the current time (stat(2), "st_ctime"), which
 * no program can set back, so a changed file has a changed stamp, with one exception: a change in
 * the same clock tick as the stat that was cached. Like git's "racily clean" index entries
 * (Documentation/technical/racy-git.txt), a file whose ctime is less than RACY_MARGIN_MS before
 * the scan started is not cached at all. A missing, corrupt or foreign cache file is ignored and
 * rewritten; writes are atomic (temp file, then rename).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { endianness } from "node:os";
import { dirname, join } from "node:path";
import type { Config } from "../config/schema.js";
import type { Position, RawEntry, RawSection, ScanProblem, ScannedFile } from "../types.js";
import { VERSION } from "../version.js";

/** Bump when the cached data or what the scanner extracts changes shape. */
const CACHE_FORMAT = 6; // 5: near misses of METADATA are reported; 6: sections carry their cronmeta-disable comments (issue 17)
const TOOL = "cronmeta-scan-cache";
/** Files changed this recently before a scan are re-read next time (timestamps are coarse: a kernel tick, or 2 s on FAT). */
export const RACY_MARGIN_MS = 3000;

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

/** True when nothing stat(2) reports about the file changed. */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** The stamp of a stat result. */
export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

/** The cache key: a cache made by another cronmeta version or for other include/exclude globs is not used. */
export function scanCacheKey(config: Pick<Config, "include" | "exclude" | "debianDir">): string {
  // The stamps are stored as the machine's doubles: a cache from a machine of the other byte order is not used.
  const material = JSON.stringify([CACHE_FORMAT, VERSION, endianness(), config.include, config.exclude, config.debianDir]);
  return createHash("sha256").update(material).digest("hex");
}

/** A new entry: [size, mtimeMs, ctimeMs, ino, result or 0 for "nothing in this file"]. */
type Entry = [number, number, number, number, ScannedFile | 0];

/**
 * The file, in columns (parses in about half the time of one object per file, and needs no
 * object per file once loaded): `files[i]` has the stamp `stamps[4i..4i+3]` (size, mtimeMs,
 * ctimeMs, ino) and the result `results[i]`, absent for "nothing in this file". On disk,
 * `stamps` is the base64 of the doubles (decoded in a few milliseconds, where 300,000 numbers
 * in JSON took 30 ms on the 100,000-file benchmark tree).
 */
interface CacheFile {
  tool: string;
  key: string;
  files: string[];
  stamps: Float64Array;
  results: Record<string, ScannedFile>;
}

/** The file as stored. */
type StoredCacheFile = Omit<CacheFile, "stamps"> & { stamps: string };

/** The outcome of {@link ScanCache.save}. */
export interface SaveOutcome {
  written: boolean;
  /** Why the cache could not be written (the scan result is still right). */
  error?: string;
}

const EMPTY: CacheFile = { tool: TOOL, key: "", files: [], stamps: new Float64Array(0), results: {} };

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
  /** Lookups answered from the cache, and lookups that had to scan the file. */
  hits = 0;
  misses = 0;

  private constructor(
    readonly path: string,
    private readonly key: string,
    private readonly previous: CacheFile,
    /** Wall-clock time the scan started (ms since the epoch). */
    private readonly startedMs: number,
    usable: boolean,
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
    try {
      const data = decode(JSON.parse(await readFile(path, "utf8")) as unknown);
      if (data !== undefined && data.key === key) return new ScanCache(path, key, dropDamaged(data), startedMs, true);
    } catch {
      // Missing or corrupt: start empty, rewrite on save.
    }
    return new ScanCache(path, key, EMPTY, startedMs, false);
  }

  /** The stamp `file` had when it was cached (for a comparison made on another thread). */
  previousStamp(file: string): FileStamp | undefined {
    const i = this.index.get(file);
    const s = this.previous.stamps;
    return i === undefined ? undefined : { size: s[4 * i] as number, mtimeMs: s[4 * i + 1] as number, ctimeMs: s[4 * i + 2] as number, ino: s[4 * i + 3] as number };
  }

  /** The cached result of `file`, whose current stamp was found equal to {@link previousStamp}. */
  reuse(file: string): ScannedFile | null {
    const i = this.index.get(file);
    if (i === undefined) throw new Error(`scan cache: nothing cached for ${file}`);
    return this.keep(i);
  }

  private keep(i: number): ScannedFile | null {
    this.hits += 1;
    if (this.kept[i] === 0) {
      this.kept[i] = 1;
      this.keptCount += 1;
    }
    return this.previous.results[i] ?? null;
  }

  /** Records the result of scanning `file`, whose stamp was taken before it was read. */
  set(file: string, stamp: FileStamp, result: ScannedFile | null): void {
    this.changed = true;
    if (stamp.ctimeMs > this.startedMs - RACY_MARGIN_MS) return; // racily clean: re-read next time
    this.fresh.set(file, [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, result ?? 0]);
  }

  /** Writes the cache atomically when anything changed (files added, changed or gone). */
  async save(): Promise<SaveOutcome> {
    if (!this.changed && this.keptCount === this.previous.files.length) return { written: false };
    const { files, stamps, results } = this.previous;
    const count = this.keptCount + this.fresh.size;
    const out = { files: [] as string[], stamps: new Float64Array(4 * count), results: {} as Record<string, ScannedFile> };
    const add = (file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, result: ScannedFile | undefined): void => {
      const n = out.files.length;
      if (result !== undefined) out.results[n] = result;
      out.files.push(file);
      out.stamps.set([size, mtimeMs, ctimeMs, ino], 4 * n);
    };
    files.forEach((file, i) => {
      if (this.kept[i] === 0 || this.fresh.has(file)) return;
      add(file, stamps[4 * i] as number, stamps[4 * i + 1] as number, stamps[4 * i + 2] as number, stamps[4 * i + 3] as number, results[i]);
    });
    for (const [file, entry] of this.fresh) add(file, entry[0], entry[1], entry[2], entry[3], entry[4] === 0 ? undefined : entry[4]);
    const stored: StoredCacheFile = {
      tool: TOOL,
      key: this.key,
      files: out.files,
      stamps: Buffer.from(out.stamps.buffer, 0, 8 * 4 * out.files.length).toString("base64"),
      results: out.results,
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
  if (typeof d.results !== "object" || d.results === null) return undefined;
  const bytes = Buffer.from(d.stamps, "base64");
  if (bytes.length !== 8 * 4 * d.files.length) return undefined;
  // A copy: the decoded bytes need not be aligned for a Float64Array view.
  const stamps = new Float64Array(4 * d.files.length);
  Buffer.from(stamps.buffer).set(bytes);
  return { tool: TOOL, key: d.key, files: d.files as string[], stamps, results: d.results as Record<string, ScannedFile> };
}

// A hand-edited or damaged cache must not crash the scan: entries that do not have the right
// shape get an impossible stamp (size -1), so those files are re-read.
function dropDamaged(data: CacheFile): CacheFile {
  const { files, stamps, results } = data;
  const clean: Record<string, ScannedFile> = {};
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    let ok = typeof file === "string";
    if (ok && Object.hasOwn(results, i)) {
      const result: unknown = results[i];
      if (isScannedFile(result, file as string)) clean[i] = result;
      else ok = false;
    }
    if (!ok) stamps[4 * i] = -1;
  }
  return { ...data, files: files.map((f) => (typeof f === "string" ? f : "")), results: clean };
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
