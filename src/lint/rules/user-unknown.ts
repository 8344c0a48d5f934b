import { atValue, type Rule } from "../rule.js";
import { USER_NAME } from "../../syntax/debian.js";

export const userUnknown: Rule = {
  meta: {
    id: "user-unknown",
    description: "A `user` that the config's `users` list does not allow.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "Jobs may run only as the users listed in config `users` (default: `root`), so that a script cannot quietly start running as another account. Add the user to `users` in cronmeta.config.json, or fix the name.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    user: postgress\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    user: postgres\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.user;
      if (entry === undefined || !USER_NAME.test(entry.value) || context.config.users.includes(entry.value)) continue;
      report(atValue(facts, entry, `user "${entry.value}" is not in config users (${context.config.users.join(", ")}); add it there or fix the name`));
    }
  },
};
