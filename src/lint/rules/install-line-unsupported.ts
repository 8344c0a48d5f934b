import type { Rule } from "../rule.js";

export const installLineUnsupported: Rule = {
  meta: {
    id: "install-line-unsupported",
    description: "A debian/*.install line cronmeta cannot interpret.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "cronmeta understands `SOURCE... DEST-DIR` lines with globs and comments. dh-exec install files, variables, renames and lines without a destination are skipped with this warning; scripts that only such lines install get config `installDir` + their file name as installed path (and `script-not-installed`).",
      bad: "# debian/my-project.install\nbin/report.pl",
      good: "# debian/my-project.install\nbin/report.pl usr/share/my-project/bin",
    },
  },
  check(context, report) {
    for (const note of context.debian.notes) {
      report({ file: note.file, line: note.line, column: note.column, message: note.message });
    }
  },
};
