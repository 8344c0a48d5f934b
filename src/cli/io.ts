/** Where the CLI prints and what it knows of its environment; tests pass their own. */
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

/** The process's own Io. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
  };
}

/** True when output may carry ANSI colours: `--color`/`--no-color`, else a TTY without NO_COLOR. */
export function useColour(io: Io): boolean {
  if (io.colour !== undefined) return io.colour;
  return io.stdoutIsTTY && io.env.NO_COLOR === undefined;
}
