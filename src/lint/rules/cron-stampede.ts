import type { SectionFacts } from "../../jobs/analyse.js";
import { type Crowd, crowdWhen, findCrowds } from "../../spread/stampede.js";
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
      if (crowds.size === 0) continue;
      // A random tree can put thousands of jobs into a few hundred crowds: everything that
      // depends on the crowd only (its words, the jobs it names, whether anyone can move) is
      // built once per crowd, and the suggestions once per time text.
      const suggestionOf = (index: number): string | undefined => {
        const s = sections[index];
        return s !== undefined && s.spread === undefined && s.timeText !== undefined ? hashFormOf(s.timeText) : undefined;
      };
      const movable = new Map<readonly number[], boolean>();
      const reportedCrowds = new Set<readonly number[]>();
      const messages = new Map<Crowd, Map<number, CrowdMessage>>();
      for (let index = 0; index < sections.length; index++) {
        const crowd = crowds.get(index);
        if (crowd === undefined) continue;
        const facts = sections[index];
        const entry = facts?.values.time;
        if (facts === undefined || entry === undefined) continue;
        const suggestion = suggestionOf(index);
        let anyMovable = movable.get(crowd.members);
        if (anyMovable === undefined) movable.set(crowd.members, (anyMovable = crowd.members.some((m) => suggestionOf(m) !== undefined)));
        const someoneCanMove = suggestion !== undefined || anyMovable;
        // Jobs that cannot take an H minute are named in the others' messages; if nobody in the
        // crowd can, the first member reports it once.
        if (suggestion === undefined && (someoneCanMove || reportedCrowds.has(crowd.members) || crowd.members[0] !== index)) continue;
        reportedCrowds.add(crowd.members);
        // The head names the first NAMED other members: it differs only for the jobs among them.
        const variant = crowd.members.slice(0, NAMED).includes(index) ? index : -1;
        let variants = messages.get(crowd);
        if (variants === undefined) messages.set(crowd, (variants = new Map()));
        let message = variants.get(variant);
        if (message === undefined) variants.set(variant, (message = { head: crowdHead(pkg, crowd, index, sections, threshold), full: new Map() }));
        const fix = suggestion !== undefined
          ? `; write "${suggestion}" to spread this job's minute by a hash of its package and lock name (docs/spread.md)`
          : facts.spread !== undefined
            ? `; their H minutes collide by chance: set "spread": "balanced" in the config to place them apart`
            : `; none of them can take an H minute (every-minute jobs or ranges): spread the others, or raise stampedeThreshold`;
        let text = message.full.get(fix);
        if (text === undefined) message.full.set(fix, (text = `${message.head}${fix}`));
        report(atValue(facts, entry, text));
      }
    }
  },
};

/** A crowd's message head for some of its jobs, and the whole messages made from it, by fix. */
interface CrowdMessage {
  head: string;
  full: Map<string, string>;
}

/** The message head for job `index` of `crowd`: the count, when, and the first NAMED other members. */
function crowdHead(pkg: string, crowd: Crowd, index: number, sections: readonly SectionFacts[], threshold: number): string {
  const others: string[] = [];
  for (const m of crowd.members) {
    const other = sections[m];
    if (m !== index && other !== undefined && others.push(name(other)) === NAMED) break;
  }
  const rest = crowd.members.length - 1 - others.length;
  const named = others.join(", ") + (rest > 0 ? ` and ${rest} more` : "");
  return `${crowd.count} jobs of package ${pkg} start ${crowdWhen(crowd)} (stampedeThreshold ${threshold}): this one and ${named}`;
}

/** Distinct time texts whose suggestion is remembered at most. */
const MAX_SUGGESTIONS = 4096;
const suggestionsByText = new Map<string, string | undefined>();

/** suggestHashForm, once per distinct text (it is pure). */
function hashFormOf(text: string): string | undefined {
  if (suggestionsByText.has(text)) return suggestionsByText.get(text);
  if (suggestionsByText.size >= MAX_SUGGESTIONS) suggestionsByText.clear();
  const suggestion = suggestHashForm(text);
  suggestionsByText.set(text, suggestion);
  return suggestion;
}
