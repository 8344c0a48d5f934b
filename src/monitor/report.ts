/**
 * One monitor run as data: every job of the manifests (after the filters) classified against its
 * records, and the formats ops tools read: a table, JSON (versioned), Prometheus text and a
 * Nagios/Icinga plugin line (docs/monitor.md). Pure once the facts are read.
 */
import { machineZone } from "../cron/zone.js";
import type { ManifestJob } from "../generate/manifest.js";
import { classify, SLOT_CLASSES, type JobResult, type Severity } from "./classify.js";
import { canaryView, type CanaryPackage, type CanaryView } from "./canary.js";
import { MonitorInputError, type LoadedManifest } from "./manifests.js";
import { observationsOfFleetRecord } from "./observe.js";
import type { FleetFacts } from "./records.js";

/** Version of the JSON output. */
export const MONITOR_JSON_VERSION = 1;

export interface Filters {
  jobs?: string[];
  packages?: string[];
  groups?: string[];
}

export interface JobReport {
  package: string;
  build: string;
  lockname: string;
  group: string;
  time: string;
  zone: string;
  result: JobResult;
}

export interface MonitorReport {
  now: number;
  mode: FleetFacts["mode"];
  jobs: JobReport[];
  /** What the canaries say of the selected packages' cron.d files (none when no file has one). */
  canary: CanaryView;
  severity: Severity;
}

/** The selected packages whose cron.d files have the canary line, with their jobs' groups. */
export function canaryPackages(selected: ReturnType<typeof selectJobs>): CanaryPackage[] {
  const byPackage = new Map<string, CanaryPackage & { groups: string[] }>();
  for (const { m, job } of selected) {
    if (m.manifest.canary !== true) continue;
    const known = byPackage.get(m.manifest.package) ?? { package: m.manifest.package, build: m.manifest.build, cronFile: m.manifest.cronFile, groups: [] };
    if (!known.groups.includes(job.group)) known.groups.push(job.group);
    byPackage.set(m.manifest.package, known);
  }
  return [...byPackage.values()].sort((a, b) => (a.package < b.package ? -1 : 1));
}

/** The manifests' jobs that pass the filters; a filter naming nothing known is bad input. */
export function selectJobs(manifests: readonly LoadedManifest[], filters: Filters): Array<{ m: LoadedManifest; job: ManifestJob; index: number }> {
  const all = manifests.flatMap((m) => m.manifest.jobs.map((job, index) => ({ m, job, index })));
  const check = (values: string[] | undefined, known: Set<string>, what: string): void => {
    for (const value of values ?? []) if (!known.has(value)) throw new MonitorInputError(`no ${what} "${value}" in the manifests (known: ${[...known].sort().join(", ") || "none"})`);
  };
  check(filters.jobs, new Set(all.map((e) => e.job.lockname)), "job");
  check(filters.packages, new Set(all.map((e) => e.m.manifest.package)), "package");
  check(filters.groups, new Set(all.map((e) => e.job.group)), "group");
  return all.filter(
    (e) =>
      (filters.jobs === undefined || filters.jobs.includes(e.job.lockname)) &&
      (filters.packages === undefined || filters.packages.includes(e.m.manifest.package)) &&
      (filters.groups === undefined || filters.groups.includes(e.job.group)),
  );
}

const RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2 };

/** Classifies every selected job at `now`, over the slots of the last `windowMs`. */
export function buildReport(selected: ReturnType<typeof selectJobs>, facts: FleetFacts, now: number, windowMs: number): MonitorReport {
  const jobs: JobReport[] = [];
  let severity: Severity = "ok";
  const canary = canaryView({
    packages: canaryPackages(selected),
    summaries: facts.canaries,
    groupHosts: (g) => facts.groupHosts(g),
    now,
    ...(facts.thisHost === undefined ? {} : { only: facts.thisHost }),
  });
  for (const finding of canary.findings) if (RANK[finding.severity] > RANK[severity]) severity = finding.severity;
  for (const { m, job, index } of selected) {
    const zone = m.manifest.timezone ?? machineZone();
    const time = m.times[index];
    if (time === undefined) continue;
    const record = facts.records.get(job.lockname) ?? null;
    const view = observationsOfFleetRecord(record);
    const classifyJob = { time, zone, lock: job.lock, grace_s: job.grace_s, alert_after: job.alert_after, ...(job.timeout_s === undefined ? {} : { timeout_s: job.timeout_s }), ...(job.wait_s === undefined ? {} : { wait_s: job.wait_s }) };
    // A host whose cron stopped (its canary says so) runs nothing: it is not eligible.
    const members = facts.groupHosts(job.group);
    const eligible = members === undefined ? facts.groupSize(job.group) : members.filter((h) => !canary.stopped.has(h)).length;
    const result = classify({ job: classifyJob, ...view, since: m.installed, from: now - windowMs, now, eligibleHosts: eligible ?? 0 });
    if (RANK[result.severity] > RANK[severity]) severity = result.severity;
    jobs.push({ package: m.manifest.package, build: m.manifest.build, lockname: job.lockname, group: job.group, time: job.time, zone, result });
  }
  return { now, mode: facts.mode, jobs, canary, severity };
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The versioned JSON. */
export function formatJson(report: MonitorReport): string {
  return `${JSON.stringify(
    {
      version: MONITOR_JSON_VERSION,
      now: iso(report.now),
      records: report.mode,
      status: report.severity,
      jobs: report.jobs.map((j) => ({
        package: j.package,
        build: j.build,
        lockname: j.lockname,
        group: j.group,
        time: j.time,
        zone: j.zone,
        class: j.result.class,
        severity: j.result.severity,
        detail: j.result.detail,
        consecutive_failures: j.result.consecutiveFailures,
        last_start: iso(j.result.lastStart?.start),
        last_host: j.result.lastStart?.host ?? null,
        next: iso(j.result.next),
        slots: Object.fromEntries(SLOT_CLASSES.filter((c) => j.result.counts[c] !== undefined).map((c) => [c, j.result.counts[c]])),
      })),
      canary: {
        hosts: report.canary.hosts.map((h) => ({ host: h.host, last: iso(h.last), alive: h.alive })),
        findings: report.canary.findings.map((f) => ({ host: f.host, package: f.package ?? null, class: f.class, severity: f.severity, detail: f.detail })),
      },
    },
    null,
    2,
  )}\n`;
}

/** The human table. */
export function formatTable(report: MonitorReport): string {
  const rows = [["PACKAGE", "JOB", "GROUP", "STATUS", "LAST START", "NEXT", "DETAIL"]];
  for (const j of report.jobs) {
    rows.push([j.package, j.lockname, j.group, j.result.class, iso(j.result.lastStart?.start)?.slice(0, 19) ?? "-", iso(j.result.next)?.slice(0, 16) ?? "-", j.result.detail]);
  }
  let out = columns(rows);
  if (report.canary.findings.length > 0) {
    out += `\n${columns([["HOST", "PACKAGE", "STATUS", "DETAIL"], ...report.canary.findings.map((f) => [f.host, f.package ?? "-", f.class, f.detail])])}`;
  }
  return out;
}

function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join("  ")).join("\n") + "\n";
}

const label = (value: string): string => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus text format: one status gauge per job and class, failures, last start. */
export function formatPrometheus(report: MonitorReport): string {
  const out: string[] = [
    "# HELP cronmeta_monitor_job_status 1 for the class the job is in now (cronmeta monitor).",
    "# TYPE cronmeta_monitor_job_status gauge",
  ];
  const id = (j: JobReport): string => `package="${label(j.package)}",lockname="${label(j.lockname)}",group="${label(j.group)}"`;
  for (const j of report.jobs) out.push(`cronmeta_monitor_job_status{${id(j)},class="${label(j.result.class)}",severity="${j.result.severity}"} 1`);
  out.push("# HELP cronmeta_monitor_job_consecutive_failures Runs that failed since the last success.", "# TYPE cronmeta_monitor_job_consecutive_failures gauge");
  for (const j of report.jobs) out.push(`cronmeta_monitor_job_consecutive_failures{${id(j)}} ${j.result.consecutiveFailures}`);
  out.push("# HELP cronmeta_monitor_job_last_start_timestamp_seconds When the job last started, any host.", "# TYPE cronmeta_monitor_job_last_start_timestamp_seconds gauge");
  for (const j of report.jobs) if (j.result.lastStart !== undefined) out.push(`cronmeta_monitor_job_last_start_timestamp_seconds{${id(j)}} ${j.result.lastStart.start / 1000}`);
  out.push("# HELP cronmeta_monitor_host_canary_timestamp_seconds When the host's canary last wrote (its cron is alive).", "# TYPE cronmeta_monitor_host_canary_timestamp_seconds gauge");
  for (const h of report.canary.hosts) if (h.last !== undefined) out.push(`cronmeta_monitor_host_canary_timestamp_seconds{host="${label(h.host)}"} ${h.last / 1000}`);
  out.push("# HELP cronmeta_monitor_canary_problem 1 for each problem the canaries show (cron stopped, file not run, other build, no canary).", "# TYPE cronmeta_monitor_canary_problem gauge");
  for (const f of report.canary.findings) {
    out.push(`cronmeta_monitor_canary_problem{host="${label(f.host)}",package="${label(f.package ?? "")}",class="${f.class}",severity="${f.severity}"} 1`);
  }
  out.push("# HELP cronmeta_monitor_up 1 when the records could be read.", "# TYPE cronmeta_monitor_up gauge", "cronmeta_monitor_up 1");
  return `${out.join("\n")}\n`;
}

/** Nagios plugin exit codes. */
export const NAGIOS = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

/** One status line with perfdata (Nagios plugin guidelines) and its exit code. */
export function formatNagios(report: MonitorReport): { text: string; code: number } {
  const rank = (s: Severity): number => RANK[s];
  // The worst first: a host whose cron stopped, then the jobs, each as "<what> <class>".
  const bad = [
    ...report.canary.findings.map((f) => ({ severity: f.severity, text: `${f.host}${f.package === undefined ? "" : ` ${f.package}`} ${f.class}` })),
    ...report.jobs.filter((j) => j.result.severity !== "ok").map((j) => ({ severity: j.result.severity, text: `${j.lockname} ${j.result.class}` })),
  ].sort((a, b) => rank(b.severity) - rank(a.severity));
  const word = report.severity.toUpperCase();
  const counts = { ok: 0, warning: 0, critical: 0 };
  for (const j of report.jobs) counts[j.result.severity]++;
  const summary =
    bad.length === 0
      ? `${report.jobs.length} jobs ok`
      : bad
          .slice(0, 5)
          .map((b) => b.text)
          .join(", ") + (bad.length > 5 ? ` and ${bad.length - 5} more` : "");
  const failures = Math.max(0, ...report.jobs.map((j) => j.result.consecutiveFailures));
  const alive = report.canary.hosts.filter((h) => h.alive).length;
  const hostPerf = report.canary.hosts.length === 0 ? "" : ` hosts=${report.canary.hosts.length};;;0 hosts_alive=${alive};;;0 canary_problems=${report.canary.findings.length};;;0`;
  const perf = `jobs=${report.jobs.length};;;0 ok=${counts.ok};;;0 warning=${counts.warning};;;0 critical=${counts.critical};;;0 max_consecutive_failures=${failures};;;0${hostPerf}`;
  return { text: `CRONMETA ${word} - ${summary} | ${perf}\n`, code: NAGIOS[report.severity] };
}
