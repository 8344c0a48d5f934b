// The classifier against a simulated year (issue 18): for each job, a fleet of cron starts at
// Debian cron's slots (Europe/Berlin and America/New_York, both DST changes, AND/OR day rules,
// @yearly, */7 minutes, names), with planted misses, late starts, failures, hangs, overruns and
// lock skips. Two views:
// - the whole history: every planted problem's slot in the right class, every other slot ok;
// - a simulated clock walking the year with only what ZooKeeper's fleet record holds at each
//   instant (folded with switchman's own withStart/withFinish): the job's class then, and zero
//   alerts wherever nothing was planted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCronTime } from "../../src/cron/parse.js";
import { classify, slotsBetween, type ClassifyJob, type ObservedRun, type ObservedSkip, type SlotClass } from "../../src/monitor/classify.js";
import { observationsOfFleetRecord } from "../../src/monitor/observe.js";
import { emptyFleetRecord, withFinish, withStart, type FleetRecord, type Outcome } from "../../src/switchman/records/record.js";

const YEAR_START = Date.UTC(2024, 11, 31, 12);
const YEAR_END = Date.UTC(2025, 11, 31, 23);
const MIN = 60_000;
const HOSTS = ["a.example", "b.example", "c.example"];

type Plant = "miss" | "late" | "failure" | "hang" | "overrun" | "lockskip";

interface Spec {
  name: string;
  time: string;
  zone: string;
  grace_s: number;
  timeout_s?: number;
  alert_after?: number;
  plants: Plant[];
}

const SPECS: Spec[] = [
  { name: "every 7 minutes, Berlin", time: "*/7 * * * *", zone: "Europe/Berlin", grace_s: 120, plants: ["miss", "late", "failure", "overrun", "lockskip", "miss", "late", "failure"] },
  { name: "02:00 and 02:30, Berlin (both in the spring gap)", time: "0,30 2 * * *", zone: "Europe/Berlin", grace_s: 300, plants: ["miss", "late", "failure"] },
  { name: "hourly with a timeout, New York", time: "5 * * * *", zone: "America/New_York", grace_s: 300, timeout_s: 5400, plants: ["hang", "miss", "failure", "overrun", "lockskip"] },
  { name: "AND: every other day-of-month and Sunday, New York", time: "0 0 */2 * sun", zone: "America/New_York", grace_s: 300, plants: ["miss", "late"] },
  { name: "OR: the 1st, the 15th and Fridays, New York", time: "0 12 1,15 * fri", zone: "America/New_York", grace_s: 300, alert_after: 2, plants: ["failure", "miss"] },
  { name: "names: weekdays of January to March, 01:30 New York (in the fall-back hour too)", time: "30 1 * jan-mar,nov mon-fri", zone: "America/New_York", grace_s: 300, plants: ["late", "miss"] },
  { name: "wildcard over the DST hours, Berlin", time: "*/20 2 * * *", zone: "Europe/Berlin", grace_s: 120, plants: ["miss", "failure"] },
  { name: "@yearly, Berlin (clean)", time: "@yearly", zone: "Europe/Berlin", grace_s: 300, plants: [] },
  { name: "@yearly, New York (missed)", time: "@yearly", zone: "America/New_York", grace_s: 300, plants: ["miss"] },
  { name: "daily, Berlin (clean)", time: "15 3 * * *", zone: "Europe/Berlin", grace_s: 300, plants: [] },
];

/** mulberry32: a seeded generator, so the history is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface History {
  job: ClassifyJob;
  slots: number[];
  runs: ObservedRun[];
  skips: ObservedSkip[];
  /** Slot → the class the planted problem must give it (absent: ok). */
  expected: Map<number, SlotClass>;
  /** Hung runs: [start, end). */
  hangs: Array<[number, number]>;
  /** Slot → its run. */
  runOf: Map<number, ObservedRun>;
}

function history(spec: Spec, seed: number): History {
  const rnd = random(seed);
  const parsed = parseCronTime(spec.time).time;
  assert.ok(parsed, spec.time);
  const job: ClassifyJob = { time: parsed, zone: spec.zone, lock: true, grace_s: spec.grace_s, alert_after: spec.alert_after ?? 1 };
  if (spec.timeout_s !== undefined) job.timeout_s = spec.timeout_s;
  const slots = slotsBetween(parsed, spec.zone, YEAR_START, YEAR_END);
  const gap = (i: number): number => (slots[i + 1] ?? YEAR_END) - (slots[i] as number);
  // Plants on distinct slots, spaced apart, away from the ends.
  const planted = new Map<number, Plant>();
  spec.plants.forEach((plant, n) => {
    const base = Math.floor(((n + 1) * slots.length) / (spec.plants.length + 1));
    let index = Math.max(0, Math.min(slots.length - 3, base));
    while (planted.has(index) || planted.has(index - 1) || planted.has(index + 1) || planted.has(index + 2)) index++;
    planted.set(index, plant);
  });
  const runs: ObservedRun[] = [];
  const skips: ObservedSkip[] = [];
  const expected = new Map<number, SlotClass>();
  const hangs: Array<[number, number]> = [];
  const runOf = new Map<number, ObservedRun>();
  let busyUntil = 0;
  for (let i = 0; i < slots.length; i++) {
    const at = slots[i] as number;
    const host = HOSTS[Math.floor(rnd() * HOSTS.length)] as string;
    const plant = planted.get(i);
    // cron on the other hosts starts too: they find the lock taken or are not in the group; their
    // skips are not-in-group and do not count.
    if (at < busyUntil) continue; // the previous (planted) run still holds the lock: its own expectations
    const onTime = at + Math.floor(rnd() * 20_000);
    const short = Math.max(1000, Math.floor(Math.min(gap(i) / 3, 10 * MIN) * rnd()));
    let outcome: Outcome = "success";
    let start = onTime;
    let end = onTime + short;
    switch (plant) {
      case "miss":
        expected.set(at, "missed");
        continue;
      case "lockskip":
        // Another run (not in these records: an older build's cron.d file, say) held the lock.
        skips.push({ at: at + 1000, reason: "lock-held", host });
        expected.set(at, "skipped: still running");
        continue;
      case "late":
        start = at + spec.grace_s * 1000 + Math.floor((gap(i) - spec.grace_s * 1000) / 2);
        end = start + Math.min(short, Math.floor(((slots[i + 1] ?? YEAR_END) - start) / 2));
        expected.set(at, "late");
        break;
      case "failure":
        outcome = "failure";
        expected.set(at, "failed");
        break;
      case "overrun": {
        // Runs past the next slot: that one is skipped (lock held), and it ends before the one after.
        end = (slots[i + 1] as number) + Math.floor(((slots[i + 2] as number) - (slots[i + 1] as number)) / 4);
        expected.set(slots[i + 1] as number, "skipped: still running");
        busyUntil = end;
        break;
      }
      case "hang": {
        // Hangs past its timeout (switchman's kill did not work): ends, killed, two slots later.
        end = (slots[i + 2] as number) + 1000;
        outcome = "timeout";
        expected.set(at, "failed");
        expected.set(slots[i + 1] as number, "skipped: still running");
        expected.set(slots[i + 2] as number, "skipped: still running");
        hangs.push([start, end]);
        busyUntil = end;
        break;
      }
      default:
    }
    const run = { start, end, host, outcome };
    runs.push(run);
    runOf.set(at, run);
  }
  return { job, slots, runs, skips, expected, hangs, runOf };
}

const histories = SPECS.map((spec, n) => ({ spec, h: history(spec, 1000 + n) }));

describe("the classifier over a simulated year", () => {
  it("Debian cron's slots: DST in both zones, AND/OR days, names, @yearly, */7", () => {
    const byName = new Map(histories.map(({ spec, h }) => [spec.time + spec.zone, h.slots]));
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    // Berlin's spring-forward night: 02:00 and 02:30 do not exist; cron runs both at 03:00 CEST, one slot.
    const gap = (byName.get("0,30 2 * * *Europe/Berlin") ?? []).filter((at) => iso(at).startsWith("2025-03-30"));
    assert.deepEqual(gap.map(iso), ["2025-03-30T01:00"]);
    // Berlin's fall-back night: the fixed-time job runs once in the repeated hour.
    const back = (byName.get("0,30 2 * * *Europe/Berlin") ?? []).filter((at) => iso(at).startsWith("2025-10-26"));
    assert.deepEqual(back.map(iso), ["2025-10-26T00:00", "2025-10-26T00:30"]);
    // A wildcard minute job runs in both copies of the repeated hour.
    const wild = (byName.get("*/20 2 * * *Europe/Berlin") ?? []).filter((at) => iso(at).startsWith("2025-10-26"));
    assert.deepEqual(wild.map(iso), ["2025-10-26T00:00", "2025-10-26T00:20", "2025-10-26T00:40", "2025-10-26T01:00", "2025-10-26T01:20", "2025-10-26T01:40"]);
    // New York's 01:30 on the fall-back Monday... is a Sunday (Nov 2): the next weekday is normal.
    assert.ok((byName.get("30 1 * jan-mar,nov mon-fri" + "America/New_York") ?? []).some((at) => iso(at) === "2025-11-03T06:30"));
    // AND: */2 starts with *, so the day must be odd AND a Sunday.
    const and = byName.get("0 0 */2 * sunAmerica/New_York") ?? [];
    assert.ok(and.length > 20 && and.length < 40, String(and.length));
    // OR: the 1st, the 15th, or a Friday.
    const or = byName.get("0 12 1,15 * friAmerica/New_York") ?? [];
    assert.ok(or.length > 70, String(or.length));
    assert.deepEqual((byName.get("@yearlyEurope/Berlin") ?? []).map(iso), ["2024-12-31T23:00"]);
    // */7: minutes 0, 7, …, 56 of every hour, 9 an hour.
    assert.ok(Math.abs((byName.get("*/7 * * * *Europe/Berlin") ?? []).length - 365 * 24 * 9) < 200);
  });

  it("the whole history: every planted problem in its class, every other slot ok", () => {
    for (const { spec, h } of histories) {
      const result = classify({ job: h.job, runs: h.runs, skips: h.skips, since: YEAR_START, now: YEAR_END - 1, eligibleHosts: 3 });
      const got = new Map(result.slots.map((s) => [s.at, s.class]));
      assert.equal(result.slots.length, h.slots.length, spec.name);
      const wrong = h.slots.filter((at) => got.get(at) !== (h.expected.get(at) ?? "ok"));
      assert.deepEqual(wrong.map((at) => `${new Date(at).toISOString()} ${got.get(at)}, not ${h.expected.get(at) ?? "ok"}`), [], spec.name);
      const problems = result.slots.filter((s) => s.class !== "ok").length;
      assert.equal(problems, h.expected.size, spec.name);
      assert.ok(spec.plants.length === 0 || problems > 0);
    }
  });

  it("a simulated clock with only ZooKeeper's fleet record: each problem reported while it is current, and zero alerts elsewhere", () => {
    let checks = 0;
    let alerts = 0;
    for (const { spec, h } of histories) {
      // Events in time order; the fleet record folded as switchman writes it.
      type Event = { at: number; apply: (r: FleetRecord) => FleetRecord };
      const events: Event[] = [];
      h.runs.forEach((run, n) => {
        const id = n.toString(16).padStart(16, "0");
        events.push({ at: run.start, apply: (r) => withStart(r, { at: new Date(run.start).toISOString(), host: run.host, pid: 100, run: id, user: "root" }) });
        const outcome = run.outcome ?? "success";
        events.push({
          at: run.end ?? Infinity,
          apply: (r) =>
            withFinish(r, {
              at: new Date(run.end as number).toISOString(), host: run.host, pid: 100, run: id, outcome, status: outcome === "success" ? 0 : outcome === "timeout" ? 124 : 1,
              exit: outcome === "failure" ? 1 : outcome === "success" ? 0 : null, signal: null, wall_s: ((run.end as number) - run.start) / 1000, user_s: 0, sys_s: 0, maxrss_kib: 1000, killed: false,
            }),
        });
      });
      events.sort((a, b) => a.at - b.at);
      // The clock: one second before each slot's successor (the slot is decided then), for every
      // slot of the sparse jobs and every 50th of the */7 one (all planted ones included), and
      // in the middle of every hang.
      const instants: Array<{ at: number; want: SlotClass | "running too long"; slot?: number }> = [];
      h.slots.forEach((at, i) => {
        const following = h.slots[i + 1];
        if (following === undefined) return;
        if (h.slots.length > 2000 && i % (h.slots.length > 10_000 ? 50 : 5) !== 0 && !h.expected.has(at)) return;
        instants.push({ at: following - 1000, want: h.expected.get(at) ?? "ok", slot: at });
      });
      for (const [start] of h.hangs) instants.push({ at: start + ((h.job.timeout_s ?? 0) + 120) * 1000, want: "running too long" });
      instants.sort((a, b) => a.at - b.at);
      let record = emptyFleetRecord();
      let e = 0;
      for (const instant of instants) {
        while (e < events.length && (events[e] as Event).at <= instant.at) record = (events[e++] as Event).apply(record);
        const view = observationsOfFleetRecord(record);
        // The hosts' own records count their lock-held skips (the fleet record has none: no write on a skip).
        const result = classify({ job: h.job, ...view, skips: h.skips, since: YEAR_START, now: instant.at, eligibleHosts: 3 });
        checks++;
        const insideHang = h.hangs.some(([s, end]) => instant.at > s && instant.at < end);
        let want: string = instant.want;
        // A slot whose run is still going (an overrun, a hang before its timeout) is "running" now.
        const run = instant.slot === undefined ? undefined : h.runOf.get(instant.slot);
        if (run !== undefined && run.start <= instant.at && (run.end ?? Infinity) > instant.at) want = "running";
        // Past the timeout of a hung run, the job is running too long whatever its slots say.
        if (insideHang && instant.at > (h.hangs.find(([s]) => instant.at > s)?.[0] ?? 0) + ((h.job.timeout_s ?? 0) + 60) * 1000) want = "running too long";
        assert.equal(result.class, want, `${spec.name} at ${new Date(instant.at).toISOString()}: ${result.detail}`);
        if (result.severity !== "ok") alerts++;
        if (want === "ok" || want === "running") assert.equal(result.severity, "ok", `${spec.name}: an alert where nothing was planted: ${result.detail}`);
      }
    }
    assert.ok(checks > 4000, String(checks));
    assert.ok(alerts > 10, String(alerts));
  });

  it("failures alert from alert-after consecutive failures on, and a group without hosts is no eligible host", () => {
    const time = parseCronTime("0 * * * *").time;
    assert.ok(time);
    const job: ClassifyJob = { time, zone: "UTC", lock: true, grace_s: 300, alert_after: 2 };
    const t0 = Date.UTC(2025, 5, 1);
    const run = (h: number, outcome: Outcome): ObservedRun => ({ start: t0 + h * 3600_000 + 1000, end: t0 + h * 3600_000 + 5000, host: "a", outcome });
    const one = classify({ job, runs: [run(0, "success"), run(1, "failure")], since: t0, now: t0 + 1.5 * 3600_000 });
    assert.equal(one.class, "failed");
    assert.equal(one.consecutiveFailures, 1);
    assert.equal(one.severity, "ok");
    const two = classify({ job, runs: [run(0, "success"), run(1, "failure"), run(2, "failure")], since: t0, now: t0 + 2.5 * 3600_000 });
    assert.equal(two.consecutiveFailures, 2);
    assert.equal(two.severity, "critical");
    const empty = classify({ job, runs: [run(0, "success")], since: t0, now: t0 + 1.5 * 3600_000, eligibleHosts: 0 });
    assert.equal(empty.class, "no eligible host");
    const never = classify({ job, runs: [], since: t0, now: t0 + 1.5 * 3600_000 });
    assert.equal(never.class, "never ran");
    assert.equal(never.severity, "critical");
    const notYet = classify({ job, runs: [], since: t0 + 60_000, now: t0 + 30 * 60_000 });
    assert.equal(notYet.severity, "ok");
    const reboot = parseCronTime("@reboot").time;
    assert.ok(reboot);
    assert.equal(classify({ job: { ...job, time: reboot }, runs: [run(0, "failure")], since: t0, now: t0 + 3600_000 }).class, "failed");
  });

  it("a job with `wait`: on time up to grace + wait, not missed while it may still be waiting, and a wait-timeout skip is a skip", () => {
    const time = parseCronTime("0 * * * *").time;
    assert.ok(time);
    const t0 = Date.UTC(2025, 5, 1);
    const plain: ClassifyJob = { time, zone: "UTC", lock: true, grace_s: 300, alert_after: 1 };
    const waiting: ClassifyJob = { ...plain, wait_s: 600 };
    const prior: ObservedRun = { start: t0 + 1000, end: t0 + 5000, host: "a", outcome: "success" };
    // Started 12 minutes after the 01:00 slot: it waited for its lock.
    const waited: ObservedRun = { start: t0 + 3600_000 + 12 * 60_000, end: t0 + 3600_000 + 13 * 60_000, host: "a", outcome: "success" };
    const now = t0 + 3600_000 + 20 * 60_000;
    assert.equal(classify({ job: plain, runs: [prior, waited], since: t0, now }).class, "late");
    const onTime = classify({ job: waiting, runs: [prior, waited], since: t0, now });
    assert.equal(onTime.class, "ok");
    // Past grace (5 min) but within grace + wait (15 min) with no start yet: still pending.
    const early = t0 + 3600_000 + 8 * 60_000;
    assert.equal(classify({ job: plain, runs: [prior], since: t0, now: early }).class, "missed");
    assert.equal(classify({ job: waiting, runs: [prior], since: t0, now: early }).slots.at(-1)?.class, "pending");
    const missed = classify({ job: waiting, runs: [prior], since: t0, now: t0 + 3600_000 + 16 * 60_000 });
    assert.equal(missed.class, "missed");
    assert.match(missed.detail, /within grace 300 s \+ wait 600 s/);
    // It gave up at its wait (exit 69): recorded as a wait-timeout skip, a warning, not a miss.
    const gaveUp = classify({
      job: waiting,
      runs: [prior],
      skips: [{ at: t0 + 3600_000 + 600_000, reason: "wait-timeout", host: "a" }],
      since: t0,
      now: t0 + 3600_000 + 20 * 60_000,
    });
    assert.equal(gaveUp.class, "skipped: still running");
    assert.equal(gaveUp.severity, "warning");
    assert.match(gaveUp.detail, /waited 600 s for its lock or leases/);
  });
});
