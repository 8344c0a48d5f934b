/**
 * The report's measured side (issue 18, item 5): per job, from switchman's journals (the FINISH
 * lines of `journal.jsonl`, src/switchman/records/record.ts journalLine), how many runs, the
 * p50/p95/longest wall time, the peak memory, and the runs that were still going at the job's
 * next slot (Debian cron's own next run after the run's start: the next start finds the lock
 * held and is skipped). Pure: journal text in, figures out (records-read.ts reads the files).
 *
 * Why the journals and not ZooKeeper: the fleet record holds only the last run of a job, and a
 * percentile needs the history. Journals of several hosts may be given together.
 */
import { nextRuns } from "../cron/next.js";
import type { Job } from "../types.js";
import type { JobRef } from "./report.js";

/** One finished run, as a journal tells it. */
export interface FinishedRun {
  lockname: string;
  package?: string;
  host: string;
  /** ms */
  start: number;
  /** ms */
  end: number;
  outcome: string;
  maxrssKib: number | null;
}

/** The figures of one job. */
export interface MeasuredJob extends JobRef {
  runs: number;
  /** Runs whose outcome was not success. */
  failures: number;
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
  /** Peak resident memory over its runs, KiB; null when no run was sampled. */
  peakRssKib: number | null;
  /** Runs still going at the job's next slot. */
  overlaps: number;
  /** The largest overrun past the next slot, seconds (0 without overlaps). */
  worstOverrunSeconds: number;
}

export interface Measured {
  /** The journal files read. */
  sources: string[];
  /** Finished runs found, and those that match no job of the project. */
  runs: number;
  unmatched: number;
  /** First and last finish, ISO 8601. */
  from: string | null;
  to: string | null;
  /** Jobs with at least one run, in the report's job order. */
  jobs: MeasuredJob[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The FINISH lines of a journal's text; lines that do not parse (a write cut short) are skipped. */
export function finishedRuns(text: string): FinishedRun[] {
  const runs: FinishedRun[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(data) || data.event !== "finish" || typeof data.v !== "number" || data.v < 1) continue;
    const end = typeof data.at === "string" ? Date.parse(data.at) : NaN;
    const wall = data.wall_s;
    if (typeof data.lockname !== "string" || typeof data.host !== "string" || !Number.isFinite(end) || typeof wall !== "number" || !(wall >= 0)) continue;
    const run: FinishedRun = {
      lockname: data.lockname,
      host: data.host,
      start: end - Math.round(wall * 1000),
      end,
      outcome: typeof data.outcome === "string" ? data.outcome : "unknown",
      maxrssKib: typeof data.maxrss_kib === "number" && Number.isFinite(data.maxrss_kib) ? data.maxrss_kib : null,
    };
    if (typeof data.package === "string") run.package = data.package;
    runs.push(run);
  }
  return runs;
}

/** The nearest-rank percentile `p` (0-100) of ascending `sorted`. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;

/**
 * The figures of `jobs` from `runs`, in `zone` (the zone cron's clock is in: the report's). A
 * run belongs to the job of its package and lock name (or its lock name alone when the line
 * names no package).
 */
export function measure(jobs: readonly Job[], refs: readonly JobRef[], runs: readonly FinishedRun[], zone: string, sources: string[]): Measured {
  const byKey = new Map<string, number>();
  const byLockname = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    byKey.set(`${job.package}/${job.lockname}`, i);
    byLockname.set(job.lockname, [...(byLockname.get(job.lockname) ?? []), i]);
  });
  const perJob = new Map<number, FinishedRun[]>();
  let unmatched = 0;
  for (const run of runs) {
    const candidates = byLockname.get(run.lockname) ?? [];
    const index = run.package === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : byKey.get(`${run.package}/${run.lockname}`);
    if (index === undefined) {
      unmatched++;
      continue;
    }
    perJob.set(index, [...(perJob.get(index) ?? []), run]);
  }
  const measured: MeasuredJob[] = [];
  jobs.forEach((job, i) => {
    const own = perJob.get(i);
    const ref = refs[i];
    if (own === undefined || ref === undefined) return;
    const walls = own.map((r) => (r.end - r.start) / 1000).sort((a, b) => a - b);
    const rss = own.map((r) => r.maxrssKib).filter((v): v is number => v !== null);
    let overlaps = 0;
    let worst = 0;
    for (const run of own) {
      // The next slot strictly after the run's start (the one its own slot is not).
      const [next] = nextRuns(job.time, new Date(run.start), 1, zone);
      if (next !== undefined && run.end > next.getTime()) {
        overlaps++;
        worst = Math.max(worst, (run.end - next.getTime()) / 1000);
      }
    }
    measured.push({
      ...ref,
      runs: own.length,
      failures: own.filter((r) => r.outcome !== "success").length,
      p50Seconds: round(percentile(walls, 50)),
      p95Seconds: round(percentile(walls, 95)),
      maxSeconds: round(walls[walls.length - 1] ?? 0),
      peakRssKib: rss.length === 0 ? null : rss.reduce((a, b) => Math.max(a, b)),
      overlaps,
      worstOverrunSeconds: round(worst),
    });
  });
  let first = Infinity;
  let last = -Infinity;
  for (const run of runs) {
    first = Math.min(first, run.end);
    last = Math.max(last, run.end);
  }
  return {
    sources,
    runs: runs.length,
    unmatched,
    from: runs.length === 0 ? null : new Date(first).toISOString(),
    to: runs.length === 0 ? null : new Date(last).toISOString(),
    jobs: measured,
  };
}

/** p95 run time in minutes by `package/lockname`, for the report's day timeline. */
export function durationsOf(measured: Measured): Map<string, number> {
  return new Map(measured.jobs.map((j) => [`${j.package}/${j.lockname}`, Math.max(1, Math.ceil(j.p95Seconds / 60))]));
}
