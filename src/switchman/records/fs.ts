/**
 * The file calls of the local run records, in two flavours behind one promise-shaped interface:
 *
 * - `asyncFs` (node:fs's callback calls, libuv's thread pool): for the START, which is written
 *   while CMD runs and the lock watch must keep beating, whatever the disk does. The callback
 *   calls rather than node:fs/promises, whose module and the eleven internal ones it loads
 *   (readline, fs watchers, …) cost a start about 1 ms, and whose FileHandles cost more per call;
 * - `syncFs` (the *Sync calls, wrapped in settled promises): for a skip and the FINISH, when
 *   nothing else runs in switchman. A thread-pool round trip costs 0.05-0.2 ms and the first one
 *   starts the pool; a skip makes about twenty calls, on every host, for every cron line.
 *
 * The record modules are written once against {@link Fs} and told which flavour to use.
 */
import type { Stats } from "node:fs";
import {
  chmod,
  close,
  fstat,
  link,
  lstat,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  stat,
  unlink,
  utimes,
  write,
  writeFile,
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

/** A node:fs callback call as a promise. */
function called<T>(start: (callback: (error: NodeJS.ErrnoException | null, result: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(result))));
}

/** A node:fs callback call that answers with an error only, as a promise. */
function done(start: (callback: (error: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
  return called<void>((cb) => start((error) => cb(error, undefined)));
}

/** The asynchronous flavour (thread pool). */
export const asyncFs: Fs = {
  open: async (path, flags, mode) => {
    const fd = await called<number>((cb) => open(path, flags, mode, cb));
    return {
      stat: () => called<Stats>((cb) => fstat(fd, cb)),
      write: (bytes) => called<number>((cb) => write(fd, bytes, 0, bytes.length, null, cb)),
      close: () => done((cb) => close(fd, cb)),
    };
  },
  stat: (path) => called<Stats>((cb) => stat(path, cb)),
  lstat: (path) => called<Stats>((cb) => lstat(path, cb)),
  readdir: (path) => called<string[]>((cb) => readdir(path, cb)),
  readFile: (path) => called<string>((cb) => readFile(path, "utf8", cb)),
  writeFile: (path, text, mode, flag = "w") => done((cb) => writeFile(path, text, { mode, flag }, cb)),
  mkdir: (path, mode, recursive = false) => done((cb) => mkdir(path, { mode, recursive }, cb)),
  chmod: (path, mode) => done((cb) => chmod(path, mode, cb)),
  link: (existing, name) => done((cb) => link(existing, name, cb)),
  rename: (from, to) => done((cb) => rename(from, to, cb)),
  unlink: (path) => done((cb) => unlink(path, cb)),
  utimes: (path, time) => done((cb) => utimes(path, time, time, cb)),
};
