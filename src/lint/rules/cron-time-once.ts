import type { Rule } from "../rule.js";
import { reportTimeProblems } from "./time-problem.js";

export const cronTimeOnce: Rule = {
  meta: {
    id: "cron-time-once",
    description: "A step at least as large as the range it steps through: the item matches only its first value.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details: "`*/7` in the day-of-week field means Sunday only (0 and 7 are both Sunday), `10-20/15` minute 10 only, `20-23/12` in the hour field hour 20 only: cron steps never carry over into the next hour, day or week. Write the single value you mean. A step larger than the whole field's range (`*/60` minutes, `*/24` hours) is a `cron-time-invalid` error instead: it is never useful, and a large enough one makes Debian's cron reject the line.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 * * */7\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 * * 0\n</crontab>",
    },
  },
  check(context, report) {
    reportTimeProblems(context, "cron-time-once", report);
  },
};
