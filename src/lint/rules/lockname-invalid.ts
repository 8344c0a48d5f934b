import { atValue, atSection, type Rule } from "../rule.js";
import { locknameProblem } from "../../syntax/lockname.js";

export const locknameInvalid: Rule = {
  meta: {
    id: "lockname-invalid",
    description: "A lock name switchman would refuse: 1-512 characters of `[A-Za-z0-9._-]`, not `.` or `..`.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "The lock name becomes a ZooKeeper node (`<prefix>/locks/<lockname>`) or a lock file in local mode, and is written unquoted on the cron line. It must be 1-512 letters, digits, `.`, `_` or `-`, and not `.` or `..`. The default lock name (the script's file name plus its params) can break this too when the script's file name has other characters.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lockname: nightly/report\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lockname: nightly-report\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      if (facts.lock === false) continue;
      const problem = locknameProblem(facts.lockname);
      if (problem === undefined) continue;
      const entry = facts.values.lockname;
      if (entry) report(atValue(facts, entry, `lockname "${facts.lockname}" ${problem}`));
      else report(atSection(facts, `the default lockname "${facts.lockname}" ${problem}; set "lockname:" explicitly`));
    }
  },
};
