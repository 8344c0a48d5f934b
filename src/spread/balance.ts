/**
 * Balanced spread (config `spread: "balanced"`): the H minutes and hours of a project's jobs are
 * placed, one job after the other, where the fewest starts already are, given every other job's
 * schedule, instead of where the hash alone puts them. Day-of-month and day-of-week H stay hashed.
 *
 * The load is counted per minute of the day for each weekday: a job adds, to each (weekday,
 * hour, minute) it starts at, the number of days of that weekday it runs on in the 28-year
 * reference span (./calendar.ts), so a daily job weighs seven times a weekly one in its minute.
 * Each job takes the candidate (minute choice × hour choice) with the lowest peak over its own
 * start cells after adding itself, then the lowest load it overlaps, then the one nearest to its
 * hash in candidate order. Jobs are placed heaviest first (most starts), then those with fewer
 * candidates, then by package and lock name: the same job set always gives the same placement,
 * whatever the order of the files, and a change to the set can move any H job.
 */
import type { CronTime } from "../types.js";
import { weekdayRunCounts } from "./calendar.js";
import { fieldChoiceCount, type ItemChoices, pickChoice, type SpreadTime } from "./resolve.js";

const CELLS = 7 * 1440;

/** One job whose H minute or hour may be placed. */
export interface BalanceEntry {
  /** `package NUL lockname`: the last tie-break of the placing order. */
  key: string;
  /** The job's time resolved by hash alone. */
  spread: SpreadTime;
  /** The hash-resolved time (parsed). */
  time: CronTime;
  /**
   * Values of the plain (non-H) items of the minute and hour fields, for fields that mix them
   * with H items (`H,30`); empty for a field of H items only.
   */
  plainValues: [number[], number[]];
}

/** Where balancing put one job: the numbers to resolve its minute and hour with. */
export interface Placement {
  minute: number;
  hour: number;
}

/** The load of the jobs that are not balanced (and of those already placed). */
export class Load {
  readonly cells = new Float64Array(CELLS);

  /** Adds the starts of `time`. */
  add(time: CronTime, minutes: readonly number[] = time.minutes, hours: readonly number[] = time.hours): void {
    const counts = weekdayRunCounts(time);
    counts.forEach((count, dow) => {
      if (count === 0) return;
      for (const h of hours) for (const m of minutes) this.cells[dow * 1440 + h * 60 + m] = (this.cells[dow * 1440 + h * 60 + m] ?? 0) + count;
    });
  }

  /** The busiest cell: most starts in one minute of one weekday, as counted. */
  peak(): number {
    let max = 0;
    for (const v of this.cells) if (v > max) max = v;
    return max;
  }
}

function valuesOf(items: readonly ItemChoices[], field: number, choice: number, plain: readonly number[]): number[] {
  const values = new Set(plain);
  for (const i of items) {
    if (i.item.field !== field) continue;
    for (const v of pickChoice(i, choice)?.values ?? []) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

interface Prepared {
  entry: BalanceEntry;
  counts: number[];
  minuteChoices: number;
  hourChoices: number;
  weight: number;
}

/** Places every entry (in a deterministic order) on top of `load`; returns one placement per entry, by index. */
export function balance(entries: readonly BalanceEntry[], load: Load): Placement[] {
  const prepared: Prepared[] = entries.map((entry) => {
    const counts = weekdayRunCounts(entry.time);
    const days = counts.reduce((a, b) => a + b, 0);
    return {
      entry,
      counts,
      minuteChoices: fieldChoiceCount(entry.spread.items, 0),
      hourChoices: fieldChoiceCount(entry.spread.items, 1),
      weight: days * entry.time.minutes.length * entry.time.hours.length,
    };
  });
  const order = prepared.map((_, i) => i).sort((a, b) => {
    const x = prepared[a];
    const y = prepared[b];
    if (x === undefined || y === undefined) return 0;
    if (x.weight !== y.weight) return y.weight - x.weight;
    const cx = x.minuteChoices * x.hourChoices;
    const cy = y.minuteChoices * y.hourChoices;
    if (cx !== cy) return cx - cy;
    return x.entry.key < y.entry.key ? -1 : x.entry.key > y.entry.key ? 1 : 0;
  });
  const placements: Placement[] = entries.map((e) => ({ minute: e.spread.numbers[0] ?? 0, hour: e.spread.numbers[1] ?? 0 }));
  for (const index of order) {
    const p = prepared[index];
    if (p === undefined) continue;
    const placement = place(p, load);
    placements[index] = placement;
    const items = p.entry.spread.items;
    load.add(p.entry.time, valuesOf(items, 0, placement.minute, p.entry.plainValues[0]), valuesOf(items, 1, placement.hour, p.entry.plainValues[1]));
  }
  return placements;
}

/** True when choice `c` of a field is allowed for each of its items (not a DST hour). */
function allowed(items: readonly ItemChoices[], field: number, c: number): boolean {
  return items.every((i) => i.item.field !== field || i.choices[c % i.choices.length]?.allowed === true);
}

function place(p: Prepared, load: Load): Placement {
  const { entry, counts, minuteChoices, hourChoices } = p;
  const items = entry.spread.items;
  const hashMinute = (entry.spread.numbers[0] ?? 0) % minuteChoices;
  const hashHour = (entry.spread.numbers[1] ?? 0) % hourChoices;
  // Without an H minute or hour the field keeps its hashed choice (index 0 of a 1-choice field).
  const minuteSets = Array.from({ length: minuteChoices }, (_, c) => valuesOf(items, 0, c, entry.plainValues[0]));
  const hourSets = Array.from({ length: hourChoices }, (_, c) => valuesOf(items, 1, c, entry.plainValues[1]));
  const fixedMinutes = minuteChoices === 1 && !items.some((i) => i.item.field === 0) ? entry.time.minutes : undefined;
  const fixedHours = hourChoices === 1 && !items.some((i) => i.item.field === 1) ? entry.time.hours : undefined;
  const days = counts.map((count, dow) => ({ count, base: dow * 1440 })).filter((d) => d.count > 0);
  let best: { placement: Placement; peak: number; overlap: number } | undefined;
  for (let i = 0; i < hourChoices; i++) {
    const hour = (hashHour + i) % hourChoices;
    if (!allowed(items, 1, hour)) continue;
    const hours = fixedHours ?? hourSets[hour] ?? [];
    for (let j = 0; j < minuteChoices; j++) {
      const minute = (hashMinute + j) % minuteChoices;
      const minutes = fixedMinutes ?? minuteSets[minute] ?? [];
      let peak = 0;
      let overlap = 0;
      for (const d of days) {
        for (const h of hours) {
          const row = d.base + h * 60;
          for (const m of minutes) {
            const current = load.cells[row + m] ?? 0;
            if (current + d.count > peak) peak = current + d.count;
            overlap += current * d.count;
          }
        }
      }
      if (best === undefined || peak < best.peak || (peak === best.peak && overlap < best.overlap)) {
        best = { placement: { minute, hour }, peak, overlap };
      }
    }
  }
  return best?.placement ?? { minute: hashMinute, hour: hashHour };
}
