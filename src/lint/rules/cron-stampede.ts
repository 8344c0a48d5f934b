import type { SectionFacts } from "../../jobs/analyse.js";
import { crowdWhen, findCrowds } from "../../spread/stampede.js";
import { suggestHashForm } from "../../spread/suggest.js";
import { atValue, type Rule } from "../rule.js";

/** Crowd members named in one message at most. */
const NAMED = 8;

function name(facts: SectionFacts): string {
  return `${facts.file}:${facts.section.pos.line}`;
}

export const cronStampede: Rule = {
  meta: {
    id: "cron-stampede",
    description: "More jobs of one package than config `stampedeThreshold` start in the same minute.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "Jobs written for `0 * * * *`, `*/5 * * * *` or `@daily` all start at the same second on every host of their group, so a package's jobs pile up at :00 and hit the same database, disk and ZooKeeper together. The rule counts, per package and minute, the jobs that start in it (over every combination of date and weekday, with Debian's day rule), and warns on each job of a minute where more than `stampedeThreshold` (default 5) start, naming the minute, the days and the other jobs. The message suggests the `H` form of the job's time, which keeps its hours and days and moves only its minute, by a hash of its package and lock name (docs/spread.md); `spread: \"balanced\"` in the config then also evens out hash collisions. Every-minute jobs are counted but cannot be spread.",
      bad: "# six scripts of one package, each:\n<crontab>\n    package: my-project-scripts1\n    time: 0 * * * *\n</crontab>",
      good: "# six scripts of one package, each:\n<crontab>\n    package: my-project-scripts1\n    time: H * * * *\n</crontab>",
    },
  },
  check(context, report) {
    const threshold = context.config.stampedeThreshold;
    const byPackage = new Map<string, SectionFacts[]>();
    for (const facts of context.sections) {
      if (facts.time?.time === undefined || facts.package === undefined) continue;
      const list = byPackage.get(facts.package);
      if (list === undefined) byPackage.set(facts.package, [facts]);
      else list.push(facts);
    }
    for (const [pkg, sections] of byPackage) {
      const crowds = findCrowds(sections.map((s) => s.time?.time).filter((t) => t !== undefined), threshold);
      const reportedCrowds = new Set<readonly number[]>();
      const suggestions = sections.map((s) => (s.spread === undefined && s.timeText !== undefined ? suggestHashForm(s.timeText) : undefined));
      for (const [index, crowd] of [...crowds].sort((a, b) => a[0] - b[0])) {
        const facts = sections[index];
        const entry = facts?.values.time;
        if (facts === undefined || entry === undefined) continue;
        const suggestion = suggestions[index];
        const someoneCanMove = suggestion !== undefined || crowd.members.some((m) => suggestions[m] !== undefined);
        // Jobs that cannot take an H minute are named in the others' messages; if nobody in the
        // crowd can, the first member reports it once.
        if (suggestion === undefined && (someoneCanMove || reportedCrowds.has(crowd.members) || crowd.members[0] !== index)) continue;
        reportedCrowds.add(crowd.members);
        const others: string[] = [];
        for (const m of crowd.members) {
          const other = sections[m];
          if (m !== index && other !== undefined && others.push(name(other)) === NAMED) break;
        }
        const rest = crowd.members.length - 1 - others.length;
        const named = others.join(", ") + (rest > 0 ? ` and ${rest} more` : "");
        const head = `${crowd.count} jobs of package ${pkg} start ${crowdWhen(crowd)} ` +
          `(stampedeThreshold ${threshold}): this one and ${named}`;
        const fix = suggestion !== undefined
          ? `; write "${suggestion}" to spread this job's minute by a hash of its package and lock name (docs/spread.md)`
          : facts.spread !== undefined
            ? `; their H minutes collide by chance: set "spread": "balanced" in the config to place them apart`
            : `; none of them can take an H minute (every-minute jobs or ranges): spread the others, or raise stampedeThreshold`;
        report(atValue(facts, entry, `${head}${fix}`));
      }
    }
  },
};
