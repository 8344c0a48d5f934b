// Runs the real switchman executable in tests: the compiled bin in dist/ (proves the shebang),
// refused when dist/ is older than src/ (builtBin).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtBin, repoRoot, switchmanBin } from "../../helpers/paths.js";

/** Command and arguments that start switchman. */
export function switchmanCommand(args: string[]): { file: string; args: string[] } {
  return { file: builtBin(switchmanBin), args };
}

/** How a finished process ended. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts switchman with piped stdio; `env` is added to a minimal environment. */
export function startSwitchman(args: string[], env: Record<string, string> = {}): ChildProcess & { done: Promise<Finished> } {
  const { file, args: argv } = switchmanCommand(args);
  const child = spawn(file, argv, {
    cwd: repoRoot, // tsx resolves from here
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", SWITCHMAN_HOSTNAME: "box1.example.com", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  }) as ChildProcess & { done: Promise<Finished> };
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  child.done = new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    // A process left behind (a bug under test) may keep switchman's stdio open: do not hang on it.
    child.on("exit", (code, signal) => setTimeout(() => resolve({ code, signal, stdout, stderr }), 2000).unref());
  });
  return child;
}

/** Runs switchman to completion (stdin closed, or fed `input`). */
export async function runSwitchman(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<Finished> {
  const child = startSwitchman(args, options.env);
  child.stdin?.end(options.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  try {
    return await child.done;
  } finally {
    clearTimeout(timer);
  }
}

/** A temporary directory with a config file, a lock directory and a log file. */
export interface Sandbox {
  dir: string;
  config: string;
  lockdir: string;
  logfile: string;
  /** Writes the config (lockdir and logfile filled in unless given). */
  writeConfig(config: Record<string, unknown>): void;
  log(): string;
  cleanup(): void;
}

/** Creates a sandbox; call cleanup() in a finally or `after`. */
export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "switchman-test-"));
  const box: Sandbox = {
    dir,
    config: join(dir, "switchman.conf"),
    lockdir: join(dir, "locks"),
    logfile: join(dir, "switchman.log"),
    writeConfig(config) {
      writeFileSync(box.config, JSON.stringify({ lockdir: box.lockdir, logfile: box.logfile, loglevel: "debug", ...config }));
    },
    log: () => (existsSync(box.logfile) ? readFileSync(box.logfile, "utf8") : ""),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  box.writeConfig({});
  return box;
}

/** True while `pid` is a live process (zombies count as dead: this container's init does not reap). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Waits until `check` returns a value other than undefined/false, polling every 20 ms. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads a file holding whitespace-separated pids (written by a job), or undefined if absent/empty. */
export function readPids(path: string): number[] | undefined {
  if (!existsSync(path)) return undefined;
  const pids = readFileSync(path, "utf8").split(/\s+/).filter(Boolean).map(Number);
  return pids.length > 0 ? pids : undefined;
}

/** Kills leftover processes of a test (best effort, by pid). */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Fails (never skips) when a system tool switchman needs is missing, naming its Debian package. */
export function requireTools(): void {
  for (const [tool, pkg] of [["setpriv", "util-linux"], ["flock", "util-linux"], ["sh", "dash"], ["bash", "bash"], ["hostname", "hostname"]] as const) {
    const found = (process.env.PATH ?? "/usr/bin:/bin").split(":").some((dir) => existsSync(join(dir, tool)));
    if (!found) throw new Error(`${tool} not found: install the Debian package ${pkg}`);
  }
}

/** Live (non-zombie) members of process group `pgid`, read from /proc independently of switchman's own code. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[2] === String(pgid) && fields[0] !== "Z" && fields[0] !== "X") members.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** Pids whose command line contains every one of `parts` (NUL-separated argv). */
export function findProcesses(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (parts.every((part) => argv.includes(part)) && alive(Number(entry))) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Processes that have `path` open, as "pid state argv" lines (for assertion messages). */
export function openers(path: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        let target = "";
        try {
          target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        } catch {
          continue;
        }
        if (target === path) {
          const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
          const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
          found.push(`${entry} ${stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)} ppid=${stat.slice(stat.lastIndexOf(")") + 4).split(" ")[0]} fd=${fd} ${argv}`);
        }
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
