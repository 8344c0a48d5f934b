import type { Rule } from "../rule.js";
import { reportScanProblems } from "./scan-problem.js";

export const suppressionUnused: Rule = {
  meta: {
    id: "suppression-unused",
    description: "A `# cronmeta-disable` comment that turns nothing off.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "A comment line `# cronmeta-disable RULE[, RULE] -- reason` inside a `<crontab>` section (or a `@crontab` tag's lines) turns the named rules off for that job only, as ESLint's `eslint-disable` comments do; the reason is kept in `--format json` (`suppressed`) and SARIF output. Only rules that are not fatal can be turned off. A suppression whose rule reports nothing on that job, or a comment outside any section, is reported so that stale suppressions do not pile up. (The lint engine reports this rule after the others.)",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    # cronmeta-disable cron-day-or -- runs on the 13th and on Fridays on purpose\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 13 * fri\n    # cronmeta-disable cron-day-or -- runs on the 13th and on Fridays on purpose\n</crontab>",
    },
  },
  check(context, report) {
    // Comments outside a section (the scanner); unused ones inside a section: src/lint/suppressions.ts.
    reportScanProblems(context, "suppression-unused", report);
  },
};
