import { IGNORES_FILE, type CheckRule } from "../rule.js";

export const crontabFinalNewline: CheckRule = {
  meta: {
    id: "crontab-final-newline",
    description: "The last line of a crontab has no newline after it: cron ignores the whole file.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "Debian's cron reads a crontab line by line and needs the newline at the end of every line that is not a comment or blank; when the last one lacks it, cron logs \"Missing newline before EOF, this crontab file will be ignored\" and runs none of the file's jobs. Editors that do not end files with a newline, and `printf` without `\\n` in provisioning scripts, cause it. End the file with a newline. (Checked by `cronmeta check`.)",
      bad: "0 3 * * * root /usr/local/bin/report<EOF>",
      good: "0 3 * * * root /usr/local/bin/report\n<EOF>",
    },
  },
  check(file, report) {
    const line = file.text.unterminatedLine;
    if (line === undefined) return;
    const entry = file.text.entries.find((e) => e.line === line);
    const column = (entry?.text.length ?? 0) + 1;
    report({ line, column, message: `the last line has no newline after it: ${IGNORES_FILE} ("Missing newline before EOF"); end the file with a newline` });
  },
};
