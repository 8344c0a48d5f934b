import { atValue, type Rule } from "../rule.js";
import { reportScanProblems } from "./scan-problem.js";

export const metadataEmpty: Rule = {
  meta: {
    id: "metadata-empty",
    description: "An empty METADATA block, an empty section, or a key with an empty value.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "An empty `<crontab>` section or `@crontab` tag, a METADATA block without any section, and `key:` with nothing after the colon are errors: they almost always mean a job was meant but not written.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time:\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    reportScanProblems(context, "metadata-empty", report);
    for (const facts of context.sections) {
      for (const entry of facts.emptyValues) {
        report(atValue(facts, entry, `"${entry.key}" has an empty value; write a value or remove the line`));
      }
    }
  },
};
