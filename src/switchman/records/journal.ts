/**
 * The local journal of one job user: `<user state dir>/journal.jsonl`, one JSON line per START,
 * FINISH and skip (record.ts, journalLine), size-capped with one rotated generation
 * (`journal.jsonl.1`).
 *
 * - Concurrent switchman processes never interleave a line: each line is one write(2) of at
 *   most 4095 bytes + newline to a file opened O_APPEND. On Linux an O_APPEND write to a regular
 *   file moves the end and writes under the inode's lock, so two writes never mix; a line below
 *   PIPE_BUF is also what POSIX promises for pipes, the strictest case. Lines appended together
 *   (a short run's START and FINISH) are one write(2) when they fit in PIPE_BUF together, and
 *   one write(2) each otherwise.
 * - The cap: the two generations together stay within `maxBytes`. A line that would take the
 *   current file past `maxBytes / 2` first renames it to `journal.jsonl.1` (replacing the older
 *   generation). Only one process rotates at a time (an O_EXCL lock file, broken when older than
 *   10 s, so a writer killed mid-rotation cannot stop rotation for good), and it renames only
 *   the file it found full, so a rotation is never done twice. Writers that appended at the very
 *   same instant can each add one line beyond the half (their size check and their write are two
 *   steps): the overshoot is at most one line per concurrent writer.
 * - Readers skip a line that does not parse (a write cut short by a full disk).
 */
import { constants } from "node:fs";
import { join } from "node:path";
import { asyncFs, type Fs } from "./fs.js";
import { JOURNAL_LINE_MAX_BYTES } from "./record.js";

/** The journal's file name in a user's state directory. */
export const JOURNAL_FILE = "journal.jsonl";
/** The rotated generation's file name. */
export const JOURNAL_ROTATED_FILE = "journal.jsonl.1";

/** A rotation lock older than this was left by a killed process, ms. */
const STALE_LOCK_MS = 10_000;
/** How long a writer waits for another process's rotation, ms. */
const ROTATION_WAIT_MS = 200;

const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Appends `lines` (each one line with its newline, in this order) to the journal in `userDir`,
 * rotating first when they would pass the cap.
 */
export async function appendJournal(userDir: string, lines: string | readonly string[], maxBytes: number, fs: Fs = asyncFs): Promise<void> {
  const all = typeof lines === "string" ? [lines] : lines;
  if (all.length === 0) return;
  const bytes = Buffer.from(all.join(""), "utf8");
  if (all.length > 1 && bytes.length > JOURNAL_LINE_MAX_BYTES + 1) {
    for (const line of all) await appendJournal(userDir, line, maxBytes, fs); // one write(2) each: no part of one line is ever written alone
    return;
  }
  const path = join(userDir, JOURNAL_FILE);
  const generationBytes = Math.floor(maxBytes / 2);
  for (let attempt = 0; ; attempt++) {
    const file = await fs.open(path, APPEND_FLAGS, 0o644);
    try {
      const { size, ino } = await file.stat();
      if (size > 0 && size + bytes.length > generationBytes && attempt < 3) {
        await rotate(fs, userDir, path, ino);
        continue; // write to the new file (or to whichever another rotation left)
      }
      // One write(2), never looped on a short write, so a line is never split in two.
      const bytesWritten = await file.write(bytes);
      if (bytesWritten !== bytes.length) throw new Error(`short write to ${path} (${bytesWritten} of ${bytes.length} bytes): disk full?`);
      return;
    } finally {
      await file.close();
    }
  }
}

/** Renames the full journal (inode `ino`) to the rotated name, unless another process did. */
async function rotate(fs: Fs, userDir: string, path: string, ino: number): Promise<void> {
  const lock = `${path}.rotate`;
  const deadline = Date.now() + ROTATION_WAIT_MS;
  for (;;) {
    let held;
    try {
      held = await fs.open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (held !== undefined) {
      try {
        if ((await inodeOf(fs, path)) === ino) await fs.rename(path, join(userDir, JOURNAL_ROTATED_FILE));
      } finally {
        await held.close();
        await fs.unlink(lock);
      }
      return;
    }
    if ((await inodeOf(fs, path)) !== ino) return; // rotated by the lock's holder meanwhile
    if ((await lockAgeMs(fs, lock)) > STALE_LOCK_MS) {
      await fs.unlink(lock).catch(() => undefined); // another writer may have broken it first
      continue;
    }
    if (Date.now() > deadline) return; // the holder is slow: append anyway, one line over
    await sleep(1);
  }
}

async function inodeOf(fs: Fs, path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).ino;
  } catch {
    return undefined;
  }
}

async function lockAgeMs(fs: Fs, path: string): Promise<number> {
  try {
    return Date.now() - (await fs.stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}
