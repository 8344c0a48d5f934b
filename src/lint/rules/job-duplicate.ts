import { atSection, type Rule } from "../rule.js";
import type { SectionFacts } from "../../jobs/analyse.js";
import { jobIdentity } from "./lockname-collision.js";

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
    // One pass with a map keyed by the job's identity: linear in the number of jobs.
    const firstOf = new Map<string, SectionFacts>();
    for (const facts of context.sections) {
      if (facts.timeText === undefined || facts.package === undefined) continue;
      const key = jobIdentity(facts);
      const first = firstOf.get(key);
      if (first === undefined) firstOf.set(key, facts);
      else report(atSection(facts, `this job is the same as the one at ${first.file}:${first.section.pos.line}; remove one`));
    }
  },
};
