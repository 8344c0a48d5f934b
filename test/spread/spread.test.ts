// H forms: the resolution table (exact outputs, each one a time Debian's grammar accepts without
// a word), malformed forms (a cron-time-invalid error at the item's column whose replacement is
// itself valid), the daylight-saving placement in several zones, and what the hash depends on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCronTime } from "../../src/cron/parse.js";
import { nextRuns } from "../../src/cron/next.js";
import { dstHours } from "../../src/spread/dst-hours.js";
import { findHashForms } from "../../src/spread/forms.js";
import { spreadTime } from "../../src/spread/resolve.js";
import { suggestHashForm } from "../../src/spread/suggest.js";
import { MALFORMED, RESOLUTIONS } from "./h-table.js";

const id = (pkg: string, lockname: string) => ({ package: pkg, lockname });
const zoneOf = (zone: string) => (zone === "" ? {} : { zone });

describe("the H resolution table", () => {
  for (const [input, pkg, lockname, zone, output] of RESOLUTIONS) {
    it(`${JSON.stringify(input)} for ${pkg}/${lockname}${zone === "" ? "" : ` in ${zone}`} is "${output}"`, () => {
      const spread = spreadTime(input, id(pkg, lockname), zoneOf(zone), parseCronTime);
      assert.ok(spread, "has H forms");
      assert.equal(spread.resolved, output);
      assert.equal(spread.source, input.split(/[ \t]+/).join(" "));
      assert.deepEqual(spread.result.problems.filter((p) => p.severity === "error"), []);
      // The output is plain Debian syntax: the grammar alone accepts it, with no warning.
      const plain = parseCronTime(output);
      assert.deepEqual(plain.problems, [], output);
      assert.deepEqual(plain.time, spread.result.time);
      assert.equal(findHashForms(output), undefined, "no H left");
    });
  }

  it("is the same on every call (no state, no randomness)", () => {
    for (const [input, pkg, lockname, zone, output] of RESOLUTIONS) {
      for (let i = 0; i < 3; i++) assert.equal(spreadTime(input, id(pkg, lockname), zoneOf(zone), parseCronTime)?.resolved, output);
    }
  });

  it("depends on the package and the lock name only", () => {
    const a = spreadTime("H H * * *", id("p", "job.sh"), {}, parseCronTime)?.resolved;
    assert.equal(spreadTime("H    H * * *", id("p", "job.sh"), {}, parseCronTime)?.resolved, a, "blanks do not count");
    const renamed = ["job2.sh", "job.sh-x", "Job.sh"].map((l) => spreadTime("H H * * *", id("p", l), {}, parseCronTime)?.resolved);
    const moved = ["q", "p2"].map((p) => spreadTime("H H * * *", id(p, "job.sh"), {}, parseCronTime)?.resolved);
    assert.ok([...renamed, ...moved].some((t) => t !== a), "renaming moves the job");
  });

  it("spreads 1000 identities evenly over the minutes", () => {
    const perMinute = new Array<number>(60).fill(0);
    for (let i = 0; i < 1000; i++) {
      const t = spreadTime("H * * * *", id("pkg", `job-${i}`), {}, parseCronTime)?.result.time;
      const m = t?.minutes[0] ?? -1;
      perMinute[m] = (perMinute[m] ?? 0) + 1;
    }
    // 16.7 a minute on average; a uniform hash stays well inside 5-35.
    assert.ok(Math.min(...perMinute) >= 5 && Math.max(...perMinute) <= 35, perMinute.join(","));
  });
});

describe("malformed H forms", () => {
  for (const [time, offset, length, fix] of MALFORMED) {
    it(`${JSON.stringify(time)}: cron-time-invalid at ${offset}, suggesting "${fix}"`, () => {
      const spread = spreadTime(time, id("p", "x"), {}, parseCronTime);
      assert.ok(spread);
      const errors = spread.result.problems.filter((p) => p.severity === "error");
      assert.equal(spread.result.time, undefined);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      const [error] = errors;
      assert.equal(error?.rule, "cron-time-invalid");
      assert.deepEqual([error?.offset, error?.length], [offset, length]);
      assert.ok(error?.message.includes(`"${fix}"`), error?.message);
      // The replacement is itself valid: with it in place the time resolves without an error.
      const fixed = time.slice(0, offset) + fix + time.slice(offset + length);
      const again = spreadTime(fixed, id("p", "x"), {}, parseCronTime) ?? { result: parseCronTime(fixed) };
      assert.deepEqual(again.result.problems.filter((p) => p.severity === "error"), [], fixed);
    });
  }

  it("still reports the grammar's errors in the other fields, at their columns", () => {
    const spread = spreadTime("H(70-80) 24 * * *", id("p", "x"), {}, parseCronTime);
    assert.deepEqual(spread?.result.problems.map((p) => [p.offset, p.length]), [[0, 8], [9, 2]]);
    const mixed = spreadTime("H,99 * * * *", id("p", "x"), {}, parseCronTime);
    assert.deepEqual(mixed?.result.problems.map((p) => [p.rule, p.offset, p.length]), [["cron-time-invalid", 2, 2]]);
  });

  it("warns (cron-time-once) when the step leaves one value", () => {
    const spread = spreadTime("H/60 * * * *", id("p", "x"), {}, parseCronTime);
    assert.deepEqual(spread?.result.problems.map((p) => [p.rule, p.severity, p.offset]), [["cron-time-once", "warning", 0]]);
    assert.match(spread?.result.problems[0]?.message ?? "", /write "H"/);
  });

  it("maps the grammar's warnings on resolved fields back to the H text", () => {
    const spread = spreadTime("H H H * fri", id("p", "x"), {}, parseCronTime);
    const [dayOr] = spread?.result.problems ?? [];
    assert.equal(dayOr?.rule, "cron-day-or");
    assert.deepEqual([dayOr?.offset, dayOr?.length], [4, 7], "from the H day of month to the end of fri");
    assert.match(dayOr?.message ?? "", /\(H resolved to "\d+ \d+ \d+ \* fri"\)$/);
  });

  it("leaves times without H forms, keywords and other field counts to the grammar", () => {
    for (const text of ["0 3 * * *", "@daily", "H * * *", "0 0 H * * *", "* * * * thu"]) assert.equal(findHashForms(text), undefined, text);
  });
});

describe("H hours and daylight saving", () => {
  const BERLIN_SAMPLE = 500;

  it("knows which hours each zone skips or repeats", () => {
    const hours = (zone: string) => dstHours(zone).hours.map((h) => h.hour);
    assert.deepEqual(hours("Europe/Berlin"), [2]);
    assert.deepEqual(hours("Europe/London"), [1]);
    assert.deepEqual(hours("Europe/Helsinki"), [3]);
    assert.deepEqual(hours("America/New_York"), [1, 2]);
    assert.deepEqual(hours("Australia/Lord_Howe"), [1, 2], "30-minute changes touch two hours");
    assert.deepEqual(hours("America/Santiago"), [0, 23], "changes at midnight");
    assert.deepEqual(hours("UTC"), []);
    assert.deepEqual(hours("Asia/Tokyo"), []);
    assert.deepEqual(dstHours("Europe/Berlin").hours[0], { hour: 2, skipped: "2026-03-29", repeated: "2026-10-25" });
  });

  for (const [zone, avoided] of [["Europe/Berlin", [2]], ["Europe/London", [1]], ["America/New_York", [1, 2]], ["Australia/Lord_Howe", [1, 2]]] as const) {
    it(`never puts an H hour in ${zone}'s DST hours (${avoided.join(", ")}), and runs once a day at it`, () => {
      const used = new Set<number>();
      for (let i = 0; i < BERLIN_SAMPLE; i++) {
        const spread = spreadTime("H H * * *", id("pkg", `job-${i}`), { zone }, parseCronTime);
        const time = spread?.result.time;
        assert.ok(time);
        const hour = time.hours[0] ?? -1;
        assert.ok(!(avoided as readonly number[]).includes(hour), `${spread?.resolved} in ${zone}`);
        used.add(hour);
        assert.deepEqual(spread?.dstWarnings, []);
      }
      assert.equal(used.size, 24 - avoided.length, "every other hour is used");
    });
  }

  it("keeps the hash's hour where DST does not touch it: a zone moves only the jobs in its DST hours", () => {
    let moved = 0;
    for (let i = 0; i < 240; i++) {
      const plain = spreadTime("H H * * *", id("pkg", `job-${i}`), {}, parseCronTime)?.result.time;
      const berlin = spreadTime("H H * * *", id("pkg", `job-${i}`), { zone: "Europe/Berlin" }, parseCronTime)?.result.time;
      assert.equal(berlin?.minutes[0], plain?.minutes[0]);
      if (plain?.hours[0] === 2) {
        moved++;
        assert.equal(berlin?.hours[0], 3, "to the next allowed hour");
      } else assert.equal(berlin?.hours[0], plain?.hours[0]);
    }
    assert.ok(moved > 0);
  });

  it("runs a Berlin H job exactly once a day at its time across both changes of 2026", () => {
    for (let i = 0; i < 40; i++) {
      const time = spreadTime("H H(0-5) * * *", id("pkg", `night-${i}`), { zone: "Europe/Berlin" }, parseCronTime)?.result.time;
      assert.ok(time);
      for (const day of ["2026-03-28T12:00:00Z", "2026-10-24T12:00:00Z"]) {
        const runs = nextRuns(time, new Date(day), 3, "Europe/Berlin");
        const local = (options: Intl.DateTimeFormatOptions): string[] => runs.map((r) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", ...options }).format(r));
        const expected: string = `${String(time.hours[0]).padStart(2, "0")}:${String(time.minutes[0]).padStart(2, "0")}`;
        assert.deepEqual(local({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }), [expected, expected, expected], `${time.text} around ${day}`);
        assert.equal(new Set(local({ dateStyle: "short" })).size, 3, "on three different local days");
      }
    }
  });

  it("a step avoids them too: H H/6 in Berlin never meets 02:00", () => {
    for (let i = 0; i < 200; i++) {
      const hours = spreadTime("H H/6 * * *", id("pkg", `s-${i}`), { zone: "Europe/Berlin" }, parseCronTime)?.result.time?.hours ?? [];
      assert.equal(hours.length, 4);
      assert.ok(!hours.includes(2), hours.join(","));
    }
  });

  it("uses a DST hour only when the range asks for it, and warns with a wider range", () => {
    const spread = spreadTime("H H(2-2) * * *", id("pkg", "night.sh"), { zone: "Europe/Berlin" }, parseCronTime);
    assert.equal(spread?.result.time?.hours[0], 2);
    assert.equal(spread?.dstWarnings.length, 1);
    const [warning] = spread?.dstWarnings ?? [];
    assert.deepEqual([warning?.offset, warning?.length], [2, 6]);
    assert.match(warning?.message ?? "", /02:00-02:59 is skipped on 2026-03-29 and repeated on 2026-10-25/);
    assert.match(warning?.message ?? "", /write "H\(2-3\)"/);
    const wider = spreadTime("H H(2-3) * * *", id("pkg", "night.sh"), { zone: "Europe/Berlin" }, parseCronTime);
    assert.equal(wider?.result.time?.hours[0], 3);
    assert.deepEqual(wider?.dstWarnings, []);
    // Without a zone nothing is avoided and nothing is said.
    assert.deepEqual(spreadTime("H H(2-2) * * *", id("pkg", "night.sh"), {}, parseCronTime)?.dstWarnings, []);
  });
});

describe("suggested H forms", () => {
  const cases: Array<[string, string | undefined]> = [
    ["0 3 * * *", "H 3 * * *"],
    ["0 * * * *", "H * * * *"],
    ["*/2 * * * *", "H/2 * * * *"],
    ["*/15 8-20 * * mon-fri", "H/15 8-20 * * mon-fri"],
    ["0-29/10 * * * *", "H(0-29)/10 * * * *"],
    ["0,30 * * * *", "H/30 * * * *"],
    ["15,45 2 * * *", "H/30 2 * * *"],
    ["0,20,40 * * * *", "H/20 * * * *"],
    ["@daily", "H 0 * * *"],
    ["@hourly", "H * * * *"],
    ["@weekly", "H 0 * * 0"],
    ["@monthly", "H 0 1 * *"],
    ["@yearly", "H 0 1 1 *"],
    ["@reboot", undefined],
    ["* * * * *", undefined],
    ["0-10 * * * *", undefined],
    ["0,7 * * * *", undefined],
    ["H * * * *", undefined],
  ];
  for (const [time, expected] of cases) {
    it(`${time} -> ${expected ?? "none"}`, () => {
      const suggestion = suggestHashForm(time);
      assert.equal(suggestion, expected);
      if (suggestion !== undefined) {
        const spread = spreadTime(suggestion, id("p", "x"), {}, parseCronTime);
        assert.deepEqual(spread?.result.problems, [], suggestion);
      }
    });
  }
});
