// Grammar-generated times: parseCronTime() agrees with Debian's own parser (`crontab -n`) and
// with an independent computation of the value sets.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { parseCronTime } from "../../../src/cron/parse.js";
import { assertWellFormed, crontabVerdict } from "../../cron/parse-table.js";

// ---- grammar-generated times, checked against cron and an independent value oracle

interface FieldDef {
  low: number;
  high: number;
  names: readonly string[];
}

const FIELD_DEFS: FieldDef[] = [
  { low: 0, high: 59, names: [] },
  { low: 0, high: 23, names: [] },
  { low: 1, high: 31, names: [] },
  { low: 1, high: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { low: 0, high: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

interface GenItem {
  text: string;
  /** Values it selects, or undefined when cron must reject it. */
  values?: number[];
  /**
   * A step larger than the field's range (high - low): cron accepts it, cronmeta reports
   * cron-time-invalid (it can never reach a second value; docs/time-grammar.md).
   */
  stepTooLarge?: boolean;
}

function valueArb(def: FieldDef): fc.Arbitrary<{ text: string; value: number }> {
  const numeric = fc.integer({ min: def.low - 1, max: def.high + 1 }).map((v) => ({ text: String(v), value: v }));
  if (def.names.length === 0) return numeric;
  const named = fc.tuple(fc.nat({ max: def.names.length - 1 }), fc.constantFrom("lower", "upper", "title")).map(
    ([i, style]) => {
      const name = def.names[i] ?? "";
      const text = style === "lower" ? name : style === "upper" ? name.toUpperCase() : name[0]?.toUpperCase() + name.slice(1);
      return { text, value: def.low + i };
    });
  return fc.oneof(numeric, named);
}

function span(a: number, b: number, step: number): number[] {
  const out: number[] = [];
  for (let v = a; v <= b; v += step) out.push(v);
  return out;
}

function itemArb(def: FieldDef): fc.Arbitrary<GenItem> {
  const inRange = (v: number): boolean => v >= def.low && v <= def.high;
  const step = fc.integer({ min: 0, max: def.high + 3 });
  const star = fc.constant<GenItem>({ text: "*", values: span(def.low, def.high, 1) });
  const tooLarge = (s: number | null): boolean => s !== null && s > def.high - def.low;
  const starStep = step.map<GenItem>((s) => ({
    text: `*/${s}`,
    values: s > 0 ? span(def.low, def.high, s) : undefined,
    stepTooLarge: tooLarge(s),
  }));
  const single = valueArb(def).map<GenItem>((v) => ({ text: v.text, values: inRange(v.value) ? [v.value] : undefined }));
  const range = fc.tuple(valueArb(def), valueArb(def), fc.option(step)).map<GenItem>(([x, y, s]) => {
    // Reversed ranges are left out: cron accepts them (matching nothing), cronmeta does not.
    const [a, b] = x.value <= y.value ? [x, y] : [y, x];
    const ok = inRange(a.value) && inRange(b.value) && (s === null || s > 0);
    return {
      text: `${a.text}-${b.text}${s === null ? "" : `/${s}`}`,
      values: ok ? span(a.value, b.value, s ?? 1) : undefined,
      stepTooLarge: tooLarge(s),
    };
  });
  return fc.oneof({ arbitrary: star, weight: 2 }, starStep, { arbitrary: single, weight: 2 }, range);
}

function fieldArb(def: FieldDef): fc.Arbitrary<GenItem> {
  return fc.array(itemArb(def), { minLength: 1, maxLength: 3 }).map((items) => ({
    text: items.map((i) => i.text).join(","),
    values: items.every((i) => i.values !== undefined) ? items.flatMap((i) => i.values ?? []) : undefined,
    stepTooLarge: items.some((i) => i.stepTooLarge === true),
  }));
}

const generatedTime = fc.tuple(...FIELD_DEFS.map(fieldArb)) as fc.Arbitrary<GenItem[]>;

describe("parseCronTime: generated times against Debian's cron", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cronmeta-crontab-prop-"));
  });
  after(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  test("cron accepts exactly the generated times cronmeta accepts (and steps larger than their field), with the same value sets", () => {
    const probe = spawnSync("crontab", ["-h"], { encoding: "utf8" });
    assert.ok(probe.error === undefined,
      `crontab is missing: install the Debian package "cron" (apt-get install cron) to run this test`);
    let accepted = 0;
    let rejected = 0;
    let stricter = 0;
    fc.assert(fc.property(generatedTime, (fields) => {
      const text = fields.map((f) => f.text).join(" ");
      const result = parseCronTime(text);
      assertWellFormed(text, result);
      const cronAccepts = fields.every((f) => f.values !== undefined);
      const expectValid = cronAccepts && fields.every((f) => f.stepTooLarge !== true);
      const errors = result.problems.filter((p) => p.severity === "error");
      assert.equal(errors.length === 0, expectValid, `${text}: ${JSON.stringify(errors)}`);
      assert.equal(crontabVerdict(dir, text), cronAccepts ? "accepts" : "rejects", `crontab -n on ${text}`);
      if (expectValid) accepted += 1;
      else rejected += 1;
      if (cronAccepts && !expectValid) stricter += 1;
      if (result.time === undefined) return;
      const keys = ["minutes", "hours", "daysOfMonth", "months", "daysOfWeek"] as const;
      keys.forEach((key, i) => {
        let want = fields[i]?.values ?? [];
        if (key === "daysOfWeek") want = want.map((d) => (d === 7 ? 0 : d));
        assert.deepEqual(result.time?.[key], [...new Set(want)].sort((a, b) => a - b), `${key} of ${text}`);
      });
      assert.equal(result.time.domStar, fields[2]?.text.startsWith("*"));
      assert.equal(result.time.dowStar, fields[4]?.text.startsWith("*"));
    }), { numRuns: 250 });
    // The generator must exercise both outcomes for the agreement to mean something.
    assert.ok(accepted >= 20 && rejected >= 20 && stricter >= 5, `accepted ${accepted}, rejected ${rejected}, stricter than cron ${stricter}`);
  });
});
