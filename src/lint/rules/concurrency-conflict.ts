import { atValue, type Rule } from "../rule.js";
import type { SectionFacts } from "../../jobs/analyse.js";
import type { RawEntry } from "../../types.js";

export const concurrencyConflict: Rule = {
  meta: {
    id: "concurrency-conflict",
    description: "`concurrency`, `lock`, `lease` and `wait` that cannot work together, or any of them without the switchman wrapper.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "`concurrency` says what a run does while another run of the job holds its lock: `forbid` (the default) skips it, `allow` takes no lock (as `lock: no`), " +
        "`replace` stops the running one and then runs. `lock: no` is `concurrency: allow`, so it contradicts `forbid` and `replace` (and `lock: yes` contradicts `allow`). " +
        "`wait` is the longest a run waits for its lock or its leases before it gives up (recorded as a skip); with `allow` and no `lease` there is nothing to wait for. " +
        "switchman does all of this, so config `switchman: false` (no wrapper on the cron line) cannot take any of these keys.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lock: no\n    concurrency: replace\n    wait: 10m\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    concurrency: replace\n    wait: 10m\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const { concurrency, lock, lease, wait } = facts.values;
      const wrapperKeys = [concurrency, lease, wait].filter((entry): entry is RawEntry => entry !== undefined);
      if (context.config.switchman === false) {
        for (const entry of wrapperKeys) {
          report(atValue(facts, entry, `${entry.key} needs the switchman wrapper, but config "switchman" is false: remove ${entry.key} or turn switchman on`));
        }
        continue;
      }
      if (concurrency !== undefined && lock !== undefined && facts.concurrency !== undefined) {
        if (lock.value === "no" && facts.concurrency !== "allow") {
          report(atValue(facts, concurrency, `concurrency "${facts.concurrency}" needs the lock, but "lock: no" drops it: remove "lock: no" (or write concurrency: allow to run without a lock)`));
        } else if (lock.value === "yes" && facts.concurrency === "allow") {
          report(atValue(facts, concurrency, 'concurrency "allow" takes no lock, but "lock: yes" asks for one: remove "lock: yes"'));
        }
      }
      if (wait !== undefined && facts.concurrency === "allow" && !hasLease(facts)) {
        const why = concurrency !== undefined ? "concurrency: allow" : '"lock: no"';
        report(atValue(facts, wait, `wait has nothing to wait for: with ${why} the job takes no lock, and it has no lease; remove wait (or add a lease)`));
      }
    }
  },
};

function hasLease(facts: SectionFacts): boolean {
  return facts.leases.some((item) => item.text !== "");
}
