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

  test("every suggested time parses without error (single-error cases)", () => {
    const clean = (t: string): boolean => !parseCronTime(t).problems.some((p) => p.severity === "error");
    const unfixed: string[] = [];
    let checked = 0;
    for (const c of parseCases) {
      const errors = parseCronTime(c.text).problems.filter((p) => p.severity === "error");
      const [p] = errors;
      if (p === undefined || errors.length > 1) continue;
      for (const s of suggestions(p.message)) {
        checked += 1;
        if (!replacements(c.text, p.offset, p.offset + p.length, s).some(clean)) {
          unfixed.push(`${JSON.stringify(c.text)}: "${s}" (${p.message})`);
        }
      }
    }
    assert.deepEqual(unfixed, []);
    assert.ok(checked >= 100, `${checked} suggestions checked`);
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
    const result = parseCronTime("10-20/15 0 31 2 60");
    assert.deepEqual(result.problems.map((p) => p.rule), ["cron-time-invalid"]);
  });
});

/**
 * The cron texts a message tells the user to write: quoted right after "write", "e.g." or
 * "or", without placeholders such as "A-B/S".
 */
function suggestions(message: string): string[] {
  return [...message.matchAll(/\b(?:write|e\.g\.|or) "([^"]+)"/g)]
    .map((m) => m[1] ?? "")
    .filter((s) => /^[-0-9a-z*/,@ ]+$/i.test(s) && !/\b[ABS]\b/.test(s));
}

/** `text` with the suggestion in place of the problem's span, its list item, its field, or all of it. */
function replacements(text: string, start: number, end: number, suggestion: string): string[] {
  const before = (stops: RegExp): number => {
    let i = start;
    while (i > 0 && !stops.test(text[i - 1] ?? "")) i -= 1;
    return i;
  };
  const after = (stops: RegExp): number => {
    let i = end;
    while (i < text.length && !stops.test(text[i] ?? "")) i += 1;
    return i;
  };
  const splice = (from: number, to: number): string => text.slice(0, from) + suggestion + text.slice(to);
  return [splice(start, end), splice(before(/[ \t,]/), after(/[ \t,]/)), splice(before(/[ \t]/), after(/[ \t]/)), suggestion];
}
