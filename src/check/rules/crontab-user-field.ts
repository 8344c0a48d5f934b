import { atOffset, type CheckRule } from "../rule.js";

export const crontabUserField: CheckRule = {
  meta: {
    id: "crontab-user-field",
    description: "A user crontab line whose command starts with a user name, as a cron.d line would.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "A user crontab (`crontab -e`, /var/spool/cron/crontabs) has no user field: every job runs as the crontab's owner and everything after the time is the command. A line copied from /etc/cron.d keeps its user name, which cron then runs as the command (`root: not found`). Remove the name, or put the line in a cron.d file. (Checked by `cronmeta check`.)",
      bad: "# crontab -e\n0 3 * * * root /usr/local/bin/report",
      good: "# crontab -e\n0 3 * * * /usr/local/bin/report",
    },
  },
  check(file, report) {
    if (file.type !== "crontab") return;
    for (const job of file.jobs) {
      const command = job.command;
      if (job.shape !== "job" || job.parsed.time === undefined || command === undefined) continue;
      const [first, ...rest] = command.text.trim().split(/[ \t]+/);
      if (first === undefined || rest.length === 0 || file.user(first) === undefined) continue;
      report(
        atOffset(
          job.entry.line,
          command.offset,
          first.length,
          `a user crontab has no user field: cron runs "${first}" as the command, with "${rest.join(" ")}" as its arguments; remove "${first}" (the crontab's owner runs every job), or move the line to a cron.d file`,
        ),
      );
    }
  },
};
