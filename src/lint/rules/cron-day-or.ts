import type { Rule } from "../rule.js";
import { reportTimeProblems } from "./time-problem.js";

export const cronDayOr: Rule = {
  meta: {
    id: "cron-day-or",
    description: "Both day fields restricted: cron runs on those days of the month OR those weekdays.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details: "When neither the day-of-month nor the day-of-week field starts with `*`, cron runs the job on every day that matches either field (`0 0 13 * fri` runs on every 13th and on every Friday, not on Friday the 13th). A day field that starts with `*` (like `*/2`) counts as unrestricted, which turns the OR into an AND. Cron cannot express \"Friday the 13th\": choose one field and test the other in the script.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 1-7 * mon\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 * * mon\n</crontab>",
    },
  },
  check(context, report) {
    reportTimeProblems(context, "cron-day-or", report);
  },
};
