import { atKey, type Rule } from "../rule.js";

export const metadataDuplicateKey: Rule = {
  meta: {
    id: "metadata-duplicate-key",
    description: "The same key twice in one section.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "A section describes one job; a key given twice leaves it unclear which value counts. To run a script twice with different times, write two sections.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    time: 0 4 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>\n<crontab>\n    package: my-project-scripts1\n    time: 0 4 * * *\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      for (const entry of facts.duplicateKeys) {
        const first = facts.section.entries.find((e) => e.key === entry.key)!;
        const fix =
          entry.key === "lease" && first.value !== "" && entry.value !== ""
            ? `list every lease in one key, comma-separated: "lease: ${first.value}, ${entry.value}"`
            : "write one section per job";
        report(atKey(facts, entry, `duplicate key "${entry.key}" (first given on line ${first.keyPos.line}); ${fix}`));
      }
    }
  },
};
