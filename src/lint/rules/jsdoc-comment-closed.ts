import type { Rule } from "../rule.js";
import { reportScanProblems } from "./scan-problem.js";

export const jsdocCommentClosed: Rule = {
  meta: {
    id: "jsdoc-comment-closed",
    description: "A `*/` inside a @crontab JSDoc comment (a cron step) closed the comment early.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "A block comment ends at the first `*/`, so a cron step such as `*/10` cannot be written inside JSDoc. Write `*\\/10`: cronmeta turns `*\\/` back into `*/`.",
      bad: "/**\n * @crontab\n *   package: my-project-scripts2\n *   time: */10 * * * *\n */",
      good: "/**\n * @crontab\n *   package: my-project-scripts2\n *   time: *\\/10 * * * *\n */",
    },
  },
  check(context, report) {
    reportScanProblems(context, "jsdoc-comment-closed", report);
  },
};
