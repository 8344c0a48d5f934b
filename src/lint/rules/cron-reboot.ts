import type { Rule } from "../rule.js";
import { reportTimeProblems } from "./time-problem.js";

export const cronReboot: Rule = {
  meta: {
    id: "cron-reboot",
    description: "`@reboot` runs only when cron starts.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details: "`@reboot` jobs run when the cron daemon starts (at boot), not when the package is installed or upgraded: a freshly installed package does not run them until the next reboot. Consider a systemd unit or a postinst step instead.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: @reboot\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: @daily\n</crontab>",
    },
  },
  check(context, report) {
    reportTimeProblems(context, "cron-reboot", report);
  },
};
