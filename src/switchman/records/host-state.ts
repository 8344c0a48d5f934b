/**
 * The host records of one job user (record.ts, HostRecord): `<user state dir>/jobs/<name>/<seq>.json`,
 * updated without a lock, by compare-and-swap on the sequence number.
 *
 * Several switchman processes may update one job's record at once (a holder's FINISH and the
 * skips of starters that found the lock held), and Node has no flock(2). So each update reads
 * the newest `<seq>.json`, writes the next record to a temporary file and publishes it with
 * link(2) as `<seq+1>.json`: link never replaces an existing name, so of two updates from the
 * same `seq` exactly one wins, and the other reads again and retries. A published file is
 * complete (written before the link). Older sequence files are removed, keeping the last two,
 * so a reader that listed the directory just before an update still finds its file; an update
 * that read so long ago that its `seq + 1` was already removed again sees a newer file after
 * its link, takes its own back and retries. Readers always take the highest number.
 *
 * Asynchronous (libuv's thread pool): a slow or hung file system never blocks switchman's
 * event loop, where the lock watch's heartbeat runs.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, readdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { emptyHostRecord, parseHostRecord, recordFileName, type HostRecord } from "./record.js";
import { RecordsUnavailable } from "./state-dir.js";

/** Gives up after this many lost races in a row (each one means another update went through). */
const MAX_ATTEMPTS = 200;
/** After the n-th lost race in a row, wait a random time up to min(2^n, this) ms: racers spread out (exponential backoff). */
const MAX_BACKOFF_MS = 64;

const SEQ_FILE = /^([0-9]{1,15})\.json$/;

/** The directory of one job's host record. */
export function jobDir(userDir: string, lockname: string): string {
  return join(userDir, "jobs", recordFileName(lockname));
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

async function listing(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function sequenceNumbers(dir: string, entries?: string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const entry of entries ?? (await listing(dir))) {
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
async function removeOrphans(dir: string): Promise<void> {
  for (const entry of await listing(dir)) {
    const match = TEMP_FILE.exec(entry);
    if (match && !processAlive(Number(match[1]))) await removeQuietly(join(dir, entry));
  }
}

/** The newest record in `dir` and its sequence number (0 and undefined when there is none). */
async function newest(dir: string, lockname: string): Promise<{ seq: number; record: HostRecord | undefined }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const seq = (await sequenceNumbers(dir)).at(-1);
    if (seq === undefined) return { seq: 0, record: undefined };
    try {
      const record = parseHostRecord(await readFile(join(dir, `${seq}.json`)));
      // A file that is not a record of this job (damaged, foreign) restarts the counters.
      return { seq, record: record?.lockname === lockname ? record : undefined };
    } catch (error) {
      if (!isMissing(error)) throw error;
      // Removed by two newer updates since the listing: list again.
    }
  }
  throw new RecordsUnavailable(`host record of ${lockname} in ${dir} keeps changing; gave up reading it`);
}

/** The newest host record of `lockname` under `userDir`, or undefined. */
export async function readHostRecord(userDir: string, lockname: string): Promise<{ seq: number; record: HostRecord } | undefined> {
  const found = await newest(jobDir(userDir, lockname), lockname);
  return found.record === undefined ? undefined : { seq: found.seq, record: found.record };
}

/** The sequence number of the newest host record of `lockname` (0 when none). */
export async function newestSequence(userDir: string, lockname: string): Promise<number> {
  return (await sequenceNumbers(jobDir(userDir, lockname))).at(-1) ?? 0;
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
): Promise<{ seq: number; record: HostRecord }> {
  const dir = jobDir(userDir, lockname);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await newest(dir, lockname);
      const record = update(current.record ?? emptyHostRecord(lockname));
      await writeFile(temp, `${JSON.stringify(record)}\n`, { mode: 0o644 });
      const seq = current.seq + 1;
      try {
        await link(temp, join(dir, `${seq}.json`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        // Another update won: read again, after a random pause so that many racers do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS)));
        continue;
      }
      // A name freed by the clean-up below can be linked again by an update that read long ago
      // (ABA): such a file is never the newest, so it is taken back and the update retried.
      if ((await sequenceNumbers(dir)).some((other) => other > seq)) {
        await removeQuietly(join(dir, `${seq}.json`));
        continue;
      }
      // Keep `seq` and `seq - 1`; the older ones (a gap left by a killed process included) go.
      for (let old = current.seq - 1; old > 0 && old >= current.seq - 3; old--) await removeQuietly(join(dir, `${old}.json`));
      if (seq % 64 === 0) await removeOrphans(dir); // now and then: orphans are rare and small
      return { seq, record };
    }
    throw new RecordsUnavailable(`host record of ${lockname} in ${dir}: ${MAX_ATTEMPTS} updates in a row lost the race; gave up`);
  } finally {
    await removeQuietly(temp);
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // already gone
  }
}

/** Every job's newest host record under `userDir` (sorted by lock name); [] when there is none. */
export async function listHostRecords(userDir: string): Promise<HostRecord[]> {
  let names: string[];
  try {
    names = await readdir(join(userDir, "jobs"));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const records: HostRecord[] = [];
  for (const name of names) {
    const seq = (await sequenceNumbers(join(userDir, "jobs", name))).at(-1);
    if (seq === undefined) continue;
    try {
      const record = parseHostRecord(await readFile(join(userDir, "jobs", name, `${seq}.json`)));
      if (record !== undefined && recordFileName(record.lockname) === name) records.push(record);
    } catch {
      // replaced while we looked: the next listing has it
    }
  }
  return records.sort((a, b) => (a.lockname < b.lockname ? -1 : a.lockname > b.lockname ? 1 : 0));
}
