// Runs Debian's real cron daemon (3.0pl1) on a directory of cron.d files without touching the
// machine's /etc/cron.d: inside a private mount namespace (unshare(1)) the directory is bound
// over /etc/cron.d, an empty file over /etc/crontab, tmpfs over the user crontabs and /run
// (pid file, @reboot marker), and a private /dev whose `log` is a Unix socket this process
// listens on, so everything cron logs through syslog(3) reaches the test.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { delimiter, join } from "node:path";

/** A cron daemon running in its own mount namespace, and what it logged so far. */
export interface CronRun {
  /** syslog messages, one per entry, without the `<PRI>` prefix. */
  log: string[];
  /** Everything unshare/cron wrote on stderr (setup errors). */
  stderr: () => string;
  /** True once cron (or the namespace setup before it) has exited. */
  exited: () => boolean;
  /** Stops cron (and unshare) and the syslog listener. Safe to call twice. */
  stop: () => Promise<void>;
}

function findOnPath(command: string): string | undefined {
  for (const dir of ["/usr/sbin", "/sbin", ...(process.env.PATH ?? "").split(delimiter)]) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Fails (never skips) unless root, cron and util-linux's unshare and mount are there. */
export function requireCronTools(): { cron: string; unshare: string; setpriv: string } {
  assert.equal(process.getuid?.(), 0, "the cron daemon test needs root (private mount namespace, cron's setuid)");
  const cron = findOnPath("cron");
  assert.ok(cron, "cron not found: install Debian package cron (apt-get install cron)");
  const unshare = findOnPath("unshare");
  assert.ok(unshare, "unshare not found: install Debian package util-linux");
  const setpriv = findOnPath("setpriv");
  assert.ok(setpriv, "setpriv not found: install Debian package util-linux");
  assert.ok(findOnPath("mount"), "mount not found: install Debian package mount");
  return { cron, unshare, setpriv };
}

/** The mount-namespace setup, then cron in the foreground, logging everything (-L 15). */
function namespaceScript(work: string, cronDir: string, cron: string): string {
  const dev = join(work, "dev");
  return [
    "set -eu",
    // A private /dev: the usual character devices, bound from the real ones, plus `log`.
    ...["null", "zero", "full", "random", "urandom", "tty"].map(
      (n) => `touch '${dev}/${n}' && mount --bind '/dev/${n}' '${dev}/${n}'`,
    ),
    `ln -sfn /proc/self/fd '${dev}/fd'`,
    `touch '${dev}/log' && mount --bind '${work}/syslog.sock' '${dev}/log'`,
    `mount --rbind '${dev}' /dev`,
    `mount --bind '${cronDir}' /etc/cron.d`,
    `touch '${work}/crontab' && mount --bind '${work}/crontab' /etc/crontab`,
    "mount -t tmpfs tmpfs /var/spool/cron/crontabs",
    "mount -t tmpfs tmpfs /run",
    `exec '${cron}' -f -L 15`,
  ].join("\n");
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
}

/**
 * Starts cron on `cronDir` (files as they would be in /etc/cron.d). `work` is an empty
 * scratch directory. glibc's syslog() falls back to a stream socket when /dev/log is one,
 * with messages terminated by NUL: node's net server can read that.
 */
export async function startCron(work: string, cronDir: string): Promise<CronRun> {
  const { cron, unshare, setpriv } = requireCronTools();
  mkdirSync(join(work, "dev"), { recursive: true });
  const log: string[] = [];
  let pending = "";
  const server = createServer((socket) => {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      pending += chunk;
      const parts = pending.split(/\0|\n/);
      pending = parts.pop() ?? "";
      for (const part of parts) if (part !== "") log.push(part.replace(/^<\d+>/, ""));
    });
  });
  await listen(server, join(work, "syslog.sock"));
  writeFileSync(join(work, "ns.sh"), namespaceScript(work, cronDir, cron));

  let stderr = "";
  // No cron may outlive the test, even if the test process is killed: setpriv makes the
  // kernel SIGKILL unshare when this process dies, and --kill-child passes that on to cron.
  const child: ChildProcess = spawn(
    setpriv,
    ["--pdeathsig", "KILL", unshare, "--mount", "--propagation", "private", "--fork", "--kill-child", "sh", join(work, "ns.sh")],
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (s: string) => {
    stderr += s;
  });
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      hasExited = true;
      resolve();
    }),
  );

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { log, stderr: () => stderr, exited: () => hasExited, stop };
}

/** Resolves when `done()` is true, polling; rejects after `timeoutMs` with `describe()`. */
export async function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
