import { atSection, type Rule } from "../rule.js";

export const metadataMissingKey: Rule = {
  meta: {
    id: "metadata-missing-key",
    description: "A section without `time`, or without `package` when no `defaultPackage` is configured.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "Every job needs `time`, and `package` unless the config sets `defaultPackage`. The diagnostic points at the `<crontab>` or `@crontab` that opens the section.",
      bad: "<crontab>\n    time: 0 3 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      for (const key of facts.missingKeys) {
        const hint =
          key === "time"
            ? 'add e.g. "time: 0 3 * * *"'
            : `add "package: <a Package: of ${context.debian.controlFile}>" or set defaultPackage in the config`;
        report(atSection(facts, `missing required key "${key}"; ${hint}`));
      }
    }
  },
};
