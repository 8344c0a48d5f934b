/** Where the CLI prints and what it knows of its environment; tests pass their own. */
import { fstatSync, writeSync } from "node:fs";
import { createRequire } from "node:module";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory `--root` defaults to. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Colours only on a TTY, never with NO_COLOR (SPEC 6). */
  stdoutIsTTY: boolean;
  /** `--color` (true) or `--no-color` (false): wins over the TTY and NO_COLOR. */
  colour?: boolean;
}

/**
 * Writes to fd 1 or 2 with write(2) itself, not through process.stdout/stderr: making those
 * streams loads node's stream modules (and for a pipe `net`), about 3 ms of a 25 ms start that
 * a lint which prints one JSON text does not need. On Linux node writes to a pipe, file or TTY
 * synchronously too, so the bytes and their order are the same. Anything write(2) cannot do
 * at once (EAGAIN on a non-blocking descriptor) or fails with, other than EPIPE, goes to the
 * stream from then on, which handles it as before; a reader that went away (EPIPE) ends the
 * process as the stream's handler does (`cronmeta lint | head`: not an error worth a stack trace).
 */
export class FdWriter {
  private stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly fd: 1 | 2,
    private readonly streamOf: () => NodeJS.WriteStream,
  ) {}

  write(text: string): void {
    if (this.stream !== undefined) {
      this.stream.write(text);
      return;
    }
    const bytes = Buffer.from(text, "utf8");
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EPIPE") process.exit(process.exitCode ?? 0);
      this.toStream().write(bytes.subarray(at));
    }
  }

  /** The stream, from now on, with the EPIPE handler of cronmeta.ts. */
  private toStream(): NodeJS.WriteStream {
    if (this.stream === undefined) {
      this.stream = this.streamOf();
      this.stream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
        process.exit(process.exitCode ?? 0);
      });
    }
    return this.stream;
  }
}

/**
 * isatty(fd), as process.stdout.isTTY says it, without node:tty (which loads `net` and the
 * stream modules) unless the descriptor is a character device, the only kind a terminal is.
 */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  const { isatty } = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  return isatty(fd);
}

/** The process's standard output and error, as FdWriters. */
export const standardOutput = new FdWriter(1, () => process.stdout);
export const standardError = new FdWriter(2, () => process.stderr);

/** The process's own Io. */
export function processIo(): Io {
  return {
    stdout: (text) => standardOutput.write(text),
    stderr: (text) => standardError.write(text),
    cwd: process.cwd(),
    env: process.env,
    // Asked only when colours depend on it (process.stdout.isTTY would make the stream).
    get stdoutIsTTY() {
      return isTerminal(1);
    },
  };
}

/** True when output may carry ANSI colours: `--color`/`--no-color`, else a TTY without NO_COLOR. */
export function useColour(io: Io): boolean {
  if (io.colour !== undefined) return io.colour;
  return io.stdoutIsTTY && io.env.NO_COLOR === undefined;
}
