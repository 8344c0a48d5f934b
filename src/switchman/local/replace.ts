/**
 * `--concurrency replace` in local mode (issue 16): the new run asks the holder of the lock to
 * stop by sending its switchman SIGTERM (the pid is in the lock file, `"<fqdn> <pid>"`; the
 * lock directory is the job user's own, so the holder is a process of the same user), which
 * switchman forwards to CMD's group and ends as for any signal (SIGKILL after
 * termination_timeout, then the lock is released once the group is dead: the guard keeps a
 * copy). The new run blocks in flock(2) on the lock meanwhile, so it starts only once the old
 * CMD is dead; never two at once. Only a holder that is a switchman of this job started with
 * `--concurrency replace` (read from /proc/<pid>/cmdline) is signalled: a pid reused by another
 * process is never hit, and a holder with another policy is waited for, within `--wait`.
 *
 * Before the signal, the new run leaves `<lockdir>/<uid>/replace:<lockname>` with
 * `"<holder pid> <its own pid>"`: the holder, on a SIGTERM while such a request names it, stops
 * CMD as for a loss (`replaced`, exit 70, as in ZooKeeper mode) instead of ending with CMD's
 * signal status. The new run removes the request once it holds the lock or gives up, if the
 * request is still its own (a later asker's is left to that one).
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { lockPath, readReplaceRequest, replaceRequestPath, tryLock, type HeldLock, type LockWait } from "./flock.js";
import type { LogFunction } from "../log.js";

/** True when `argv` is switchman's, for the lock `name`, with `--concurrency replace`. */
export function isReplaceableHolder(argv: readonly string[], name: string): boolean {
  const end = argv.indexOf("--");
  const own = end < 0 ? argv : argv.slice(0, end);
  if (!own.some((a) => /switchman/.test(a))) return false; // node .../switchman/cli.js, /usr/bin/switchman
  const replace = own.some((a, i) => a === "--concurrency=replace" || (a === "--concurrency" && own[i + 1] === "replace"));
  const lockname = own.find((a, i) => own[i - 1] === "--lockname") ?? own.find((a) => a.startsWith("--lockname="))?.slice("--lockname=".length);
  const command = end < 0 ? undefined : argv[end + 1];
  return replace && (lockname ?? (command === undefined ? undefined : basename(command))) === name;
}

/** Asks the holder to stop (when it may be asked) and waits for the lock; undefined at the wait limit. */
export async function replaceLocalHolder(options: {
  lockdir: string;
  name: string;
  env: Record<string, string | undefined>;
  wait: LockWait;
  log: LogFunction;
}): Promise<HeldLock | undefined> {
  const path = lockPath(options.lockdir, options.name);
  let pid: number | undefined;
  try {
    pid = Number(readFileSync(path, "utf8").trim().split(" ").at(-1));
  } catch {
    pid = undefined;
  }
  if (pid !== undefined && Number.isSafeInteger(pid) && pid > 1 && pid !== process.pid) {
    let argv: string[] = [];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
    } catch {
      // gone: the lock is about to be free
    }
    if (isReplaceableHolder(argv, options.name)) {
      leaveRequest(options.lockdir, options.name, pid);
      try {
        process.kill(pid, "SIGTERM");
        options.log("info", `asked the holder of ${path} (switchman ${pid}) to stop (--concurrency replace); waiting for it to end`);
      } catch {
        // gone meanwhile
      }
    } else {
      options.log("info", `the holder of ${path} does not run with --concurrency replace: waiting for it to end`);
    }
  }
  try {
    return await tryLock(options.lockdir, options.name, options.env, options.wait);
  } finally {
    removeOwnRequest(options.lockdir, options.name);
  }
}

/** Writes the request atomically (a holder reading it never sees half of it); best effort: without it the holder ends as for any SIGTERM. */
function leaveRequest(lockdir: string, name: string, holderPid: number): void {
  const path = replaceRequestPath(lockdir, name);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${holderPid} ${process.pid}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
  }
}

/** Removes the request when it is still this run's. */
function removeOwnRequest(lockdir: string, name: string): void {
  const path = replaceRequestPath(lockdir, name);
  if (readReplaceRequest(path)?.asker !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // gone meanwhile
  }
}
