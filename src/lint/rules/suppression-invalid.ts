import type { Rule } from "../rule.js";

export const suppressionInvalid: Rule = {
  meta: {
    id: "suppression-invalid",
    description: "A `# cronmeta-disable` comment naming a rule that does not exist or cannot be turned off.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "`# cronmeta-disable` takes rule ids of docs/rules.md. Fatal rules (for example `cron-time-invalid` or `params-unsafe`) cannot be turned off, in a comment or in config `rules`: gen cannot write a correct cron line while their problem exists, so the problem must be fixed. A misspelt id would suppress nothing and hide that. (The lint engine reports this rule after the others.)",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 13 * fri\n    # cronmeta-disable cron-day-of -- both days on purpose\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 0 13 * fri\n    # cronmeta-disable cron-day-or -- both days on purpose\n</crontab>",
    },
  },
  check() {
    // Reported by the lint engine (src/lint/suppressions.ts), which sees every suppression.
  },
};
