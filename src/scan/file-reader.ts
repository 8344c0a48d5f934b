/**
 * Reads files for the scanner with as few system calls as possible, and without reading more
 * than it must of a file that cannot hold METADATA.
 *
 * Synchronous on purpose: on a tree in the page cache, each asynchronous call is a round trip
 * through libuv's thread pool that costs more than the system call itself. On the 100,000-file
 * benchmark tree (bench/), synchronous open/read/close read everything in half the time of 32
 * concurrent callback reads (and fast-glob's sync walk was twice as fast as its async one).
 * The scanner yields to the event loop between batches of files.
 *
 * Most scripts fit in the first read (open, read, close). The NUL test for binaries runs on that
 * first read, so a large binary is never read in full; a text file larger than MAX_FILE_SIZE is
 * not read at all (no script is that big).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** A NUL byte in this many leading bytes marks a binary file (the heuristic of git and grep). */
export const BINARY_PROBE = 8192;
/** Files larger than this are not scanned. */
export const MAX_FILE_SIZE = 32 * 1024 * 1024;
/** The first read; most scripts fit. */
export const HEAD_SIZE = 64 * 1024;
/** Later reads of a large file. */
export const CHUNK_SIZE = 1024 * 1024;

// O_NONBLOCK: a FIFO that replaced a file after the directory walk must not block the scan
// (open(2): for a FIFO, O_NONBLOCK returns at once; a read then finds no data).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** What reading a file gave. */
export type ReadOutcome =
  | { kind: "text"; bytes: Buffer }
  /** `head`: the bytes of the first read (up to HEAD_SIZE), for the warning about METADATA in a binary file. */
  | { kind: "binary"; head: Buffer }
  | { kind: "too-large"; size: number }
  | { kind: "no-marker" }
  /** `beforeRead` said not to read it. */
  | { kind: "unread" };

/**
 * Reads one file at a time into reused buffers. The `bytes` of a "text" outcome and the `head`
 * of a "binary" one are only valid until the next call to {@link FileReader.read}.
 */
export class FileReader {
  private readonly head = Buffer.allocUnsafe(HEAD_SIZE);
  /** The binary probe's view of `head`, made once (a view per file costs more than the search). */
  private readonly probe = this.head.subarray(0, BINARY_PROBE);
  private readonly chunk = Buffer.allocUnsafe(CHUNK_SIZE);

  /**
   * Reads `path`; throws the file system's error (ENOENT, EACCES, …). With `markerFor`, a file
   * larger than the first read is first searched chunk by chunk, in a reused buffer, for the
   * markers its head calls for; only a file that contains one is read into memory whole (a
   * multi-megabyte bundle without it costs no allocation at all). `beforeRead`, given the open
   * descriptor before any byte is read (for fstat(2)), returns false to leave the file unread.
   */
  read(path: string, markerFor?: (head: Buffer) => readonly Buffer[], beforeRead?: (fd: number) => boolean): ReadOutcome {
    const fd = openSync(path, OPEN_FLAGS);
    try {
      if (beforeRead !== undefined && !beforeRead(fd)) return { kind: "unread" };
      const bytesRead = readHead(fd, this.head);
      const head = this.head.subarray(0, bytesRead);
      // A NUL among the bytes read: the probe's first NUL is before bytesRead (past it are an earlier file's bytes).
      const nul = this.probe.indexOf(0);
      if (nul !== -1 && nul < bytesRead) return { kind: "binary", head };
      if (bytesRead < HEAD_SIZE) return { kind: "text", bytes: head };
      const { size } = fstatSync(fd);
      if (size > MAX_FILE_SIZE) return { kind: "too-large", size };
      if (markerFor !== undefined && !this.contains(fd, head, markerFor(head))) return { kind: "no-marker" };
      // The whole file in one buffer of its size (+1 to see the end at once): the head copied in,
      // the rest read after it, no second copy (a 5 MB bundle with a marker: 3 ms less).
      const whole = Buffer.allocUnsafe(Math.max(size, bytesRead) + 1);
      head.copy(whole);
      let total = bytesRead;
      for (;;) {
        const got = readSync(fd, whole, total, whole.length - total, total);
        if (got === 0) return { kind: "text", bytes: whole.subarray(0, total) };
        total += got;
        if (total === whole.length) break;
      }
      // It grew while read: the rest by chunks.
      if (total > MAX_FILE_SIZE) return { kind: "too-large", size: total };
      const chunks = [whole];
      for (;;) {
        // The rest in one read when the size holds (+1 to see the end at once), else by chunks.
        const chunk = Buffer.allocUnsafe(Math.max(CHUNK_SIZE, size - total + 1));
        const got = readSync(fd, chunk, 0, chunk.length, total);
        if (got === 0) break;
        chunks.push(chunk.subarray(0, got));
        total += got;
        if (total > MAX_FILE_SIZE) return { kind: "too-large", size: total }; // it grew while read
      }
      return { kind: "text", bytes: Buffer.concat(chunks, total) };
    } finally {
      closeSync(fd);
    }
  }

  /** Whether one of `markers` occurs in the file, whose first bytes are `head`. */
  private contains(fd: number, head: Buffer, markers: readonly Buffer[]): boolean {
    const found = (bytes: Buffer) => markers.some((marker) => bytes.includes(marker));
    if (found(head)) return true;
    // Each chunk starts with the last (longest marker - 1) bytes before it: a marker across the seam is found.
    const keep = Math.max(...markers.map((m) => m.length)) - 1;
    head.copy(this.chunk, 0, head.length - keep);
    let position = head.length;
    for (;;) {
      const got = readSync(fd, this.chunk, keep, this.chunk.length - keep, position);
      if (got === 0) return false;
      if (found(this.chunk.subarray(0, keep + got))) return true;
      position += got;
      if (position > MAX_FILE_SIZE) return true; // it grew while read: let the full read say "too large"
      this.chunk.copy(this.chunk, 0, keep + got - keep, keep + got);
    }
  }
}

/** Fills `buffer` from the start of the file (a FIFO opened non-blocking has nothing: EAGAIN is empty). */
function readHead(fd: number, buffer: Buffer): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EAGAIN" || (error as NodeJS.ErrnoException).code === "ESPIPE") return 0;
    throw error;
  }
}
