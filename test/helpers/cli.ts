// Runs the cronmeta CLI in-process (main with a captured Io) or as the real executable.
import { spawnSync } from "node:child_process";
import { main } from "../../src/cli/main.js";
import { builtBin, cronmetaBin } from "./paths.js";

/** What a CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cronmeta ...args` in-process with `cwd`. */
export async function runInProcess(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: { ...env },
    stdoutIsTTY: false,
  });
  return { code, stdout, stderr };
}

/** Runs the compiled `cronmeta` executable (needs `npm run build`). */
export function runExecutable(args: string[], cwd: string, env: Record<string, string | undefined> = {}): CliRun {
  const result = spawnSync(builtBin(cronmetaBin), args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A named way of running the CLI, for tables that must hold for both (`*.cases.ts`). */
export type Runner = [string, (args: string[], cwd: string, env?: Record<string, string | undefined>) => Promise<CliRun> | CliRun];
