import { atSection, type Rule } from "../rule.js";
import { MAX_COMMAND_LENGTH } from "../../jobs/command.js";

export const lineTooLong: Rule = {
  meta: {
    id: "line-too-long",
    description: `A cron command longer than ${MAX_COMMAND_LENGTH} bytes after escaping.`,
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details: `Debian's cron cuts commands at its line buffer; cronmeta refuses a command part (guard, switchman wrapper, script path and params, after escaping \`%\` and \`\\\`) longer than ${MAX_COMMAND_LENGTH} bytes, and says how long it was. Shorten \`params\` (move options into a config file the script reads) or set a shorter \`lockname\`.`,
      bad: `<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    params: --ids ${Array.from({ length: 250 }, (_, i) => i + 1000).join(",")}\n</crontab>`,
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    params: --ids-from /etc/my-project/ids\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      if (facts.time?.time === undefined) continue;
      // cron's limit is in bytes (crontab -n rejects 997 x "x" + "é").
      const length = Buffer.byteLength(facts.command, "utf8");
      if (length > MAX_COMMAND_LENGTH) {
        report(atSection(facts, `the cron command is ${length} bytes long after escaping; the limit is ${MAX_COMMAND_LENGTH}: shorten params or lockname`));
      }
    }
  },
};
