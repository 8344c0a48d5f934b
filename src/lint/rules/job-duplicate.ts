import { atSection, type Rule } from "../rule.js";
import { sameJob } from "./lockname-collision.js";

export const jobDuplicate: Rule = {
  meta: {
    id: "job-duplicate",
    description: "The same job (script, params, time, user, package) written twice.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details: "Two sections that describe exactly the same job add a second cron line that can only ever be skipped by the lock (or run twice without one). Remove one.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    const sections = context.sections.filter((f) => f.timeText !== undefined && f.package !== undefined);
    for (let i = 0; i < sections.length; i++) {
      const facts = sections[i]!;
      const first = sections.slice(0, i).find((other) => sameJob(other, facts));
      if (first) report(atSection(facts, `this job is the same as the one at ${first.file}:${first.section.pos.line}; remove one`));
    }
  },
};
