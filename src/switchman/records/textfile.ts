/**
 * A job's host record as a Prometheus text-format file (exposition format 0.0.4) for
 * node_exporter's textfile collector: one file per job and job user, rendered from the host
 * record alone, so every write is complete and consistent. Pure.
 *
 * Names follow Prometheus conventions: prefix `switchman_job_`, base units in the name
 * (`_seconds`, `_bytes`), counters end in `_total`, timestamps are `_timestamp_seconds`. A job is
 * identified by the labels `package`, `lockname` and `user` (never a pid): node_exporter adds
 * the host (`instance`) at scrape time. `user` keeps the series of two users' jobs with the same
 * lock name apart (local mode gives each its own lock), since two files with the same series
 * would break the whole collector. The group is in `switchman_job_info`.
 */
import { SKIP_REASONS, type HostRecord } from "./record.js";

/** What names the job, besides the record itself. */
export interface TextfileIdentity {
  /** `--package`; empty when the cron line names none. */
  package: string;
  /** The job user's name (or uid). */
  user: string;
}

/** Every metric switchman writes, with its type and help (the same in every file, as node_exporter requires). */
export const METRICS = {
  switchman_job_info: ["gauge", "Identity of a switchman job: package, lock name, job user and group (value 1)."],
  switchman_job_last_start_timestamp_seconds: ["gauge", "When the job last started on this host, Unix time."],
  switchman_job_last_finish_timestamp_seconds: ["gauge", "When the job last finished on this host, Unix time."],
  switchman_job_last_success_timestamp_seconds: ["gauge", "When the job last finished with exit code 0 on this host, Unix time."],
  switchman_job_last_exit_code: [
    "gauge",
    "Exit status switchman returned for the last run: the job's code, 128+N for signal N, 124 timeout, 70 lock or group lost.",
  ],
  switchman_job_last_duration_seconds: ["gauge", "Wall-clock duration of the last run."],
  switchman_job_last_cpu_seconds: ["gauge", "CPU time of the last run, by mode (user, system)."],
  switchman_job_last_peak_rss_bytes: ["gauge", "Peak resident memory of the last run's command."],
  switchman_job_consecutive_failures: ["gauge", "Runs since the last successful run on this host."],
  switchman_job_runs_total: ["counter", "Runs started on this host."],
  switchman_job_failures_total: ["counter", "Runs on this host that did not exit 0 (failed, killed, timed out, lost)."],
  switchman_job_skips_total: ["counter", "Starts on this host that did not run the job, by reason (not-in-group, lock-held, wait-timeout)."],
} as const;

type MetricName = keyof typeof METRICS;

/** A label value in the text format: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: [string, string][]): string {
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/** Unix seconds of an ISO timestamp, to the millisecond; undefined when it does not parse. */
function unixSeconds(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : (ms / 1000).toFixed(3);
}

/** The text of one job's textfile. Deterministic: the same record gives the same bytes. */
export function renderTextfile(record: HostRecord, identity: TextfileIdentity): string {
  const job: [string, string][] = [
    ["package", identity.package],
    ["lockname", record.lockname],
    ["user", identity.user],
  ];
  const samples = new Map<MetricName, string[]>();
  const add = (name: MetricName, value: string | number | undefined, extra: [string, string][] = []): void => {
    if (value === undefined) return;
    const lines = samples.get(name) ?? [];
    lines.push(`${name}${labels([...job, ...extra])} ${value}`);
    samples.set(name, lines);
  };
  add("switchman_job_info", 1, [["group", record.group ?? ""]]);
  add("switchman_job_last_start_timestamp_seconds", unixSeconds(record.start?.at));
  const finish = record.finish;
  if (finish !== undefined) {
    add("switchman_job_last_finish_timestamp_seconds", unixSeconds(finish.at));
    add("switchman_job_last_exit_code", finish.status);
    add("switchman_job_last_duration_seconds", finish.wall_s.toFixed(3));
    add("switchman_job_last_cpu_seconds", finish.user_s.toFixed(2), [["mode", "user"]]);
    add("switchman_job_last_cpu_seconds", finish.sys_s.toFixed(2), [["mode", "system"]]);
    add("switchman_job_last_peak_rss_bytes", finish.maxrss_kib === null ? undefined : finish.maxrss_kib * 1024);
  }
  add("switchman_job_last_success_timestamp_seconds", unixSeconds(record.last_success));
  add("switchman_job_consecutive_failures", record.consecutive_failures);
  add("switchman_job_runs_total", record.runs);
  add("switchman_job_failures_total", record.failures);
  for (const reason of SKIP_REASONS) add("switchman_job_skips_total", record.skips[reason], [["reason", reason]]);

  const out = [`# switchman run record of ${record.lockname.replace(/[\r\n]/g, " ")}; rewritten on every run, do not edit`];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const lines = samples.get(name);
    if (lines === undefined) continue;
    const [type, help] = METRICS[name];
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
  }
  return `${out.join("\n")}\n`;
}
