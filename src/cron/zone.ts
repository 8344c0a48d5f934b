/**
 * UTC offsets and their changes in an IANA time zone, read from the platform's time-zone
 * database through Intl (Node's ICU data).
 *
 * cron works in whole minutes of local wall-clock time (Debian cron.c, set_time():
 * `clockTime = (StartTime + GMToff) / SECONDS_PER_MINUTE`), so offsets are kept in whole
 * minutes. Historical local-mean-time offsets with seconds are rounded.
 */

const MINUTE_MS = 60_000;
/**
 * Offsets are probed this often; two changes closer than this would be missed. No zone of the
 * tz database has such a pair between 1990 and 2040 (checked with zdump -v over zone1970.tab).
 */
const PROBE_MS = 2 * 86_400_000;

/** A change of the UTC offset: from `at` on, local time is UTC + `after` minutes. */
export interface OffsetChange {
  /** First instant (ms since the epoch, on a minute) with the new offset. */
  at: number;
  /** Offset before the change, in minutes east of UTC. */
  before: number;
  /** Offset from `at` on. */
  after: number;
}

/** True when `name` is a time zone the platform knows (IANA name, `UTC`, `Etc/GMT+5`...). */
export function isValidZone(name: string): boolean {
  if (name.length === 0) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Wall-clock fields of an instant in a zone. `hourCycle: "h23"` keeps midnight at hour 0,
 * and the era tells years before 1 AD apart (year 1 BC is year 0).
 */
function wallClock(format: Intl.DateTimeFormat, ms: number): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of format.formatToParts(ms)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  const year = fields.era === "BC" || fields.era === "B" ? 1 - yearOfEra : yearOfEra;
  const wall = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  wall.setUTCFullYear(year, Number(fields.month) - 1, Number(fields.day));
  wall.setUTCHours(Number(fields.hour) % 24, Number(fields.minute), Number(fields.second), 0);
  return wall.getTime();
}

/** The machine's time zone as Node sees it (TZ, else /etc/localtime): the zone cron itself runs in. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Offsets of one zone, with the offset changes cached per UTC year. */
export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, OffsetChange[]>();

  constructor(readonly name: string) {
    if (!isValidZone(name)) throw new Error(`unknown time zone ${name}`);
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** Offset in whole minutes east of UTC at `ms`: local wall clock minus UTC, both in whole seconds. */
  offsetAt(ms: number): number {
    const second = ms - (((ms % 1000) + 1000) % 1000);
    return Math.round((wallClock(this.format, second) - second) / MINUTE_MS);
  }

  /** The first offset change in the interval (`after`, `until`], if any. */
  firstChangeIn(after: number, until: number): OffsetChange | undefined {
    const lastYear = new Date(until).getUTCFullYear();
    for (let year = new Date(after).getUTCFullYear(); year <= lastYear; year++) {
      for (const change of this.changesInYear(year)) {
        if (change.at > after && change.at <= until) return change;
        if (change.at > until) return undefined;
      }
    }
    return undefined;
  }

  private changesInYear(year: number): OffsetChange[] {
    const cached = this.years.get(year);
    if (cached !== undefined) return cached;
    const changes: OffsetChange[] = [];
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    let previous = start - MINUTE_MS;
    let previousOffset = this.offsetAt(previous);
    for (let probe = start; ; probe += PROBE_MS) {
      const at = Math.min(probe, end);
      const offset = this.offsetAt(at);
      if (offset !== previousOffset) changes.push(this.locateChange(previous, at, previousOffset, offset));
      previous = at;
      previousOffset = offset;
      if (at === end) break;
    }
    const inYear = changes.filter((c) => c.at >= start && c.at < end);
    this.years.set(year, inYear);
    return inYear;
  }

  /** Binary search, to the minute, for the change between `low` (old offset) and `high` (new). */
  private locateChange(low: number, high: number, before: number, after: number): OffsetChange {
    // Probes sit on whole minutes. Invariant: minute lo has the old offset, minute hi the new one.
    let lo = low / MINUTE_MS;
    let hi = high / MINUTE_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offsetAt(mid * MINUTE_MS) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi * MINUTE_MS, before, after };
  }
}

const cache = new Map<string, ZoneOffsets>();

/** A shared ZoneOffsets for `name` (throws on an unknown zone: validate user input first). */
export function zoneOffsets(name: string): ZoneOffsets {
  let zone = cache.get(name);
  if (zone === undefined) {
    zone = new ZoneOffsets(name);
    cache.set(name, zone);
  }
  return zone;
}

/** `ms` as an ISO 8601 local time with its UTC offset in `zone`: `2026-03-29T03:00:00+02:00`. */
export function formatInZone(ms: number, zone: string): string {
  const offset = zoneOffsets(zone).offsetAt(ms);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${wall}${sign}${hh}:${mm}`;
}
