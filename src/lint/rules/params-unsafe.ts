import { atValue, type Rule } from "../rule.js";
import { paramsProblem } from "../../jobs/params.js";

export const paramsUnsafe: Rule = {
  meta: {
    id: "params-unsafe",
    description: "`params` that are not plain shell words.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "`params` are appended to the script path on the cron line, which /bin/sh runs. They must be plain words (quotes allowed): no `;` `&` `|` `<` `>` `` ` `` `$(` `(` `)`, no `#` starting a word, no unbalanced quote, no newline or control character. Redirect or pipe inside the script instead. `%` is fine: cronmeta escapes it for cron.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    params: --full > /tmp/log\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    params: --full --log /tmp/log\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.params;
      if (entry === undefined) continue;
      const problem = paramsProblem(entry.value);
      if (problem) report(atValue(facts, entry, `params: ${problem.message}`, problem.offset, 1));
    }
  },
};
