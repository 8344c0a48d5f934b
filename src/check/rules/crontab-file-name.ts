import { cronReadsCronDFile } from "../../debian/cron-file-name.js";
import type { CheckRule } from "../rule.js";

export const crontabFileName: CheckRule = {
  meta: {
    id: "crontab-file-name",
    description: "A file in /etc/cron.d (or one that will be installed there) whose name makes cron skip it.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "Debian's cron reads only the files of /etc/cron.d whose names consist of letters, digits, `_` and `-` (run-parts' rules, cron(8)); a name with a dot (`backup.sh`, `jobs.cron`, `foo.dpkg-dist`) or starting with one is skipped without a word in the log. With `cron -l` (EXTRA_OPTS in /etc/default/cron) the LSB rules apply instead, which also refuse upper case. `cronmeta check` applies this to files in /etc/cron.d and in any directory named cron.d, and to debian/PACKAGE.cron.d, which dh_installcron installs as /etc/cron.d/PACKAGE (lint's `cron-file-name` checks the packages of METADATA). Files without a job are not reported.",
      bad: "/etc/cron.d/backup.sh",
      good: "/etc/cron.d/backup",
    },
  },
  check(file, report) {
    const name = file.cronDName;
    if (name === undefined || file.jobs.length === 0 || cronReadsCronDFile(name)) return;
    const fix = name.replace(/^\.+/, "").replace(/[^A-Za-z0-9_-]/g, "-");
    const why = name.startsWith(".")
      ? "it starts with a dot"
      : "it holds characters other than letters, digits, \"_\" and \"-\"";
    const suggestion = fix !== "" && cronReadsCronDFile(fix) ? ` (e.g. /etc/cron.d/${fix})` : "";
    report({
      line: 1,
      column: 1,
      message: `Debian's cron skips /etc/cron.d/${name} because ${why}, so none of its jobs ever runs; rename it${suggestion}`,
    });
  },
};
