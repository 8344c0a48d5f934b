import { atOffset, type CheckRule } from "../rule.js";

/** Settings other crons act on that Debian's cron 3.0pl1 only passes to the jobs (or overwrites). */
const NOT_ACTED_ON: Readonly<Record<string, string>> = {
  CRON_TZ: "is cronie's (and Vixie cron 4's) time zone for the schedule; Debian's cron schedules every job in its own time zone and only passes CRON_TZ to the jobs",
  RANDOM_DELAY: "is cronie's random start delay; Debian's cron has none and only passes RANDOM_DELAY to the jobs",
  MLS_LEVEL: "is cronie's SELinux level; Debian's cron only passes MLS_LEVEL to the jobs",
  TZ: "sets the time zone the jobs see, not the one they are scheduled in: Debian's cron schedules in its own time zone",
  LOGNAME: "is always overwritten: Debian's cron sets LOGNAME to the job's user",
};

export const crontabEnvUnsupported: CheckRule = {
  meta: {
    id: "crontab-env-unsupported",
    description: "A setting that other crons act on but Debian's cron only passes to the jobs (CRON_TZ, RANDOM_DELAY, TZ, ...).",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "Debian's cron acts on `SHELL`, `PATH`, `HOME`, `MAILTO`, `MAILFROM`, `CONTENT_TYPE` and `CONTENT_TRANSFER_ENCODING`. `CRON_TZ` and `RANDOM_DELAY` (cronie) are passed to the jobs and change nothing about when they run; `TZ` changes the jobs' time zone, not the schedule's; `LOGNAME` is overwritten with the job's user. Schedule in the host's time zone, and spread start times explicitly. (Checked by `cronmeta check`.)",
      bad: "CRON_TZ=UTC\n0 3 * * * root /usr/local/bin/report",
      good: "# 03:00 UTC on a host whose time zone is Europe/Berlin (UTC+1)\n0 4 * * * root /usr/local/bin/report",
    },
  },
  check(file, report) {
    for (const entry of file.text.entries) {
      if (entry.kind !== "env") continue;
      const why = NOT_ACTED_ON[entry.setting.name];
      if (why === undefined) continue;
      report(atOffset(entry.line, entry.start, entry.setting.name.length, `${entry.setting.name} ${why}`));
    }
  },
};
