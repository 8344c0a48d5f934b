/**
 * Debian cron's rules for clock changes (daylight saving time), as data.
 *
 * Source: Debian's cron 3.0pl1-162 with its patches applied (apt-get source cron): cron.c main
 * loop (debian/patches/features/Better-timeskip-handling.patch) and find_jobs(), entry.c
 * load_entry(); and cron(8): "Only jobs that run at a particular time (not specified as
 * @hourly, nor with '*' in the hour or minute specifier) are affected. Jobs which are specified
 * with wildcards are run based on the new time immediately." test/cron/next-debian-cron.test.ts
 * runs the real daemon under a fake clock to check it.
 */
import type { CronTime } from "../types.js";

/**
 * True for a "wildcard" job in Debian cron's sense: entry.c sets MIN_STAR / HR_STAR when the
 * minute / hour field's *first character* is `*` (so `*\/5` counts, `0-59` does not), and
 * `@hourly` sets HR_STAR; the other `@` keywords set neither. find_jobs() tests
 * `e->flags & (MIN_STAR|HR_STAR)` to tell wildcard jobs from fixed-time ones.
 */
export function isWildcardJob(time: CronTime): boolean {
  if (time.keyword !== undefined) return time.keyword === "@hourly";
  const [minute = "", hour = ""] = time.text.trim().split(/\s+/);
  return minute.startsWith("*") || hour.startsWith("*");
}

/**
 * How cron reacts when the local wall clock moved by `timeDiff` minutes since its last
 * minute (cron.c: `timeDiff = timeRunning - virtualTime`, then `wakeupKind`):
 * - `normal`   (1): the usual tick.
 * - `catchUp`  (2..5): woke up late; every job runs for each missed minute.
 * - `forward`  (6..180, e.g. DST begins): wildcard jobs run for the current minute only;
 *   fixed-time jobs run once for each skipped minute, right after the change.
 * - `backward` (-179..0, e.g. DST ends): only wildcard jobs run until the wall clock is past
 *   the minutes already handled; fixed-time jobs are not run twice.
 * - `jump`     (more than 3 hours either way): a clock correction; the skipped minutes are lost
 *   and everything runs on the new time.
 */
export type WakeupKind = "normal" | "catchUp" | "forward" | "backward" | "jump";

/** cron.c: `3*MINUTE_COUNT`, the largest change treated as DST rather than a clock correction. */
const DST_LIMIT = 180;

/** Classifies a wall-clock step of `timeDiff` minutes the way cron.c's main loop does. */
export function wakeupKind(timeDiff: number): WakeupKind {
  if (timeDiff === 1) return "normal";
  if (timeDiff > DST_LIMIT || timeDiff <= -DST_LIMIT) return "jump";
  if (timeDiff > 5) return "forward";
  if (timeDiff > 0) return "catchUp";
  return "backward";
}
