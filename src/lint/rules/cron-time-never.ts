import type { Rule } from "../rule.js";
import { reportTimeProblems } from "./time-problem.js";

export const cronTimeNever: Rule = {
  meta: {
    id: "cron-time-never",
    description: "A schedule that never fires.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details: "A day of month that no chosen month has (`0 0 31 2 *`, `0 0 31 4,6,9,11 *`) never runs: cron accepts it and does nothing, forever. (February 29 does fire, in leap years.)",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 30 2 *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 28 2 *\n</crontab>",
    },
  },
  check(context, report) {
    reportTimeProblems(context, "cron-time-never", report);
  },
};
