import { atValue, type Rule } from "../rule.js";
import type { SectionFacts } from "../../jobs/analyse.js";
import { constantValue, formatLease, type Lease } from "../../syntax/lease.js";

/** TOTAL as a comparable key: its value when it uses no macro, else its text without blanks. */
function totalKey(lease: Lease): string {
  const value = constantValue(lease.total);
  if (value !== undefined) return String(value);
  const text = formatLease(lease);
  return text.slice(text.indexOf(":", text.indexOf("=")) + 1);
}

export const leaseTotalMismatch: Rule = {
  meta: {
    id: "lease-total-mismatch",
    description: "Two jobs that lease the same resource with different TOTALs.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "TOTAL is the size of a resource, so every job that leases it should say the same TOTAL (COUNT, what one run takes, may differ). " +
        "Jobs that disagree share one semaphore whose size depends on who holds it: switchman then applies the smallest TOTAL among the holders and the newcomer (never more holders than any of them allows), so the larger TOTAL is never reached. " +
        "Write the same TOTAL everywhere (the same expression, or the same number).",
      bad: "# bin/a.sh:\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lease: db=1:4\n</crontab>\n# bin/b.sh:\n<crontab>\n    package: my-project-scripts1\n    time: 0 4 * * *\n    lease: db=2:8\n</crontab>",
      good: "# bin/a.sh:\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lease: db=1:4\n</crontab>\n# bin/b.sh:\n<crontab>\n    package: my-project-scripts1\n    time: 0 4 * * *\n    lease: db=2:4\n</crontab>",
    },
  },
  check(context, report) {
    const first = new Map<string, { facts: SectionFacts; total: string; text: string }>();
    for (const facts of context.sections) {
      const entry = facts.values.lease;
      if (entry === undefined) continue;
      for (const item of facts.leases) {
        if (item.lease === undefined || item.problem !== undefined) continue;
        const total = totalKey(item.lease);
        const seen = first.get(item.lease.resource);
        if (seen === undefined) {
          first.set(item.lease.resource, { facts, total, text: item.text });
        } else if (seen.total !== total) {
          report(
            atValue(
              facts,
              entry,
              `lease "${item.text}" gives resource "${item.lease.resource}" TOTAL ${total}, but the job at ${seen.facts.file}:${seen.facts.section.pos.line} gives it ${seen.total} ("${seen.text}"); write the same TOTAL in both`,
              item.offset,
              item.text.length,
            ),
          );
        }
      }
    }
  },
};
