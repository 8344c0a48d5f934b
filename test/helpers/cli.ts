// Runs the cronmeta CLI in-process (main with a captured Io) or as the real executable.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { main } from "../../src/cli/main.js";
import { cronmetaBin } from "./paths.js";

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
  if (!existsSync(cronmetaBin)) throw new Error(`${cronmetaBin} is missing: run \`npm run build\` first`);
  const result = spawnSync(cronmetaBin, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Both ways of running, for tables that must hold for both. */
export const runners: Array<[string, (args: string[], cwd: string, env?: Record<string, string | undefined>) => Promise<CliRun> | CliRun]> = [
  ["in-process", runInProcess],
  ["executable", runExecutable],
];
