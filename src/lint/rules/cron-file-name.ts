import { atValue, atSection, type Rule } from "../rule.js";
import { cronFileName, isCronSafeName } from "../../debian/cron-file-name.js";
import { isDebianPackageName } from "../../syntax/debian.js";

export const cronFileNameRule: Rule = {
  meta: {
    id: "cron-file-name",
    description: "A package whose cron.d file cron would ignore (source mode), or two packages mapping to one file name.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "dh_installcron installs `debian/<package>.cron.d` as `/etc/cron.d/<package>`, and Debian's cron silently ignores cron.d files whose names contain anything but letters, digits, `_` and `-` (cron(8)). A package with a dot or plus sign would ship jobs that never run. In `--mode source` that is an error: use `--mode tree` (or `--mode dir`), which writes `/etc/cron.d/<name>` with every other character replaced by `-`. In those modes two packages that map to the same name are an error.",
      bad: "<crontab>\n    package: my.project-scripts\n    time: 0 3 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    const owners = new Map<string, Set<string>>();
    const all = new Set<string>([...(context.config.packages ?? [])]);
    for (const facts of context.sections) if (facts.package !== undefined) all.add(facts.package);
    for (const pkg of all) {
      if (!isDebianPackageName(pkg)) continue;
      const name = cronFileName(pkg);
      owners.set(name, (owners.get(name) ?? new Set()).add(pkg));
    }
    for (const facts of context.sections) {
      const pkg = facts.package;
      if (pkg === undefined || !isDebianPackageName(pkg)) continue;
      const entry = facts.values.package;
      const at = (message: string) => (entry ? atValue(facts, entry, message) : atSection(facts, message));
      if (context.mode === "source") {
        if (!isCronSafeName(pkg)) {
          report(
            at(
              `package "${pkg}" would be installed as /etc/cron.d/${pkg}, which cron ignores (cron.d names may only hold letters, digits, "_" and "-"); use "cronmeta gen --mode tree" to install it as /etc/cron.d/${cronFileName(pkg)}`,
            ),
          );
        }
        continue;
      }
      const sharing = [...(owners.get(cronFileName(pkg)) ?? [])].filter((p) => p !== pkg).sort();
      if (sharing.length > 0) {
        report(at(`packages "${pkg}" and "${sharing.join('", "')}" would both write /etc/cron.d/${cronFileName(pkg)}; rename one of them`));
      }
    }
  },
};
