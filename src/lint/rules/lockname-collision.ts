import { atSection, type Rule } from "../rule.js";
import type { SectionFacts } from "../../jobs/analyse.js";

export const locknameCollision: Rule = {
  meta: {
    id: "lockname-collision",
    description: "Different jobs that end up with the same lock name without both saying so.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "Two jobs with the same lock name never run at the same time: when one runs, switchman skips the other. That is right when both set the same `lockname` on purpose; when the name was derived (file name and params) it is almost always an accident, e.g. two scripts with the same file name in different directories.",
      bad: "# bin/a/cleanup.sh and bin/b/cleanup.sh, both:\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
      good: "# bin/b/cleanup.sh:\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lockname: cleanup-b\n</crontab>",
    },
  },
  check(context, report) {
    const byName = new Map<string, SectionFacts[]>();
    for (const facts of context.sections) {
      if (facts.lock === false) continue;
      const group = byName.get(facts.lockname);
      if (group === undefined) byName.set(facts.lockname, [facts]);
      else group.push(facts); // not a copy per job: many jobs may share a name
    }
    for (const [name, group] of byName) {
      if (group.length < 2 || group.every((f) => f.locknameExplicit)) continue;
      const [first, ...rest] = group as [SectionFacts, ...SectionFacts[]];
      for (const facts of rest) {
        // Identical jobs are job-duplicate's to report.
        if (sameJob(first, facts)) continue;
        report(
          atSection(
            facts,
            `lock name "${name}" is also used by the job at ${first.file}:${first.section.pos.line}; the two jobs would exclude each other — set distinct "lockname:" values, or the same one in both to share the lock on purpose`,
          ),
        );
      }
    }
  },
};

/** What makes two sections the same job: script, params, time, user and package. */
export function jobIdentity(facts: SectionFacts): string {
  return JSON.stringify([facts.file, facts.params, facts.timeText, facts.user, facts.package]);
}

/** Same script, params, time, user and package: the same job written twice. */
export function sameJob(a: SectionFacts, b: SectionFacts): boolean {
  return jobIdentity(a) === jobIdentity(b);
}
