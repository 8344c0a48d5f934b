import { atValue, type Rule } from "../rule.js";

export const groupInvalid: Rule = {
  meta: {
    id: "group-invalid",
    description: "A switchman `group` that cannot be written safely on the cron line.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "The group (default: the package name) is passed as `--group <group>` on the cron line, unquoted. It must be 1-255 letters, digits, `.`, `_` or `-`.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    group: batch hosts\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    group: batch-hosts\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.group;
      if (entry !== undefined && !/^[A-Za-z0-9._-]{1,255}$/.test(entry.value)) {
        report(atValue(facts, entry, `group "${entry.value}" may only hold letters, digits, ".", "_" and "-" (at most 255)`));
      }
    }
  },
};
