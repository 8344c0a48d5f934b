import { atValue, type Rule } from "../rule.js";
import { LEASE_RULE, leaseSuggestion } from "../../syntax/lease.js";

export const leaseInvalid: Rule = {
  meta: {
    id: "lease-invalid",
    description: "A `lease` that is not `RESOURCE=COUNT:TOTAL`, whose COUNT or TOTAL is out of range on every host, or that names one resource twice.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "`lease` holds one or more leases separated by commas, each `RESOURCE=COUNT:TOTAL` (docs/lease-grammar.md): switchman holds COUNT of the TOTAL units of RESOURCE while the job runs, " +
        "and waits in a fair queue until they are free. RESOURCE takes `[A-Za-z0-9._-]`, where `FQDN` stands for the host's name (`FQDN_cpu`: a per-host resource). " +
        "COUNT and TOTAL are whole numbers, `CPU` (online CPUs) and `MEMMB` (total memory in MiB) with `+ - * /` (rounding toward zero) and parentheses; " +
        "1 <= COUNT <= TOTAL. What does not depend on the host is checked here; what does (`1:CPU-8`) is checked by switchman on each host. " +
        "One job leases each resource once.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lease: db=5:4, FQDN_mem=4:int(MEMMB/1024)\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lease: db=1:4, FQDN_mem=4:MEMMB/1024\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.lease;
      if (entry === undefined) continue;
      const seen = new Map<string, string>();
      for (const item of facts.leases) {
        if (item.text === "") {
          report(atValue(facts, entry, "lease has an empty item between commas; remove the extra comma", Math.min(item.offset, Math.max(entry.value.length - 1, 0)), 1));
          continue;
        }
        if (item.problem !== undefined) {
          const suggestion = leaseSuggestion(item.text);
          const at = Math.min(item.offset + item.problem.column - 1, entry.value.length - 1);
          report(
            atValue(
              facts,
              entry,
              `lease "${item.text}": ${item.problem.message}${suggestion === undefined ? ` (${LEASE_RULE})` : `; write "${suggestion}"`}`,
              Math.max(at, 0),
              Math.max(item.offset + item.text.length - Math.max(at, 0), 1),
            ),
          );
          continue;
        }
        const resource = item.lease?.resource;
        if (resource === undefined) continue;
        const first = seen.get(resource);
        if (first !== undefined) {
          report(atValue(facts, entry, `lease names resource "${resource}" twice ("${first}" and "${item.text}"); lease it once, with the COUNT the job needs`, item.offset, item.text.length));
        } else {
          seen.set(resource, item.text);
        }
      }
    }
  },
};
