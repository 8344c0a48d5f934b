/**
 * The monitor manifest (issue 18, docs/monitor.md): per package, the jobs of its cron.d file as
 * JSON, so that a host with no source tree knows exactly what should run, when, where and under
 * which lock. Pure: rendered from the same jobs as the cron.d file, written by write.ts with the
 * same atomic, stale and marker rules.
 *
 * Deterministic: no time stamp, no host name; the build id is a hash of the package's cron.d
 * content, so a rebuild of the same input gives byte-identical files.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { Config } from "../config/schema.js";
import { compareJobs } from "../jobs/order.js";
import { parseDuration } from "../syntax/duration.js";
import type { Job, OutputMode } from "../types.js";
import { MARKER_PREFIX, markerLine } from "./marker.js";
import { normaliseDebianDir } from "./output-path.js";
import type { RenderedFile } from "./render.js";

/** Format version of the manifest: readers refuse any other. */
export const MANIFEST_VERSION = 1;

/** The `format` field of every manifest. */
export const MANIFEST_FORMAT = "cronmeta-manifest";

/** Where dh_cronmeta installs the manifests, and where `cronmeta monitor` reads them by default. */
export const INSTALLED_MANIFEST_DIR = "/usr/share/cronmeta/manifests";

/** One job of a manifest. */
export interface ManifestJob {
  /** The lock name (with `lock: no`, the name the run records use: still this one). */
  lockname: string;
  lock: boolean;
  group: string;
  user: string;
  /** The cron time as written on the line (H forms resolved). */
  time: string;
  /** The time as written in METADATA, when it had H forms. */
  timeSource?: string;
  script: string;
  params: string;
  /** `bin/foo.pl:14`: the script in the source tree and the line of its section. */
  source: string;
  description?: string;
  /** Seconds; absent: no time limit. */
  timeout_s?: number;
  /** METADATA `concurrency: replace` (issue 16): a new run stops the running one. Absent otherwise (`lock` tells forbid from allow). */
  concurrency?: "replace";
  /** METADATA `wait` in seconds (issue 16): how long a run may wait for its lock or leases, so start late. Absent: no wait. */
  wait_s?: number;
  grace_s: number;
  alert_after: number;
}

/** A package's manifest. */
export interface Manifest {
  $comment: string;
  format: typeof MANIFEST_FORMAT;
  version: number;
  package: string;
  /** 16 hex digits of the SHA-256 of the package's cron.d file without its canary line. */
  build: string;
  /** Where the cron.d file is installed. */
  cronFile: string;
  /** The zone cron's wall clock is in (config `timezone`); null: the host's own zone. */
  timezone: string | null;
  /** True when the job lines run switchman (and so leave run records). */
  switchman: boolean;
  /** True when the cron.d file has the canary line (config `canary`, with switchman); absent in older manifests: false. */
  canary?: boolean;
  jobs: ManifestJob[];
}

/** The build id of a cron.d file: the first 16 hex digits of the SHA-256 of its content (rendered without the canary line). */
export function buildId(cronContent: string): string {
  return createHash("sha256").update(cronContent, "utf8").digest("hex").slice(0, 16);
}

/**
 * Where a package's manifest goes: source `<debianDir>/<package>.cronmeta.json` (dh_cronmeta
 * installs it as {@link INSTALLED_MANIFEST_DIR}/<package>.json); tree
 * `<debianDir>/<package>/usr/share/cronmeta/manifests/<package>.json`; dir
 * `<name>.cronmeta.json` beside the cron.d file (cron ignores names with a dot).
 */
export function manifestPath(pkg: string, cronName: string, mode: OutputMode, debianDir: string): string {
  const dir = normaliseDebianDir(debianDir);
  switch (mode) {
    case "source":
      return posix.join(dir, `${pkg}.cronmeta.json`);
    case "tree":
      return posix.join(dir, pkg, INSTALLED_MANIFEST_DIR.slice(1), `${pkg}.json`);
    case "dir":
      return `${cronName}.cronmeta.json`;
  }
}

const COMMENT_TAIL = "Do not edit: regenerate it with cronmeta gen. Read by cronmeta monitor (docs/monitor.md).";
const MANIFEST_HEAD = `{\n  "$comment": "${MARKER_PREFIX} (package `;

/** True when `content` is a manifest cronmeta wrote (its first line and `$comment` say so). */
export function isGeneratedManifest(content: string): boolean {
  return content.startsWith(MANIFEST_HEAD);
}

/** The package a generated manifest names in its `$comment`. */
export function manifestPackage(content: string): string | undefined {
  if (!isGeneratedManifest(content)) return undefined;
  const rest = content.slice(MANIFEST_HEAD.length);
  const end = rest.indexOf(")");
  return end > 0 ? rest.slice(0, end) : undefined;
}

function manifestJob(job: Job, config: Config): ManifestJob {
  const entry: ManifestJob = {
    lockname: job.lockname,
    lock: job.lock,
    group: job.group,
    user: job.user,
    time: job.time.text,
    script: job.scriptPath,
    params: job.params,
    source: `${job.file}:${job.line}`,
    grace_s: parseDuration(job.grace ?? config.grace) ?? 300,
    alert_after: job.alertAfter ?? config.alertAfter,
  };
  if (job.timeSource !== undefined) entry.timeSource = job.timeSource.text;
  if (job.description !== undefined) entry.description = job.description;
  const timeout = job.timeout === undefined ? undefined : parseDuration(job.timeout);
  if (timeout !== undefined) entry.timeout_s = timeout;
  if (job.concurrency === "replace") entry.concurrency = "replace";
  const wait = job.wait === undefined ? undefined : parseDuration(job.wait);
  if (wait !== undefined) entry.wait_s = wait;
  // Fixed key order for byte-identical output.
  const ordered: Record<string, unknown> = {};
  for (const key of ["lockname", "lock", "group", "user", "time", "timeSource", "script", "params", "source", "description", "timeout_s", "concurrency", "wait_s", "grace_s", "alert_after"]) {
    const value = (entry as unknown as Record<string, unknown>)[key];
    if (value !== undefined) ordered[key] = value;
  }
  return ordered as unknown as ManifestJob;
}

/** The manifest of one rendered cron.d file. */
export function manifestOf(file: RenderedFile, jobs: readonly Job[], config: Config): Manifest {
  return {
    $comment: `${markerLine(file.package)} ${COMMENT_TAIL}`,
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    package: file.package,
    build: file.build ?? buildId(file.content),
    cronFile: `/etc/cron.d/${file.name}`,
    timezone: config.timezone ?? null,
    switchman: config.switchman !== false,
    canary: config.switchman !== false && config.canary,
    jobs: jobs.filter((j) => j.package === file.package).sort(compareJobs).map((j) => manifestJob(j, config)),
  };
}

/** One manifest per rendered cron.d file, as files to write (config `manifest: false`: none). */
export function renderManifests(cronFiles: readonly RenderedFile[], jobs: readonly Job[], config: Config, mode: OutputMode): RenderedFile[] {
  if (!config.manifest) return [];
  return cronFiles.map((file) => ({
    path: manifestPath(file.package, file.name, mode, config.debianDir),
    package: file.package,
    name: file.name,
    content: `${JSON.stringify(manifestOf(file, jobs, config), null, 2)}\n`,
  }));
}
