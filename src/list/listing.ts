/**
 * `cronmeta list` as data: every job with its schedule in plain English and, on request,
 * its next run times with Debian's semantics. Pure: jobs and a fixed "now" in, rows out.
 */
import { describeCronTime } from "../cron/describe.js";
import { nextRuns } from "../cron/next.js";
import { formatInZone } from "../cron/zone.js";
import { describeTimeSource } from "../spread/describe.js";
import type { Job, TimeSource } from "../types.js";

/** One job as `list` shows it (and as `list --format json` prints it). */
export interface ListedJob {
  package: string;
  /** Script path relative to the root. */
  file: string;
  /** Line of the job's `<crontab>` / `@crontab`. */
  line: number;
  /** The time cron gets (normalised): `*\/2 * * * *`, `@daily`; for a time written with H, its resolution. */
  time: string;
  /** Only for a time written with H forms: the H text, what chose the values, and the hash's own result. */
  timeSource?: TimeSource;
  /** What Debian's cron will do, in plain English (and, for H forms, what H chose). */
  description: string;
  user: string;
  group: string;
  lockname: string;
  /** False for `lock: no` (switchman `--no-lock`). */
  lock: boolean;
  /** The command part of the cron.d line (escaped for cron). */
  command: string;
  /** The whole cron.d line. */
  cronLine: string;
  /** The job's own `description:` from METADATA (the comment above its cron.d line). */
  comment?: string;
  /** With `--next N`: ISO 8601 times with their UTC offset in the chosen zone. */
  nextRuns?: string[];
}

/** What to list. */
export interface ListingOptions {
  /** Only jobs of this package. */
  package?: string;
  /** Only jobs of this switchman group. */
  group?: string;
  /** How many next runs per job; 0 = none. */
  next: number;
  /** IANA zone for next runs (validated by the caller). */
  zone: string;
  /** Next runs are strictly after this instant. */
  now: Date;
}

/** The rows of `cronmeta list`, in the jobs' order (package, file, position). */
export function listJobs(jobs: readonly Job[], options: ListingOptions): ListedJob[] {
  return jobs
    .filter((job) => options.package === undefined || job.package === options.package)
    .filter((job) => options.group === undefined || job.group === options.group)
    .map((job) => {
      const row: ListedJob = {
        package: job.package,
        file: job.file,
        line: job.line,
        time: job.time.text,
        ...(job.timeSource === undefined ? {} : { timeSource: job.timeSource }),
        description: describeJobTime(job),
        user: job.user,
        group: job.group,
        lockname: job.lockname,
        lock: job.lock,
        command: job.command,
        cronLine: job.cronLine,
      };
      if (job.description !== undefined) row.comment = job.description;
      if (options.next > 0) {
        row.nextRuns = nextRuns(job.time, options.now, options.next, options.zone).map((d) => formatInZone(d.getTime(), options.zone));
      }
      return row;
    });
}

/** describeCronTime, plus what H chose for a time written with H forms. */
export function describeJobTime(job: Job): string {
  const words = describeCronTime(job.time);
  if (job.timeSource === undefined) return words;
  return `${words} (${describeTimeSource(job.timeSource, job.time, job)})`;
}
