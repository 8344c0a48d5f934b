import { atOffset, type CheckRule } from "../rule.js";

/** The value a reader sees: the text after `=`, trimmed, without one pair of matching quotes. */
function apparentValue(text: string): string {
  const value = text.slice(text.indexOf("=") + 1).trim();
  const match = /^(['"])(.*)\1$/s.exec(value);
  return match === null ? value : match[2] ?? "";
}

export const crontabEnvValue: CheckRule = {
  meta: {
    id: "crontab-env-value",
    description: "A setting whose value cron reads differently from how it reads to a person (a trailing comment, dropped blanks or quotes).",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "cron has no trailing comments: in `MAILTO=ops@example.org # team` the value is the whole rest of the line. It also removes trailing blanks from every value, even a quoted one, and one more pair of matching quotes after the quoting, so `X=\"'a'\"` is `a`. The message says what cron reads. (Checked by `cronmeta check`.)",
      bad: "MAILTO=ops@example.org # the team's list",
      good: "# the team's list\nMAILTO=ops@example.org",
    },
  },
  check(file, report) {
    for (const entry of file.text.entries) {
      if (entry.kind !== "env") continue;
      const text = entry.text.slice(entry.start);
      const { name, value } = entry.setting;
      const valueAt = entry.start + text.indexOf("=") + 1;
      const comment = /[ \t]#/.exec(entry.text.slice(valueAt));
      // A quoted value cannot hold a trailing comment: cron refuses text after the closing quote.
      const quoted = /^['"]/.test(text.slice(text.indexOf("=") + 1).trimStart());
      if (comment !== null && !quoted && /[ \t]#/.test(value)) {
        const at = valueAt + comment.index + 1;
        report(atOffset(entry.line, at, entry.text.length - at, `cron has no trailing comments: ${name} is set to ${JSON.stringify(value)}; put the comment on a line of its own`));
        continue;
      }
      const apparent = apparentValue(text);
      if (apparent !== value) {
        report(atOffset(entry.line, valueAt, entry.text.length - valueAt, `cron sets ${name} to ${JSON.stringify(value)}, not ${JSON.stringify(apparent)}: it removes trailing blanks from every value and one more pair of outer quotes, even inside quotes`));
      }
    }
  },
};
