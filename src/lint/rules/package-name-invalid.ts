import { atValue, type Rule } from "../rule.js";
import { DEBIAN_PACKAGE_NAME_RULE, isDebianPackageName } from "../../syntax/debian.js";

export const packageNameInvalid: Rule = {
  meta: {
    id: "package-name-invalid",
    description: "A `package` that is not a valid Debian package name.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "Debian package names (Policy 5.6.7) are at least two characters of lower-case letters, digits, `+`, `-` and `.`, starting with a letter or digit. Anything else cannot be a `Package:` of debian/control.",
      bad: "<crontab>\n    package: My_Scripts\n    time: 0 3 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.package;
      if (entry !== undefined && !isDebianPackageName(entry.value)) {
        report(atValue(facts, entry, `"${entry.value}" is not a Debian package name (${DEBIAN_PACKAGE_NAME_RULE}, lower case)`));
      }
    }
  },
};
