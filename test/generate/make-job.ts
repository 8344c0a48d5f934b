// Hand-made Job values for the renderer tests: what the jobs pipeline produces for a section,
// with the command built by the real buildCommand/escapeForCron (src/jobs/command.ts).
import { defaultConfig, type Config } from "../../src/config/schema.js";
import { buildCommand, escapeForCron } from "../../src/jobs/command.js";
import type { CronTime, Job } from "../../src/types.js";

/** A CronTime for `text`; the renderer only reads `text`. */
function time(text: string): CronTime {
  return {
    text,
    reboot: text === "@reboot",
    minutes: [],
    hours: [],
    daysOfMonth: [],
    months: [],
    daysOfWeek: [],
    domStar: true,
    dowStar: true,
  };
}

/** Fields a test may set; everything else gets the defaults of SPEC 2.3 and 4.3. */
export interface JobSpec {
  file: string;
  line?: number;
  index?: number;
  package: string;
  time?: string;
  user?: string;
  params?: string;
  lock?: boolean;
  lockname?: string;
  group?: string;
  description?: string;
  scriptPath?: string;
}

/** A Job as the pipeline would produce it with `config`. */
export function makeJob(spec: JobSpec, config: Config = defaultConfig()): Job {
  const base = spec.file.split("/").pop() ?? spec.file;
  const scriptPath = spec.scriptPath ?? `${config.installDir}/${base}`;
  const params = spec.params ?? "";
  const lockname = spec.lockname ?? (params === "" ? base : `${base}-${params.replace(/[^A-Za-z0-9._]+/g, "-").replace(/^-+|-+$/g, "")}`);
  const group = spec.group ?? spec.package;
  const lock = spec.lock ?? true;
  const command = escapeForCron(buildCommand({ scriptPath, params, group, lockname, lock }, config));
  const user = spec.user ?? config.user;
  const t = time(spec.time ?? "*/2 * * * *");
  const job: Job = {
    file: spec.file,
    line: spec.line ?? 3,
    column: 1,
    index: spec.index ?? 0,
    package: spec.package,
    time: t,
    user,
    group,
    lockname,
    lock,
    params,
    scriptPath,
    command,
    cronLine: `${t.text} ${user} ${command}`,
  };
  if (spec.description !== undefined) job.description = spec.description;
  return job;
}
