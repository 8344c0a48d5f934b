import type { Rule } from "../rule.js";
import { reportTimeProblems } from "./time-problem.js";

export const cronTimeOnce: Rule = {
  meta: {
    id: "cron-time-once",
    description: "A step at least as large as its field's range: the field matches only its first value.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details: "`*/60` in the minute field means minute 0 only, `*/24` in the hour field hour 0 only, and `10-20/15` just 10. Write the single value you mean.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: */60 * * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 * * * *\n</crontab>",
    },
  },
  check(context, report) {
    reportTimeProblems(context, "cron-time-once", report);
  },
};
