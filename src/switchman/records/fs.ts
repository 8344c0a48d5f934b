/**
 * The file calls of the local run records, in two flavours behind one promise-shaped interface:
 *
 * - `asyncFs` (node:fs/promises, libuv's thread pool, loaded on first use): for the START, which is written while CMD
 *   runs and the lock watch must keep beating, whatever the disk does;
 * - `syncFs` (the *Sync calls, wrapped in settled promises): for a skip and the FINISH, when
 *   nothing else runs in switchman. A thread-pool round trip costs 0.05-0.2 ms and the first one
 *   starts the pool; a skip makes about twenty calls, on every host, for every cron line.
 *
 * The record modules are written once against {@link Fs} and told which flavour to use.
 */
import type { Stats } from "node:fs";
import {
  chmodSync,
  closeSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
  // node:fs's `promises` is a getter that loads node:fs/promises (about 1 ms of a start) on first
  // use: read it at each call, never at import, so that a skip (synchronous calls only) never loads it.
  promises as fsPromises,
} from "node:fs";

/** An open file: its size and inode, one write(2), close. */
export interface FsFile {
  stat(): Promise<{ size: number; ino: number }>;
  /** One write(2) of the whole buffer (never looped): the number of bytes written. */
  write(bytes: Buffer): Promise<number>;
  close(): Promise<void>;
}

/** The calls the local records make. */
export interface Fs {
  open(path: string, flags: number, mode: number): Promise<FsFile>;
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<string>;
  /** `flag` as fs.writeFile's (`w`, `wx`). */
  writeFile(path: string, text: string, mode: number, flag?: string): Promise<void>;
  mkdir(path: string, mode: number, recursive?: boolean): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  link(existing: string, name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  utimes(path: string, time: Date): Promise<void>;
}

/** Runs `body` now and returns its result as a settled promise (a throw becomes a rejection). */
function now<T>(body: () => T): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The synchronous flavour. */
export const syncFs: Fs = {
  open: (path, flags, mode) =>
    now(() => {
      const fd = openSync(path, flags, mode);
      return {
        stat: () => now(() => fstatSync(fd)),
        write: (bytes) => now(() => writeSync(fd, bytes, 0, bytes.length)),
        close: () => now(() => closeSync(fd)),
      };
    }),
  stat: (path) => now(() => statSync(path)),
  lstat: (path) => now(() => lstatSync(path)),
  readdir: (path) => now(() => readdirSync(path)),
  readFile: (path) => now(() => readFileSync(path, "utf8")),
  writeFile: (path, text, mode, flag = "w") => now(() => writeFileSync(path, text, { mode, flag })),
  mkdir: (path, mode, recursive = false) => now(() => void mkdirSync(path, { mode, recursive })),
  chmod: (path, mode) => now(() => chmodSync(path, mode)),
  link: (existing, name) => now(() => linkSync(existing, name)),
  rename: (from, to) => now(() => renameSync(from, to)),
  unlink: (path) => now(() => unlinkSync(path)),
  utimes: (path, time) => now(() => utimesSync(path, time, time)),
};

/** The asynchronous flavour (thread pool). */
export const asyncFs: Fs = {
  open: async (path, flags, mode) => {
    const file = await fsPromises.open(path, flags, mode);
    return {
      stat: () => file.stat(),
      write: async (bytes) => (await file.write(bytes, 0, bytes.length)).bytesWritten,
      close: () => file.close(),
    };
  },
  stat: (path) => fsPromises.stat(path),
  lstat: (path) => fsPromises.lstat(path),
  readdir: (path) => fsPromises.readdir(path),
  readFile: (path) => fsPromises.readFile(path, "utf8"),
  writeFile: (path, text, mode, flag = "w") => fsPromises.writeFile(path, text, { mode, flag }),
  mkdir: async (path, mode, recursive = false) => void (await fsPromises.mkdir(path, { mode, recursive })),
  chmod: (path, mode) => fsPromises.chmod(path, mode),
  link: (existing, name) => fsPromises.link(existing, name),
  rename: (from, to) => fsPromises.rename(from, to),
  unlink: (path) => fsPromises.unlink(path),
  utimes: (path, time) => fsPromises.utimes(path, time, time),
};
