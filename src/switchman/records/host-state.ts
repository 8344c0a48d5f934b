/**
 * The host records of one job user (record.ts, HostRecord): `<user state dir>/jobs/<name>/<seq>.json`,
 * updated without a lock, by compare-and-swap on the sequence number.
 *
 * Several switchman processes may update one job's record at once (a holder's FINISH and the
 * skips of starters that found the lock held), and Node has no flock(2). So each update reads
 * the newest `<seq>.json`, writes the next record to a temporary file and publishes it with
 * link(2) as `<seq+1>.json`: link never replaces an existing name, so of two updates from the
 * same `seq` exactly one wins, and the other reads again and retries. A published file is
 * complete (written before the link). Readers always take the highest number.
 *
 * Old files go, but a name is freed only when it is the third newest or older *and* more than
 * a minute old, so that an update that read `seq` and was then stopped for that long (SIGSTOP)
 * could find `seq + 1` free again and link into it (ABA). Every record carries its own random
 * `rev` and the `base` rev it was computed from, so such a late link is recognised: after a
 * link that is not the newest, the next file must have been built on it (`base` equal to its
 * `rev`) — a file a minute old cannot be missing for a record just made —, or the link is taken
 * back and the update retried from the newest record.
 *
 * Every call takes the file calls to use (fs.ts): asynchronous while CMD runs, so that a slow or
 * hung file system never blocks the event loop where the lock watch beats; synchronous otherwise.
 */
import { join } from "node:path";
import { asyncFs, type Fs } from "./fs.js";
import { randomHex } from "./random-id.js";
import { emptyHostRecord, hostRecordFromJson, parseHostRecord, recordFileName, type HostRecord } from "./record.js";
import { RecordsUnavailable } from "./state-dir.js";

/** Gives up after this many lost races in a row (each one means another update went through). */
const MAX_ATTEMPTS = 200;
/** A sequence file below the newest two is removed once this old, ms (see the module comment). */
const REMOVE_AFTER_MS = 60_000;
/** After the n-th lost race in a row, wait a random time up to min(2^n, this) ms: racers spread out (exponential backoff). */
const MAX_BACKOFF_MS = 64;

const SEQ_FILE = /^([0-9]{1,15})\.json$/;

/** The directory of one job's host record. */
export function jobDir(userDir: string, lockname: string): string {
  return join(userDir, "jobs", recordFileName(lockname));
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

async function listing(fs: Fs, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function sequenceNumbers(fs: Fs, dir: string): Promise<number[]> {
  const seqs: number[] = [];
  for (const entry of await listing(fs, dir)) {
    const match = SEQ_FILE.exec(entry);
    if (match) seqs.push(Number(match[1]));
  }
  return seqs.sort((a, b) => a - b);
}

const TEMP_FILE = /^\.tmp-([0-9]+)-[0-9a-f]+$/;

/** True unless `pid` is certainly gone (EPERM: alive, another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Removes the temporary files of updates whose process died half-way (kill -9 between write and link). */
async function removeOrphans(fs: Fs, dir: string): Promise<void> {
  for (const entry of await listing(fs, dir)) {
    const match = TEMP_FILE.exec(entry);
    if (match && !processAlive(Number(match[1]))) await removeQuietly(fs, join(dir, entry));
  }
}

/** A sequence file: its record (undefined when it is not one of this job) and its revision tokens. */
interface Published {
  record: HostRecord | undefined;
  rev: string;
  base: string;
}

/** Reads one sequence file; throws ENOENT when it is gone. */
async function readPublished(fs: Fs, path: string, lockname: string): Promise<Published> {
  const text = await fs.readFile(path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // damaged: no record, no tokens
  }
  const record = hostRecordFromJson(data);
  const tokens = (typeof data === "object" && data !== null ? data : {}) as { rev?: unknown; base?: unknown };
  return {
    // A file that is not a record of this job (damaged, foreign) restarts the counters.
    record: record?.lockname === lockname ? record : undefined,
    rev: typeof tokens.rev === "string" ? tokens.rev : "",
    base: typeof tokens.base === "string" ? tokens.base : "",
  };
}

/** The newest record in `dir` and its sequence number (0 and undefined when there is none). */
async function newest(fs: Fs, dir: string, lockname: string): Promise<{ seq: number } & Published> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const seq = (await sequenceNumbers(fs, dir)).at(-1);
    if (seq === undefined) return { seq: 0, record: undefined, rev: "", base: "" };
    try {
      return { seq, ...(await readPublished(fs, join(dir, `${seq}.json`), lockname)) };
    } catch (error) {
      if (!isMissing(error)) throw error;
      // Removed since the listing: list again.
    }
  }
  throw new RecordsUnavailable(`host record of ${lockname} in ${dir} keeps changing; gave up reading it`);
}

/** The newest host record of `lockname` under `userDir`, or undefined. */
export async function readHostRecord(userDir: string, lockname: string, fs: Fs = asyncFs): Promise<{ seq: number; record: HostRecord } | undefined> {
  const found = await newest(fs, jobDir(userDir, lockname), lockname);
  return found.record === undefined ? undefined : { seq: found.seq, record: found.record };
}

/** The sequence number of the newest host record of `lockname` (0 when none). */
export async function newestSequence(userDir: string, lockname: string, fs: Fs = asyncFs): Promise<number> {
  return (await sequenceNumbers(fs, jobDir(userDir, lockname))).at(-1) ?? 0;
}

/**
 * Applies `update` to the newest record of `lockname` (a fresh one when there is none) and
 * publishes the result; retried from the newest record whenever another update won the race.
 * Returns what was published.
 */
export async function updateHostRecord(
  userDir: string,
  lockname: string,
  update: (previous: HostRecord) => HostRecord,
  fs: Fs = asyncFs,
  /** Test seam: runs between the read and the link (a process stopped there). */
  beforeLink?: () => Promise<void>,
): Promise<{ seq: number; record: HostRecord }> {
  const dir = jobDir(userDir, lockname);
  const temp = join(dir, `.tmp-${process.pid}-${randomHex(4)}`);
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await newest(fs, dir, lockname);
      const record = update(current.record ?? emptyHostRecord(lockname));
      const rev = randomHex(8);
      const text = `${JSON.stringify({ ...record, rev, base: current.rev })}\n`;
      try {
        await fs.writeFile(temp, text, 0o644);
      } catch (error) {
        // The job's first record: its directory is made now, not checked on every update.
        if (!isMissing(error)) throw error;
        await fs.mkdir(dir, 0o755, true);
        await fs.writeFile(temp, text, 0o644);
      }
      const seq = current.seq + 1;
      const name = join(dir, `${seq}.json`);
      await beforeLink?.();
      try {
        await fs.link(temp, name);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        // Another update won: read again, after a random pause so that many racers do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS)));
        continue;
      }
      const seqs = await sequenceNumbers(fs, dir);
      if ((seqs.at(-1) ?? seq) > seq && !(await builtOn(fs, dir, seq + 1, rev, lockname))) {
        await removeQuietly(fs, name); // a late link into a freed name (ABA): not part of the chain
        continue;
      }
      await removeOld(fs, dir, seqs);
      if (seq % 64 === 0) await removeOrphans(fs, dir); // now and then: orphans are rare and small
      return { seq, record };
    }
    throw new RecordsUnavailable(`host record of ${lockname} in ${dir}: ${MAX_ATTEMPTS} updates in a row lost the race; gave up`);
  } finally {
    await removeQuietly(fs, temp);
  }
}

/** True when the record at `seq` was computed from the revision `rev`. */
async function builtOn(fs: Fs, dir: string, seq: number, rev: string, lockname: string): Promise<boolean> {
  try {
    return (await readPublished(fs, join(dir, `${seq}.json`), lockname)).base === rev;
  } catch (error) {
    if (isMissing(error)) return false; // only a file a minute old is ever removed
    throw error;
  }
}

/**
 * Removes sequence files below the newest two that are more than REMOVE_AFTER_MS old, oldest
 * first, and stops at the first that is younger: a file is written only after the one before it
 * was published, so the younger ones follow it. A job run many times a minute then pays one stat
 * per update, not one per file of the last minute; stopping early only ever removes less.
 */
async function removeOld(fs: Fs, dir: string, seqs: number[]): Promise<void> {
  const now = Date.now();
  for (const seq of seqs.slice(0, -2)) {
    const path = join(dir, `${seq}.json`);
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.lstat(path)).mtimeMs; // a regular file: lstat is stat, and already in use
    } catch {
      continue; // removed by another update meanwhile
    }
    if (now - mtimeMs <= REMOVE_AFTER_MS) return;
    await removeQuietly(fs, path);
  }
}

async function removeQuietly(fs: Fs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // already gone
  }
}

/** Every job's newest host record under `userDir` (sorted by lock name); [] when there is none. */
export async function listHostRecords(userDir: string, fs: Fs = asyncFs): Promise<HostRecord[]> {
  let names: string[];
  try {
    names = await fs.readdir(join(userDir, "jobs"));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const records: HostRecord[] = [];
  for (const name of names) {
    const seq = (await sequenceNumbers(fs, join(userDir, "jobs", name))).at(-1);
    if (seq === undefined) continue;
    try {
      const record = parseHostRecord(await fs.readFile(join(userDir, "jobs", name, `${seq}.json`)));
      if (record !== undefined && recordFileName(record.lockname) === name) records.push(record);
    } catch {
      // replaced while we looked: the next listing has it
    }
  }
  return records.sort((a, b) => (a.lockname < b.lockname ? -1 : a.lockname > b.lockname ? 1 : 0));
}
