import { atValue, type Rule } from "../rule.js";
import { CONTROL_CHARACTER, codePointLabel } from "../../syntax/control.js";

export const metadataValueInvalid: Rule = {
  meta: {
    id: "metadata-value-invalid",
    description: "A `lock` other than yes/no, a `lockname` with `lock: no`, or a control character in a value.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "`lock` is `yes` (the default) or `no`. A `lockname` together with `lock: no` contradicts itself. No value may contain a control character (it could break the cron.d line or the comment above it).",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lock: false\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lock: no\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const lock = facts.values.lock;
      if (lock !== undefined && facts.lock === undefined) {
        report(atValue(facts, lock, `lock must be "yes" or "no", not "${lock.value}"`));
      }
      const lockname = facts.values.lockname;
      if (lockname !== undefined && facts.lock === false) {
        report(atValue(facts, lockname, 'lockname has no effect with "lock: no"; remove one of them'));
      }
      for (const entry of Object.values(facts.values)) {
        if (entry.key === "time" || entry.key === "params") continue; // their own rules say more
        // Values end up on a cron.d line or the comment above it, and must stay on that line.
        const bad = CONTROL_CHARACTER.exec(entry.value);
        if (bad) {
          report(atValue(facts, entry, `${entry.key} contains a control character (${codePointLabel(bad[0])})`, bad.index, 1));
        }
      }
    }
  },
};
