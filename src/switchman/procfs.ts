/**
 * What switchman reads from Linux's /proc (proc(5)): CPU time of reaped children, peak memory
 * of a running process, and the live members of a process group. Every reader tolerates a
 * process that vanishes mid-read.
 */
import { readFileSync, readdirSync } from "node:fs";

/** proc(5): times in /proc/<pid>/stat are in clock ticks, USER_HZ, which is 100 on Linux. */
const CLOCK_TICKS_PER_S = 100;

/** The fields of /proc/<pid>/stat after `comm`, which may itself hold blanks and parentheses. */
function statFields(pid: number | "self"): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * User and system CPU seconds of all children this process has reaped so far (`cutime` and
 * `cstime`, fields 16 and 17 of /proc/self/stat: getrusage(RUSAGE_CHILDREN) without the native
 * call). A reaped child's figures include the descendants it waited for itself.
 */
export function reapedChildrenCpu(): { userS: number; systemS: number } {
  const fields = statFields("self");
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  const user = Number(fields?.[13] ?? 0);
  const system = Number(fields?.[14] ?? 0);
  return { userS: user / CLOCK_TICKS_PER_S, systemS: system / CLOCK_TICKS_PER_S };
}

/** Peak resident set size (VmHWM, KiB) of a live process; undefined once it has exited. */
export function peakRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * Pids of the live (not zombie) processes in process group `pgid`. Zombies are skipped: in a
 * container whose init does not reap orphans, a dead grandchild stays a zombie for ever and
 * kill(-pgid, 0) would keep saying the group exists.
 */
export function liveGroupMembers(pgid: number): number[] {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return [];
  }
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    // fields[0] = state (3), fields[2] = pgrp (5).
    if (fields !== undefined && fields[2] === String(pgid) && fields[0] !== "Z" && fields[0] !== "X") members.push(Number(entry));
  }
  return members;
}
