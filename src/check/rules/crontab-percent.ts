import { atOffset, type CheckRule } from "../rule.js";

/** The command with every `%` that cron would read as the end of the command escaped. */
function escapedPercents(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\" && (text[i + 1] === "%" || text[i + 1] === "\\")) {
      out += ch + (text[i + 1] ?? "");
      i += 1;
    } else {
      out += ch === "%" ? "\\%" : ch;
    }
  }
  return out;
}

export const crontabPercent: CheckRule = {
  meta: {
    id: "crontab-percent",
    description: "An unescaped `%` in a command: cron ends the command there and sends the rest to it as input.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "In a crontab, the first `%` of a command that is not written `\\%` ends the command: cron runs what comes before it and feeds the rest to its standard input, every further `%` turned into a newline (crontab(5)). `date +%F` in a command is the classic victim. Write `\\%` for a percent sign. cronmeta escapes `%` itself in the files `gen` writes. (Checked by `cronmeta check`.)",
      bad: "0 3 * * * root tar czf /var/backups/etc-$(date +%F).tgz /etc",
      good: "0 3 * * * root tar czf /var/backups/etc-$(date +\\%F).tgz /etc",
    },
  },
  check(file, report) {
    for (const job of file.jobs) {
      const command = job.command;
      if (job.shape !== "job" || command?.stdinAt === undefined) continue;
      const fixed = escapedPercents(command.text);
      const write = fixed.length <= 160 ? `write "${fixed}"` : "write \\% for each percent sign";
      report(
        atOffset(
          job.entry.line,
          command.offset + command.stdinAt,
          1,
          `unescaped "%": cron ends the command here, runs "${command.runs.trim()}" and sends the rest to it as input, each further % a newline; ${write}`,
        ),
      );
    }
  },
};
