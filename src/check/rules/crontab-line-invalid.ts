import { IGNORES_FILE, atOffset, type CheckRule } from "../rule.js";

export const crontabLineInvalid: CheckRule = {
  meta: {
    id: "crontab-line-invalid",
    description: "A crontab line that is neither a comment, a setting nor a whole job: cron ignores the whole file.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "cron reads every line that is not blank and not a `#` comment as a setting (`NAME=value`) or, failing that, as a job: five time fields or an `@` keyword, then (in /etc/crontab and /etc/cron.d) the user, then the command. A line that is neither, or a job line that stops before its user or its command, is a syntax error, and Debian's cron then ignores every job of the file, not only that line. (Checked by `cronmeta check`.)",
      bad: "# /etc/cron.d/reports\n0 3 * * * root\nnightly report at 03:00",
      good: "# /etc/cron.d/reports\n# nightly report at 03:00\n0 3 * * * root /usr/local/bin/report",
    },
  },
  check(file, report) {
    for (const job of file.jobs) {
      const { entry } = job;
      const rest = entry.text.slice(entry.start);
      if (job.shape === "other") {
        report(
          atOffset(
            entry.line,
            entry.start,
            rest.length,
            `this line is neither a comment (start it with #), a setting (NAME=value) nor a job (five time fields or an @ keyword, ${file.type === "cron.d" ? "the user, " : ""}then the command): ${IGNORES_FILE}`,
          ),
        );
        continue;
      }
      if (job.shape !== "job" || job.parsed.time === undefined) continue;
      const end = entry.text.length;
      if (file.type === "cron.d" && job.user === undefined) {
        report(atOffset(entry.line, end, 1, `the job has no user and no command after its time: a line of /etc/crontab or /etc/cron.d is TIME USER COMMAND (e.g. "${job.time.text} root /usr/local/bin/job"); ${IGNORES_FILE}`));
      } else if (file.type === "cron.d" && file.user(job.user?.text ?? "") === undefined) {
        continue; // crontab-user-unknown: the command's first word was taken for the user
      } else if (job.command === undefined || job.command.text.trim() === "") {
        const what = file.type === "cron.d" ? `its user "${job.user?.text ?? ""}"` : "its time";
        report(atOffset(entry.line, end, 1, `the job has no command after ${what}; ${file.type === "cron.d" && job.command === undefined ? IGNORES_FILE : "cron would run nothing"}: write the command`));
      }
    }
  },
};
