import { atKey, type Rule } from "../rule.js";
import { METADATA_KEYS, closest } from "../../jobs/keys.js";

export const metadataUnknownKey: Rule = {
  meta: {
    id: "metadata-unknown-key",
    description: "A key that METADATA does not define (often a typo).",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details: `The keys are ${METADATA_KEYS.map((k) => `\`${k}\``).join(", ")}. Any other key is reported, with the closest known key as a suggestion; a misspelt \`lock\` or \`user\` would otherwise be ignored silently.`,
      bad: "<crontab>\n    package: my-project-scripts1\n    tme: 0 3 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      for (const entry of facts.unknownKeys) {
        const suggestion = closest(entry.key, METADATA_KEYS);
        report(
          atKey(
            facts,
            entry,
            `unknown key "${entry.key}"${suggestion ? `; did you mean "${suggestion}"?` : ""} (known keys: ${METADATA_KEYS.join(", ")})`,
          ),
        );
      }
    }
  },
};
