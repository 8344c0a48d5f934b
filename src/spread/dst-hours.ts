/**
 * The local hours that daylight saving skips or repeats in a zone, so that an `H` hour is not
 * placed in them: a fixed-time job in a skipped hour runs late on the spring day (Debian's cron
 * runs it right after the change) and a job in a repeated hour runs once, not twice, on the
 * autumn day (src/cron/dst.ts) — its expected start then differs from its schedule.
 *
 * The changes are read from the platform's tz database (src/cron/zone.ts) over the fixed span
 * DST_YEARS, never "from now on", so that the same zone gives the same hours on every build.
 */
import { formatInZone, zoneOffsets } from "../cron/zone.js";

/** The years whose offset changes count (inclusive). */
export const DST_YEARS = { from: 2026, to: 2045 } as const;

const MINUTE_MS = 60_000;

/** One local hour that some offset change skips or repeats, with the first such changes. */
export interface DstHour {
  hour: number;
  /** Local date (YYYY-MM-DD) of the first change in DST_YEARS that skips it (clock forward), if any. */
  skipped?: string;
  /** Local date of the first change that repeats it (clock back), if any. */
  repeated?: string;
}

/** What daylight saving does to the hours of one zone. */
export interface ZoneDst {
  zone: string;
  /** Sorted by hour. */
  hours: DstHour[];
}

const cache = new Map<string, ZoneDst>();

/** The hours DST touches in `zone` (a valid IANA name) during DST_YEARS. */
export function dstHours(zone: string): ZoneDst {
  const cached = cache.get(zone);
  if (cached !== undefined) return cached;
  const offsets = zoneOffsets(zone);
  const byHour = new Map<number, DstHour>();
  let after = Date.UTC(DST_YEARS.from, 0, 1) - 1;
  const until = Date.UTC(DST_YEARS.to + 1, 0, 1);
  for (;;) {
    const change = offsets.firstChangeIn(after, until);
    if (change === undefined) break;
    after = change.at;
    // Local wall minutes (as minutes since the epoch) before and after the change.
    const before = change.at / MINUTE_MS + change.before;
    const later = change.at / MINUTE_MS + change.after;
    const kind = later > before ? "skipped" : "repeated";
    const date = formatInZone(change.at, zone).slice(0, 10);
    const [from, to] = later > before ? [before, later] : [later, before];
    // A change of more than 3 hours is a clock correction to cron, not DST (src/cron/dst.ts):
    // every job just runs on the new time. None falls in DST_YEARS today.
    if (to - from > 180) continue;
    for (let minute = Math.floor(from / 60) * 60; minute < to; minute += 60) {
      const hour = (((minute / 60) % 24) + 24) % 24;
      const entry = byHour.get(hour) ?? { hour };
      entry[kind] ??= date;
      byHour.set(hour, entry);
    }
  }
  const result: ZoneDst = { zone, hours: [...byHour.values()].sort((a, b) => a.hour - b.hour) };
  cache.set(zone, result);
  return result;
}

/** The set of DST hours of `zone`, or an empty set without a zone. */
export function dstHourSet(zone: string | undefined): ReadonlySet<number> {
  if (zone === undefined) return new Set();
  return new Set(dstHours(zone).hours.map((h) => h.hour));
}
