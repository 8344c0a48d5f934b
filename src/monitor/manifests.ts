/**
 * Reading the manifests `cronmeta gen` wrote (src/generate/manifest.ts) on a host with no source
 * tree: files, directories, or the installed default. Anything that is not a manifest of this
 * version is a {@link MonitorInputError} with a one-line reason: the monitor never guesses.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { isValidZone } from "../cron/zone.js";
import { parseCronTime } from "../cron/parse.js";
import { INSTALLED_MANIFEST_DIR, MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ManifestJob } from "../generate/manifest.js";
import type { CronTime } from "../types.js";

/** Bad input: a manifest, a record or a filter the monitor cannot use (the plugin's UNKNOWN). */
export class MonitorInputError extends Error {
  override readonly name = "MonitorInputError";
}

/** A manifest as read: its jobs' times parsed, and when it was installed (its mtime). */
export interface LoadedManifest {
  path: string;
  manifest: Manifest;
  /** ms: slots before this are not expected. */
  installed: number;
  times: CronTime[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkJob(path: string, job: unknown, n: number): { job: ManifestJob; time: CronTime } {
  const where = `${path}: jobs[${n}]`;
  if (!isObject(job)) throw new MonitorInputError(`${where} is not an object`);
  for (const key of ["lockname", "group", "user", "time", "script"]) {
    if (typeof job[key] !== "string") throw new MonitorInputError(`${where}.${key} is missing or not a string`);
  }
  for (const key of ["grace_s", "alert_after"]) {
    if (!Number.isInteger(job[key]) || (job[key] as number) < 0) throw new MonitorInputError(`${where}.${key} is missing or not a whole number`);
  }
  if (job.timeout_s !== undefined && !Number.isInteger(job.timeout_s)) throw new MonitorInputError(`${where}.timeout_s is not a whole number`);
  if (job.wait_s !== undefined && (!Number.isInteger(job.wait_s) || (job.wait_s as number) < 0)) throw new MonitorInputError(`${where}.wait_s is not a whole number`);
  if (typeof job.lock !== "boolean") throw new MonitorInputError(`${where}.lock is missing or not true/false`);
  const parsed = parseCronTime(job.time as string);
  if (parsed.time === undefined) throw new MonitorInputError(`${where}.time "${String(job.time)}" is not a valid cron time`);
  return { job: job as unknown as ManifestJob, time: parsed.time };
}

/** One manifest file; MonitorInputError when it is missing, unreadable, not JSON or of another version. */
export async function readManifest(path: string): Promise<LoadedManifest> {
  let text: string;
  let installed: number;
  try {
    text = await readFile(path, "utf8");
    installed = (await stat(path)).mtimeMs;
  } catch (error) {
    throw new MonitorInputError(`cannot read manifest ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new MonitorInputError(`${path} is not JSON, so not a cronmeta manifest`);
  }
  if (!isObject(data) || data.format !== MANIFEST_FORMAT) throw new MonitorInputError(`${path} is not a cronmeta manifest (no "format": "${MANIFEST_FORMAT}")`);
  if (data.version !== MANIFEST_VERSION) {
    throw new MonitorInputError(`${path} is manifest version ${JSON.stringify(data.version)}; this cronmeta reads version ${MANIFEST_VERSION} (install the matching cronmeta)`);
  }
  if (typeof data.package !== "string" || typeof data.build !== "string" || !Array.isArray(data.jobs)) {
    throw new MonitorInputError(`${path}: package, build or jobs is missing`);
  }
  if (data.timezone !== null && (typeof data.timezone !== "string" || !isValidZone(data.timezone))) {
    throw new MonitorInputError(`${path}: timezone ${JSON.stringify(data.timezone)} is not a time zone this system knows`);
  }
  if (data.canary !== undefined && typeof data.canary !== "boolean") throw new MonitorInputError(`${path}: canary is not true/false`);
  if (typeof data.cronFile !== "string") throw new MonitorInputError(`${path}: cronFile is missing`);
  const checked = data.jobs.map((job, n) => checkJob(path, job, n));
  const manifest = { ...(data as unknown as Manifest), jobs: checked.map((c) => c.job) };
  return { path, manifest, installed, times: checked.map((c) => c.time) };
}

/** The manifests of `paths` (files, or directories: their `*.json`); none given: the installed ones. */
export async function readManifests(paths: readonly string[]): Promise<LoadedManifest[]> {
  const given = paths.length > 0 ? paths : [INSTALLED_MANIFEST_DIR];
  const files: string[] = [];
  for (const path of given) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (error) {
      throw new MonitorInputError(`cannot read manifest ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((n) => n.endsWith(".json")).sort();
    if (names.length === 0) throw new MonitorInputError(`no manifest (*.json) in ${path}`);
    files.push(...names.map((n) => join(path, n)));
  }
  return Promise.all(files.map(readManifest));
}
