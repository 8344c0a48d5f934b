import { atSection, atValue, type Rule } from "../rule.js";
import { closest } from "../../jobs/keys.js";
import { isDebianPackageName } from "../../syntax/debian.js";

export const packageUnknown: Rule = {
  meta: {
    id: "package-unknown",
    description: "A `package` (or `defaultPackage`) that debian/control does not define.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "The cron.d file of a job is shipped by the package it names, so that package must be a `Package:` paragraph of debian/control (the `debianDir` of the config). A typo here would otherwise create a file no package installs. In `--mode dir` on a project without debian/control the package only names the cron.d file and is not checked.",
      bad: "<crontab>\n    package: my-project-script1\n    time: 0 3 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    // --mode dir serves hosts without Debian packaging: without debian/control there is
    // nothing to check package names against, and they only name cron.d files.
    if (context.mode === "dir" && !context.debian.controlFound) return;
    const known = context.debian.control.packages.map((p) => p.name);
    for (const facts of context.sections) {
      const pkg = facts.package;
      if (pkg === undefined || !isDebianPackageName(pkg) || known.includes(pkg)) continue;
      const where = context.debian.controlFound
        ? `is not a Package: in ${context.debian.controlFile}`
        : `cannot be checked: ${context.debian.controlFile} was not found`;
      const suggestion = closest(pkg, known);
      const message = `package "${pkg}" ${where}${suggestion ? `; did you mean "${suggestion}"?` : ""}`;
      const entry = facts.values.package;
      report(entry ? atValue(facts, entry, message) : atSection(facts, `${message} (from defaultPackage)`));
    }
  },
};
