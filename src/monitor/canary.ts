/**
 * What the canaries say (issue 18, item 4; docs/monitor.md "The canary"): a host whose cron
 * stopped, a cron.d file that cron on some host does not run, and hosts running another build of
 * a package than its manifest. Pure: the hosts' summaries (src/switchman/canary.ts, the one
 * format) come in, findings go out.
 */
import type { HostCanary } from "../switchman/canary.js";
import type { Severity } from "./classify.js";

/** A host's summary older than this: its cron stopped. A file's canary this much older than its host's summary: cron does not run the file. */
export const CANARY_STALE_S = 90;

export const CANARY_CLASSES = ["cron stopped", "no canary", "file not run", "other build"] as const;
export type CanaryClass = (typeof CANARY_CLASSES)[number];

/** One problem the canaries show. */
export interface CanaryFinding {
  host: string;
  /** The package whose cron.d file it is about; none for the host as a whole. */
  package?: string;
  class: CanaryClass;
  severity: Severity;
  detail: string;
}

/** A host as the canaries see it. */
export interface CanaryHost {
  host: string;
  /** ms of its last summary; undefined: none. */
  last?: number;
  alive: boolean;
}

/** A package whose cron.d file has the canary line. */
export interface CanaryPackage {
  package: string;
  build: string;
  cronFile: string;
  /** The groups of its jobs. */
  groups: readonly string[];
}

export interface CanaryView {
  hosts: CanaryHost[];
  findings: CanaryFinding[];
  /** Hosts whose cron stopped: not eligible to run anything. */
  stopped: Set<string>;
}

const seconds = (ms: number): string => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/**
 * The findings for `packages` from the hosts' `summaries` at `now`. The hosts looked at are the
 * hosts of the packages' groups and every host whose summary names one of the packages (`only`:
 * just that one, in local mode).
 */
export function canaryView(input: {
  packages: readonly CanaryPackage[];
  summaries: readonly HostCanary[];
  groupHosts: (group: string) => readonly string[] | undefined;
  now: number;
  staleS?: number;
  only?: string;
}): CanaryView {
  const staleMs = (input.staleS ?? CANARY_STALE_S) * 1000;
  const view: CanaryView = { hosts: [], findings: [], stopped: new Set() };
  if (input.packages.length === 0) return view;
  const names = new Set(input.packages.map((p) => p.package));
  const byHost = new Map(input.summaries.map((s) => [s.host, s]));
  const inGroups = new Map<string, Set<string>>(); // host → packages whose groups it is in
  for (const pkg of input.packages) {
    for (const group of pkg.groups) {
      for (const host of input.groupHosts(group) ?? []) {
        if (!inGroups.has(host)) inGroups.set(host, new Set());
        inGroups.get(host)?.add(pkg.package);
      }
    }
  }
  const relevant = new Set<string>(inGroups.keys());
  for (const s of input.summaries) {
    if ([...Object.keys(s.files), ...Object.keys(s.installed ?? {})].some((p) => names.has(p))) relevant.add(s.host);
  }
  const hosts = input.only === undefined ? [...relevant].sort() : [input.only];
  for (const host of hosts) {
    const summary = byHost.get(host);
    if (summary === undefined) {
      view.hosts.push({ host, alive: false });
      view.findings.push({ host, class: "no canary", severity: "warning", detail: `no canary from ${host}: its cron has not run a cronmeta cron.d file (or switchman's state_dir is off there)` });
      continue;
    }
    const last = Date.parse(summary.at);
    const age = input.now - last;
    if (age > staleMs) {
      view.hosts.push({ host, last, alive: false });
      view.stopped.add(host);
      view.findings.push({ host, class: "cron stopped", severity: "critical", detail: `${host}: cron stopped (last canary ${seconds(age)} ago, ${summary.at})` });
      continue;
    }
    view.hosts.push({ host, last, alive: true });
    for (const pkg of input.packages) {
      const entry = summary.files[pkg.package];
      const installed = summary.installed?.[pkg.package];
      const expected = summary.installed === undefined ? entry !== undefined || inGroups.get(host)?.has(pkg.package) === true || input.only !== undefined : installed !== undefined;
      if (!expected) continue;
      const lag = entry === undefined ? undefined : last - Date.parse(entry.at);
      if (entry === undefined || (lag ?? 0) > staleMs) {
        const when = entry === undefined ? "never" : `last ${seconds(input.now - Date.parse(entry.at))} ago`;
        view.findings.push({ host, package: pkg.package, class: "file not run", severity: "critical", detail: `cron on ${host} does not run ${pkg.cronFile} (its canary: ${when}): a bad name, mode or syntax error makes cron ignore it` });
        continue;
      }
      const running = entry.build;
      if (running !== pkg.build) {
        view.findings.push({ host, package: pkg.package, class: "other build", severity: "warning", detail: `${host} runs ${pkg.cronFile} at build ${running}, the manifest's is ${pkg.build}` });
      } else if (installed !== undefined && installed.build !== pkg.build) {
        view.findings.push({ host, package: pkg.package, class: "other build", severity: "warning", detail: `${host} has the manifest of build ${installed.build} installed, this one is ${pkg.build}` });
      }
    }
  }
  return view;
}
