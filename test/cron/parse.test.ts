// parseCronTime() against the case table, and the table's cron verdicts against
// Debian's own parser (`crontab -n`, a dry-run syntax check of a crontab file).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseCronTime } from "../../src/cron/parse.js";
import type { CronTime, CronTimeResult } from "../../src/types.js";
import { parseCases, type ParseCase, type Rule } from "./parse-table.js";

const BOUNDS: Record<"minutes" | "hours" | "daysOfMonth" | "months" | "daysOfWeek", [number, number]> = {
  minutes: [0, 59],
  hours: [0, 23],
  daysOfMonth: [1, 31],
  months: [1, 12],
  daysOfWeek: [0, 6],
};

/** Invariants every result must keep, whatever the input. */
export function assertWellFormed(text: string, result: CronTimeResult): void {
  const hasError = result.problems.some((p) => p.severity === "error");
  assert.equal(result.time !== undefined, !hasError, `time is present iff there is no error: ${JSON.stringify(text)}`);
  for (const p of result.problems) {
    assert.ok(p.offset >= 0 && p.offset <= text.length, `offset ${p.offset} within ${JSON.stringify(text)}`);
    assert.ok(p.length >= 0 && p.offset + p.length <= text.length, `span ${p.offset}+${p.length} within input`);
    assert.ok(p.message.length > 0, "message is not empty");
    assert.equal(p.severity === "error", p.rule === "cron-time-invalid", `${p.rule} has severity ${p.severity}`);
  }
  const time = result.time;
  if (time === undefined) return;
  assert.ok(!/[ \t]{2}|\t/.test(time.text), "normalised text has single spaces");
  for (const [key, [low, high]] of Object.entries(BOUNDS) as [keyof typeof BOUNDS, [number, number]][]) {
    const list = time[key];
    for (let i = 0; i < list.length; i += 1) {
      const v = list[i] ?? NaN;
      assert.ok(Number.isInteger(v) && v >= low && v <= high, `${key} value ${v} in ${low}-${high}`);
      if (i > 0) assert.ok(v > (list[i - 1] ?? NaN), `${key} sorted and unique`);
    }
    if (!time.reboot) assert.ok(list.length > 0, `${key} is never empty`);
  }
}

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

describe("the table agrees with Debian's cron (crontab -n)", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cronmeta-crontab-"));
  });
  after(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  test("crontab -n accepts or rejects each line as the table says", () => {
    const probe = spawnSync("crontab", ["-h"], { encoding: "utf8" });
    assert.ok(probe.error === undefined,
      `crontab is missing: install the Debian package "cron" (apt-get install cron) to run this test`);
    const mismatches: string[] = [];
    let checked = 0;
    for (const c of parseCases) {
      if (c.cron === undefined) continue;
      const verdict = crontabVerdict(dir, c.text);
      checked += 1;
      if (verdict !== c.cron) mismatches.push(`${JSON.stringify(c.text)}: table says ${c.cron}, cron ${verdict}`);
    }
    assert.deepEqual(mismatches, []);
    assert.ok(checked >= 150, `${checked} lines checked against cron`);
  });
});

/** Debian's verdict on `<time> /bin/true` as a user crontab. */
export function crontabVerdict(dir: string, time: string): "accepts" | "rejects" {
  const file = join(dir, "crontab");
  writeFileSync(file, `${time} /bin/true\n`);
  const run = spawnSync("crontab", ["-n", file], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  if (run.error !== undefined) throw run.error;
  return run.status === 0 ? "accepts" : "rejects";
}
