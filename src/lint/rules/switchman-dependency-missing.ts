import type { Rule, RuleReport } from "../rule.js";
import { relationNames, type ControlPackage } from "../../debian/control.js";

/** What satisfies the rule in a relation field: the substitution variable dh_cronmeta sets, or switchman itself. */
const SUBSTVAR = "${cronmeta:Depends}";
const satisfies = (name: string): boolean => name === SUBSTVAR || name === "switchman";

/** True when Depends or Pre-Depends names the substvar or switchman (alone or as an alternative). */
function dependsOnSwitchman(pkg: ControlPackage): boolean {
  return [pkg.depends, pkg.preDepends].some((field) => field !== undefined && relationNames(field.value).some((names) => names.some(satisfies)));
}

export const switchmanDependencyMissing: Rule = {
  meta: {
    id: "switchman-dependency-missing",
    description: "A package whose cron.d jobs run switchman, but whose Depends in debian/control has neither `${cronmeta:Depends}` nor `switchman`.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "Every job line cronmeta writes runs `switchman` (unless the config says `\"switchman\": false`), so a package that installs such a cron.d file needs the `switchman` package on every box: without it every line fails, every minute. `dh_cronmeta` sets `${cronmeta:Depends}` to `switchman` for each package it generated a wrapped cron.d file for (and to nothing otherwise), like `${perl:Depends}`; put it into the package's `Depends`. Naming `switchman` directly works too. The rule reads the `Depends` and `Pre-Depends` of the package's paragraph in debian/control (the config's `debianDir`), and says nothing on a project without debian/control.",
      bad: "# debian/control\nPackage: my-project-scripts1\nArchitecture: all\nDepends: my-project (= ${binary:Version}), ${misc:Depends}\n\n# bin/report.pl\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
      good: "# debian/control\nPackage: my-project-scripts1\nArchitecture: all\nDepends: my-project (= ${binary:Version}), ${cronmeta:Depends}, ${misc:Depends}\n\n# bin/report.pl\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    if (context.config.switchman === false) return; // no line runs the wrapper
    if (!context.debian.controlFound) return; // nothing to read Depends from (package-unknown says so where it matters)
    const wrapped = new Set<string>();
    for (const facts of context.sections) if (facts.package !== undefined) wrapped.add(facts.package);
    for (const pkg of context.debian.control.packages) {
      if (!wrapped.has(pkg.name) || dependsOnSwitchman(pkg)) continue;
      const file = context.debian.controlFile;
      const problem: RuleReport =
        pkg.depends === undefined
          ? {
              file,
              line: pkg.line,
              column: 1,
              message: `package ${pkg.name} installs cron.d jobs that run switchman, but has no Depends: add "Depends: ${SUBSTVAR}" (dh_cronmeta sets it to switchman)`,
            }
          : {
              file,
              line: pkg.depends.line,
              column: pkg.depends.column,
              message: `package ${pkg.name} installs cron.d jobs that run switchman, but its Depends has neither ${SUBSTVAR} nor switchman: add ${SUBSTVAR} to it (dh_cronmeta sets it to switchman)`,
            };
      report(problem);
    }
  },
};
