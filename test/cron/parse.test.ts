// parseCronTime() against the case table (its cron verdicts are checked against Debian's own
// parser in test/system/cron/crontab-table.test.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCronTime } from "../../src/cron/parse.js";
import type { CronTime, CronTimeResult } from "../../src/types.js";
import { assertWellFormed, parseCases, type ParseCase, type Rule } from "./parse-table.js";

function sortedProblems(result: CronTimeResult): CronTimeResult["problems"] {
  return [...result.problems].sort((a, b) => a.offset - b.offset || a.rule.localeCompare(b.rule));
}

describe("parseCronTime: case table", () => {
  test("the table is large and covers every rule", () => {
    assert.ok(parseCases.length >= 150, `${parseCases.length} cases`);
    const rules = new Set(parseCases.flatMap((c) => c.rules));
    const all: Rule[] = ["cron-time-invalid", "cron-time-never", "cron-time-once", "cron-day-or", "cron-reboot"];
    for (const rule of all) assert.ok(rules.has(rule), `some case expects ${rule}`);
    assert.ok(parseCases.filter((c) => c.rules.length === 0).length >= 60, "many clean cases");
    assert.ok(parseCases.filter((c) => c.time !== undefined).length >= 60, "many cases with exact values");
  });

  for (const c of parseCases) {
    test(`${JSON.stringify(c.text.length > 60 ? `${c.text.slice(0, 57)}...` : c.text)}`, () => checkCase(c));
  }
});

function checkCase(c: ParseCase): void {
  const result = parseCronTime(c.text);
  const problems = sortedProblems(result);
  const shown = JSON.stringify(problems.map((p) => `${p.rule}@${p.offset}+${p.length}: ${p.message}`), null, 1);
  assert.deepEqual(problems.map((p) => p.rule), c.rules, `rules of ${JSON.stringify(c.text)}: ${shown}`);
  assert.deepEqual(problems.filter((p) => p.severity === "error").map((p) => p.offset), c.at ?? [],
    `error offsets of ${JSON.stringify(c.text)}: ${shown}`);
  assertWellFormed(c.text, result);
  if (c.cron === "rejects") {
    assert.ok(c.rules.includes("cron-time-invalid"), "what Debian's cron rejects is always an error");
  }
  if (c.time !== undefined) {
    assert.ok(result.time !== undefined, "a time is returned");
    for (const key of Object.keys(c.time) as (keyof CronTime)[]) {
      assert.deepEqual(result.time[key], c.time[key], `time.${key} of ${JSON.stringify(c.text)}`);
    }
  }
  for (const fragment of c.says ?? []) {
    const first = problems[0];
    assert.ok(first !== undefined && first.message.includes(fragment),
      `message of ${JSON.stringify(c.text)} says ${JSON.stringify(fragment)}: ${shown}`);
  }
}

describe("parseCronTime: specific behaviour", () => {
  test("every error message says what to write instead", () => {
    for (const c of parseCases) {
      for (const p of parseCronTime(c.text).problems) {
        if (p.severity !== "error") continue;
        assert.match(p.message, /write|remove|add the missing/, `advice in: ${p.message}`);
      }
    }
  });

  test("a problem points at the offending token", () => {
    const text = "0 0 * * sunday";
    const [p] = parseCronTime(text).problems;
    assert.ok(p !== undefined);
    assert.equal(text.slice(p.offset, p.offset + p.length), "sunday");
    const junk = "1#2 * * * *";
    const [q] = parseCronTime(junk).problems;
    assert.ok(q !== undefined);
    assert.equal(junk.slice(q.offset, q.offset + q.length), "#2");
  });

  test("keyword results are fresh objects (callers may not corrupt the next parse)", () => {
    const first = parseCronTime("@daily").time;
    assert.ok(first !== undefined);
    first.minutes.push(30);
    assert.deepEqual(parseCronTime("@daily").time?.minutes, [0]);
  });

  test("warnings are computed only when there is no error", () => {
    const result = parseCronTime("*/60 0 31 2 60");
    assert.deepEqual(result.problems.map((p) => p.rule), ["cron-time-invalid"]);
  });
});
