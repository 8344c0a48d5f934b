/**
 * The time rules of lint, applied to the time fields of crontab lines: the same rule ids,
 * the same parser (src/cron/parse.ts) and so the same messages.
 */
import { cronDayOr } from "../../lint/rules/cron-day-or.js";
import { cronReboot } from "../../lint/rules/cron-reboot.js";
import { cronTimeInvalid } from "../../lint/rules/cron-time-invalid.js";
import { cronTimeNever } from "../../lint/rules/cron-time-never.js";
import { cronTimeOnce } from "../../lint/rules/cron-time-once.js";
import type { Rule } from "../../lint/rule.js";
import type { CronTimeProblem } from "../../types.js";
import { atOffset, type CheckRule } from "../rule.js";

function timeRule(lint: Rule, id: CronTimeProblem["rule"]): CheckRule {
  return {
    meta: lint.meta,
    check(file, report) {
      for (const job of file.jobs) {
        if (job.shape !== "job") continue;
        for (const problem of job.parsed.problems) {
          if (problem.rule === id) report(atOffset(job.entry.line, job.time.offset + problem.offset, problem.length, problem.message));
        }
      }
    },
  };
}

export const checkCronTimeInvalid = timeRule(cronTimeInvalid, "cron-time-invalid");
export const checkCronTimeNever = timeRule(cronTimeNever, "cron-time-never");
export const checkCronTimeOnce = timeRule(cronTimeOnce, "cron-time-once");
export const checkCronDayOr = timeRule(cronDayOr, "cron-day-or");
export const checkCronReboot = timeRule(cronReboot, "cron-reboot");
