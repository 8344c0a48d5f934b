import { IGNORES_FILE, atOffset, type CheckRule } from "../rule.js";

export const crontabUserUnknown: CheckRule = {
  meta: {
    id: "crontab-user-unknown",
    description: "A cron.d job whose user field names no user of this host, or holds the command: cron ignores the whole file.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "A line of /etc/crontab or /etc/cron.d names the user between the time and the command. cron looks the name up with getpwnam() when it reads the file, and one name it cannot find (\"bad username\") makes it ignore every job of the file, on every host that lacks the user. A line written like a user crontab, without the user, fails the same way: its command's first word is taken for the user. `cronmeta check` looks names up on the host it runs on (getent passwd); when the file is meant for other hosts, run it there or set the rule to \"warning\" in the config.",
      bad: "# /etc/cron.d/reports\n0 3 * * * /usr/local/bin/report",
      good: "# /etc/cron.d/reports\n0 3 * * * root /usr/local/bin/report",
    },
  },
  check(file, report) {
    if (file.type !== "cron.d") return;
    for (const job of file.jobs) {
      const user = job.user;
      if (job.shape !== "job" || job.parsed.time === undefined || user === undefined || file.user(user.text) !== undefined) continue;
      const looksLikeCommand = /[/[=$"'`;|&<>(){}]/.test(user.text) || user.text.startsWith("-");
      const message = looksLikeCommand
        ? `"${user.text}" stands where a cron.d line names the user (TIME USER COMMAND), and there is no such user: ${IGNORES_FILE}; write the user first, e.g. "root ${user.text}"`
        : `no user "${user.text}" on this host (getent passwd finds none): ${IGNORES_FILE} on every host without this user; create the user or name an existing one`;
      report(atOffset(job.entry.line, user.offset, user.text.length, message));
    }
  },
};
