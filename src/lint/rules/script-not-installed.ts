import { atSection, type Rule } from "../rule.js";

export const scriptNotInstalled: Rule = {
  meta: {
    id: "script-not-installed",
    description: "A script with jobs that no debian/*.install line installs.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "cronmeta takes the script's installed path from the debian/*.install line that installs it. When none does, it assumes config `installDir` + the file name (default `/usr/bin/<name>`), which is right only if something else installs it there. Add the script to an install file, or silence the rule if another mechanism installs it.",
      bad: "# bin/report.pl, with no install line for it\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
      good: "# debian/my-project.install:  bin/report.pl usr/share/my-project/bin\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    if (context.mode === "dir" && !context.debian.controlFound) return; // no packaging: installDir is the truth
    const reported = new Set<string>();
    for (const facts of context.sections) {
      if (facts.install !== undefined || reported.has(facts.file)) continue;
      reported.add(facts.file);
      report(atSection(facts, `no ${context.debian.controlFile.replace(/control$/, "")}*.install line installs ${facts.file}; assuming ${facts.scriptPath}`));
    }
  },
};
