import { atValue, type Rule } from "../rule.js";
import { CRON_GROUP_NAME, CRON_GROUP_NAME_MESSAGE } from "../../syntax/group.js";

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
      if (entry !== undefined && !CRON_GROUP_NAME.test(entry.value)) {
        report(atValue(facts, entry, `group "${entry.value}" ${CRON_GROUP_NAME_MESSAGE}`));
      }
    }
  },
};
