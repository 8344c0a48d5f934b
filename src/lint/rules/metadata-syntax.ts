import type { Rule } from "../rule.js";
import { reportScanProblems } from "./scan-problem.js";

export const metadataSyntax: Rule = {
  meta: {
    id: "metadata-syntax",
    description: "A METADATA block or @crontab tag that cronmeta cannot read.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "Each line inside `<crontab>` … `</crontab>` (or after `@crontab`) must be `key: value`; sections must be closed, not nested, and a script has one METADATA block. Text outside a section inside the block is an error too, so that a typo like `<contab>` cannot silently drop a job. A JavaScript/TypeScript file holding `@crontab` that Babel cannot parse is reported here. So are near misses, METADATA that a person meant but cronmeta would not read, whose jobs would otherwise vanish without a word: `=head1 Metadata`, `=head2 METADATA`, an indented `  =head1 METADATA` or one with more text after it (when it says METADATA in upper case or has `<crontab>` sections below it), a `<crontab>` section outside any METADATA block, `@crontab` in a `/* … */` comment, in the middle of a comment line before a `key:`, or in `//` comments followed by `key:` lines (docs/scanning.md).",
      bad: "=head1 METADATA\n\n<crontab>\n    time */5 * * * *\n</crontab>\n\n=cut",
      good: "=head1 METADATA\n\n<crontab>\n    time: */5 * * * *\n</crontab>\n\n=cut",
    },
  },
  check(context, report) {
    reportScanProblems(context, "metadata-syntax", report);
  },
};
