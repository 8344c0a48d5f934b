/**
 * Where H forms plug into job analysis: a section's `time` with H forms is resolved by the hash
 * of its package and lock name (src/spread/resolve.ts) in analyseSection, and with config
 * `spread: "balanced"` the H minutes and hours of all sections are then placed together
 * (src/spread/balance.ts). Either way the facts end up with a plain Debian time, parsed by
 * src/cron/parse.ts, and with the H text it came from.
 */
import type { Config } from "../config/schema.js";
import { balance, Load, type BalanceEntry } from "../spread/balance.js";
import { spreadTime, type SpreadTime, type TimeParser } from "../spread/resolve.js";
import type { CronTime, CronTimeResult, Job, TimeSource } from "../types.js";

/** How a section's H forms were resolved. */
export interface SectionSpread {
  /** The resolution by hash alone. */
  hashed: SpreadTime;
  /** The resolution in use: `hashed`, or the balanced placement. */
  final: SpreadTime;
  by: TimeSource["by"];
}

/** What spread needs of a section's facts (kept narrow so analyse.ts and this module stay apart). */
export interface SpreadFacts {
  package?: string;
  lockname: string;
  user: string;
  command: string;
  time?: CronTimeResult;
  cronLine?: string;
  spread?: SectionSpread;
  values: { time?: { value: string } };
}

/** The hash resolution of one time text, or undefined when it has no H form. */
export function hashSpread(text: string, identity: { package: string; lockname: string }, config: Config, parse: TimeParser): SectionSpread | undefined {
  const hashed = spreadTime(text, identity, zoneOf(config), parse);
  return hashed === undefined ? undefined : { hashed, final: hashed, by: "hash" };
}

function zoneOf(config: Config): { zone?: string } {
  return config.timezone === undefined ? {} : { zone: config.timezone };
}

/** The job's TimeSource, when its time had H forms and resolved. */
export function timeSourceOf(spread: SectionSpread | undefined): TimeSource | undefined {
  if (spread?.final.resolved === undefined || spread.hashed.resolved === undefined) return undefined;
  return { text: spread.final.source, by: spread.by, hash: spread.hashed.resolved };
}

/**
 * Config `spread: "balanced"`: places the H minutes and hours of every section that resolved
 * cleanly, on top of the load of all other sections, and updates their facts (time, cron line).
 */
export function balanceSections(sections: readonly SpreadFacts[], config: Config, parse: TimeParser): void {
  const load = new Load();
  const entries: BalanceEntry[] = [];
  const owners: SpreadFacts[] = [];
  for (const facts of sections) {
    const time = facts.time?.time;
    if (time === undefined) continue;
    const spread = facts.spread;
    const movable = spread !== undefined && spread.hashed.items.some((i) => i.item.field <= 1 && i.choices.length > 1);
    if (!movable || facts.package === undefined) {
      load.add(time);
      continue;
    }
    entries.push({ key: `${facts.package}\u0000${facts.lockname}`, spread: spread.hashed, time, plainValues: plainValues(spread.hashed, parse) });
    owners.push(facts);
  }
  const placements = balance(entries, load);
  placements.forEach((placement, i) => {
    const facts = owners[i];
    const entry = entries[i];
    const text = facts?.values.time?.value;
    if (facts === undefined || entry === undefined || text === undefined || facts.package === undefined) return;
    const numbers = [...entry.spread.numbers];
    numbers[0] = placement.minute;
    numbers[1] = placement.hour;
    const final = spreadTime(text, { package: facts.package, lockname: facts.lockname }, zoneOf(config), parse, numbers);
    if (final?.result.time === undefined) return; // a placement the hash could also give never fails; keep the hash if it did
    facts.spread = { hashed: entry.spread, final, by: "balanced" };
    facts.time = final.result;
    facts.cronLine = `${final.result.time.text} ${facts.user} ${facts.command}`;
  });
}

/** Values of the plain items of the minute and hour fields, when a field mixes them with H items. */
function plainValues(spread: SpreadTime, parse: TimeParser): [number[], number[]] {
  const result: [number[], number[]] = [[], []];
  for (const field of [0, 1] as const) {
    const span = spread.forms.fields[field];
    if (span === undefined) continue;
    const items = span.text.split(",");
    const plain = items.filter((item) => !item.startsWith("H"));
    if (plain.length === 0) continue;
    // The field with its H items replaced by a plain one parses to exactly the plain values.
    const texts = spread.forms.fields.map((f, i) => (i === field ? plain.join(",") : i <= 1 ? "0" : "*"));
    const parsed: CronTime | undefined = parse(texts.join(" ")).time;
    result[field] = field === 0 ? parsed?.minutes ?? [] : parsed?.hours ?? [];
  }
  return result;
}

/** A job the balanced spread placed elsewhere than its hash would. */
export interface BalancedMove {
  job: Job;
  /** The time the hash alone gives. */
  from: string;
  /** The time in the cron.d file. */
  to: string;
}

/** The jobs whose balanced placement differs from their hash placement, in job order. */
export function balancedMoves(jobs: readonly Job[]): BalancedMove[] {
  return jobs
    .filter((job) => job.timeSource?.by === "balanced" && job.timeSource.hash !== job.time.text)
    .map((job) => ({ job, from: job.timeSource?.hash ?? "", to: job.time.text }));
}
