/**
 * Reads files for the scanner with as few thread-pool round trips as possible, and without
 * reading more than it must of a file that cannot hold METADATA.
 *
 * Most scripts fit in the first read (open, read, close: 3 round trips, where readFile needs 4
 * and fs.promises.readFile more; on 100,000 small files the round trips are the cost). The NUL
 * test for binaries runs on that first read, so a large binary is never read in full; a text
 * file larger than MAX_FILE_SIZE is not read at all (no script is that big, and reading a
 * multi-gigabyte dump 32 times in parallel would exhaust memory).
 */
import { close as closeCb, fstat as fstatCb, open as openCb, read as readCb } from "node:fs";
import { promisify } from "node:util";

/** A NUL byte in this many leading bytes marks a binary file (the heuristic of git and grep). */
export const BINARY_PROBE = 8192;
/** Files larger than this are not scanned. */
export const MAX_FILE_SIZE = 32 * 1024 * 1024;
const HEAD_SIZE = 64 * 1024;
const CHUNK_SIZE = 1024 * 1024;

const open = promisify(openCb);
const read = promisify(readCb);
const fstat = promisify(fstatCb);
const close = promisify(closeCb);

/** What reading a file gave. */
export type ReadOutcome = { kind: "text"; bytes: Buffer } | { kind: "binary" } | { kind: "too-large"; size: number };

/**
 * Reads one file at a time into a reused buffer: use one reader per concurrent worker. The
 * `bytes` of a "text" outcome are only valid until the next call to {@link FileReader.read}.
 */
export class FileReader {
  private readonly head = Buffer.allocUnsafe(HEAD_SIZE);

  /** Reads `path`; throws the file system's error (ENOENT, EACCES, …). */
  async read(path: string): Promise<ReadOutcome> {
    const fd = await open(path, "r");
    try {
      const { bytesRead } = await read(fd, this.head, 0, HEAD_SIZE, 0);
      const head = this.head.subarray(0, bytesRead);
      if (head.subarray(0, BINARY_PROBE).includes(0)) return { kind: "binary" };
      if (bytesRead < HEAD_SIZE) return { kind: "text", bytes: head };
      const { size } = await fstat(fd);
      if (size > MAX_FILE_SIZE) return { kind: "too-large", size };
      const chunks = [Buffer.from(head)];
      let total = bytesRead;
      for (;;) {
        const chunk = Buffer.allocUnsafe(CHUNK_SIZE);
        const got = (await read(fd, chunk, 0, CHUNK_SIZE, total)).bytesRead;
        if (got === 0) break;
        chunks.push(chunk.subarray(0, got));
        total += got;
        if (total > MAX_FILE_SIZE) return { kind: "too-large", size: total }; // it grew while read
      }
      return { kind: "text", bytes: Buffer.concat(chunks, total) };
    } finally {
      await close(fd);
    }
  }
}
