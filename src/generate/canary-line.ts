/**
 * The canary line of a cron.d file (issue 18, docs/monitor.md "The canary"): every minute, as
 * root, `switchman --canary` notes that this host's cron has loaded this file at this build.
 * Appended after the template's output (templates cannot drop it; config `canary: false` does),
 * and only where the job lines run switchman.
 */
import type { Config } from "../config/schema.js";
import { escapeForCron } from "../jobs/command.js";

/** The comment and the line, each ending in a newline, for `pkg` at `build`; none without switchman. */
export function canaryLines(pkg: string, build: string, config: Config): string {
  if (config.switchman === false || !config.canary) return "";
  const { bin, config: switchmanConfig } = config.switchman;
  const words = [...(config.guard ? [`[ -x ${bin} ] &&`] : []), bin, "--config", switchmanConfig, "--canary", "--package", pkg, "--build", build];
  return `\n# cronmeta canary: this host's cron runs this file, build ${build} (cronmeta monitor, docs/monitor.md)\n* * * * * root ${escapeForCron(words.join(" "))}\n`;
}

/** True for the command of a canary line (`switchman … --canary …`): not a job, gen writes it again. */
export function isCanaryCommand(runs: string): boolean {
  return /(^|[\s&])(\S*\/)?switchman\s(\S+\s)*--canary(\s|$)/.test(runs);
}
