import type { Rule } from "../rule.js";
import { reportScanProblems } from "./scan-problem.js";

export const scanBinarySkipped: Rule = {
  meta: {
    id: "scan-binary-skipped",
    description: "A script with METADATA that cronmeta skips as a binary file (a NUL byte in its first 8 KiB).",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "cronmeta skips binary files, and like git and grep it takes a file with a NUL byte in its first 8 KiB for one. A script with a stray NUL byte (pasted into its METADATA block, say) would then lose all its jobs without a word, so a binary file that would otherwise have been read for METADATA (a line starting with `=head1 METADATA`, or for JavaScript/TypeScript a `@crontab` in a block comment, within its first 64 KiB) gets this warning at the NUL byte. Remove the byte; a script that needs one can write it as an escape (`printf '\\0'`, `\"\\0\"`).",
      bad: "=head1 METADATA\n\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *^@\n</crontab>\n\n=cut\n\n(^@ is a NUL byte, as cat -v shows it)",
      good: "=head1 METADATA\n\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>\n\n=cut",
    },
  },
  check(context, report) {
    reportScanProblems(context, "scan-binary-skipped", report);
  },
};
