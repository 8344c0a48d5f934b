import { IGNORES_FILE, atOffset, type CheckRule } from "../rule.js";

export const crontabCarriageReturn: CheckRule = {
  meta: {
    id: "crontab-carriage-return",
    description: "A carriage return (a DOS line ending) in a job line or a blank line.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "cron splits lines at the newline only. With DOS line endings every job's command ends in a carriage return, which the shell takes as part of the last word (`/usr/local/bin/report\\r: not found`), and a blank line holds a carriage return, which cron does not skip: it reads it as a job line and ignores the whole file. Convert the file to Unix line endings (`dos2unix FILE`). (Checked by `cronmeta check`.)",
      bad: "0 3 * * * root /usr/local/bin/report<CR>\n<CR>",
      good: "0 3 * * * root /usr/local/bin/report\n",
    },
  },
  check(file, report) {
    for (const job of file.jobs) {
      const { entry } = job;
      const at = entry.text.indexOf("\r");
      if (at < 0) continue;
      if (job.shape === "carriage-return") {
        report(atOffset(entry.line, at, 1, `this blank line holds a carriage return (a DOS line ending), which cron does not skip: it reads the line as a job and ${IGNORES_FILE}; convert the file to Unix line endings (dos2unix)`));
      } else if (job.shape === "job") {
        report(atOffset(entry.line, at, 1, `a carriage return (a DOS line ending): cron passes it to the shell as part of the command, so the job fails; convert the file to Unix line endings (dos2unix)`));
      }
    }
  },
};
