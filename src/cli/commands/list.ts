/** `cronmeta list`: every job, what cron will do, and (with --next N) when. */
import { isValidZone, machineZone } from "../../cron/zone.js";
import { UsageError } from "../../errors.js";
import { formatListJson, formatListTable } from "../../list/format.js";
import { listJobs } from "../../list/listing.js";
import { lintProject, type ProjectResult } from "../../project.js";
import { type Io, useColour } from "../io.js";
import type { ListOptions, ProjectOptions } from "../options.js";

/**
 * Environment variable that fixes "now" (an ISO 8601 timestamp) for `--next`, so that
 * tests and reproducible docs get the same output every time.
 */
export const NOW_ENV = "CRONMETA_NOW";

/** "Now", or CRONMETA_NOW when set. Throws UsageError for an unreadable value. */
export function nowFrom(io: Io): Date {
  const raw = io.env[NOW_ENV];
  if (raw === undefined || raw === "") return new Date();
  const now = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(now.getTime())) {
    throw new UsageError(`${NOW_ENV}="${raw}" is not an ISO 8601 timestamp (e.g. 2026-01-05T00:00:00Z)`);
  }
  return now;
}

/** `--tz`, checked (before the project is read, so that a usage error comes first). */
export function checkedZone(tz: string | undefined): string | undefined {
  if (tz !== undefined && !isValidZone(tz)) throw new UsageError(`--tz: unknown time zone "${tz}" (use an IANA name such as Europe/Berlin or UTC)`);
  return tz;
}

/**
 * The zone cron's wall clock is in: `--tz`, else config `timezone` (the zone gen and the monitor
 * manifests assume), else the machine's zone (the one cron runs in).
 */
export function zoneFor(tz: string | undefined, project: ProjectResult): string {
  return tz ?? project.config.timezone ?? machineZone();
}

/** Loads the project; on lint errors prints them in short form on stderr and returns undefined. */
export async function projectWithoutErrors(options: ProjectOptions, io: Io): Promise<ProjectResult | undefined> {
  const project = await lintProject({ root: options.root, configPath: options.configPath });
  if (project.errorCount === 0) return project;
  for (const d of project.diagnostics) io.stderr(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}\n`);
  io.stderr(`cronmeta: ${project.errorCount} error${project.errorCount === 1 ? "" : "s"}; run "cronmeta lint" for details\n`);
  return undefined;
}

/** `cronmeta list`: 0 listed, 1 the project has lint errors, 2 usage error (thrown). */
export async function runList(options: ListOptions, io: Io): Promise<number> {
  const tz = checkedZone(options.tz);
  const now = nowFrom(io);
  const project = await projectWithoutErrors(options, io);
  if (project === undefined) return 1;
  const zone = zoneFor(tz, project);
  if (options.package !== undefined && !project.packages.includes(options.package)) {
    throw new UsageError(`--package: "${options.package}" is not a Package: in debian/control (known: ${project.packages.join(", ") || "none"})`);
  }
  const rows = listJobs(project.jobs, { next: options.next, zone, now, package: options.package, group: options.group });
  io.stdout(options.format === "json" ? formatListJson(rows) : formatListTable(rows, { zone, next: options.next, colour: useColour(io) }));
  return 0;
}
