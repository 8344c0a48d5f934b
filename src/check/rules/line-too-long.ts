import { MAX_COMMAND_LENGTH } from "../../jobs/command.js";
import { lineTooLong } from "../../lint/rules/line-too-long.js";
import { IGNORES_FILE, atOffset, type CheckRule } from "../rule.js";

/** load_entry(): get_string() into MAX_COMMAND (1000) bytes; a command that fills 999 of them is "command too long". */
export const checkLineTooLong: CheckRule = {
  meta: lineTooLong.meta,
  check(file, report) {
    for (const job of file.jobs) {
      const command = job.command;
      if (job.shape !== "job" || command === undefined) continue;
      const bytes = Buffer.byteLength(command.text, "utf8");
      if (bytes > MAX_COMMAND_LENGTH) {
        report(
          atOffset(
            job.entry.line,
            command.offset,
            command.text.length,
            `the command is ${bytes} bytes long; cron reads at most ${MAX_COMMAND_LENGTH} ("command too long") and ${IGNORES_FILE}: move the command into a script and call that`,
          ),
        );
      }
    }
  },
};
