import { atValue, type Rule } from "../rule.js";
import { USER_NAME, USER_NAME_RULE } from "../../syntax/debian.js";

export const userInvalid: Rule = {
  meta: {
    id: "user-invalid",
    description: "A `user` that is not a valid user name.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "The user is the sixth field of a cron.d line. It must be a valid Debian user name (`[a-z_][a-z0-9_-]*`, at most 32 characters); anything else, e.g. a blank, would shift the command into the user field.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    user: Backup Operator\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    user: backup\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.user;
      if (entry !== undefined && !USER_NAME.test(entry.value)) {
        report(atValue(facts, entry, `"${entry.value}" is not a valid user name (${USER_NAME_RULE})`));
      }
    }
  },
};
