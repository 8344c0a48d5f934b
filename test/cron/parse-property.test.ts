// Property-based tests of parseCronTime(): whatever the input, it never throws and its
// result is well formed. Grammar-generated times against Debian's own parser (`crontab -n`)
// and an independent computation of the value sets: test/system/cron/crontab-property.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parseCronTime } from "../../src/cron/parse.js";
import { assertWellFormed, parseCases } from "./parse-table.js";

function wellFormed(text: string): void {
  assertWellFormed(text, parseCronTime(text));
}

// Pieces cron times are made of, plus the foreign syntax people paste in.
const PIECES = [
  "0", "1", "5", "7", "8", "12", "13", "23", "24", "31", "32", "59", "60", "007", "99999999999",
  "*", "/", "-", ",", " ", "  ", "\t", "@", "L", "W", "?", "#", "H", "(", ".", ";",
  "sun", "SAT", "mon", "jan", "Dec", "feb", "sunday", "daily", "Daily", "reboot", "every", "5m",
];

const cronish = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((parts) => parts.join(""));

interface Mutation {
  kind: "insert" | "delete" | "replace" | "duplicate";
  at: number;
  length: number;
  piece: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("insert", "delete", "replace", "duplicate"),
  at: fc.nat({ max: 40 }),
  length: fc.integer({ min: 1, max: 4 }),
  piece: fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "binary", maxLength: 2 })),
});

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case "insert":
      return text.slice(0, at) + m.piece + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "replace":
      return text.slice(0, at) + m.piece + text.slice(at + m.length);
    case "duplicate":
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
  }
}

const validTexts = parseCases.filter((c) => c.rules.length === 0).map((c) => c.text);
const mutated = fc
  .tuple(fc.constantFrom(...validTexts), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([text, ms]) => ms.reduce(mutate, text));

describe("parseCronTime: properties", () => {
  test("never throws and stays well formed on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 60 }), wellFormed), { numRuns: 2000 });
  });

  test("never throws and stays well formed on cron-like strings", () => {
    fc.assert(fc.property(cronish, wellFormed), { numRuns: 3000 });
  });

  test("never throws and stays well formed on mutations of valid times", () => {
    fc.assert(fc.property(mutated, wellFormed), { numRuns: 3000 });
  });

  test("normalising blanks changes nothing but the text", () => {
    const spaced = fc.tuple(fc.constantFrom(...validTexts), fc.array(fc.constantFrom(" ", "\t", "  ", " \t"), {
      minLength: 4, maxLength: 4,
    }));
    fc.assert(fc.property(spaced, ([text, blanks]) => {
      const fields = text.split(" ");
      if (fields.length !== 5) return;
      const respaced = fields.map((f, i) => f + (blanks[i] ?? "")).join("").trimEnd();
      const a = parseCronTime(text);
      const b = parseCronTime(respaced);
      assert.deepEqual(b.time, a.time);
      assert.deepEqual(b.problems.map((p) => p.rule), a.problems.map((p) => p.rule));
    }), { numRuns: 300 });
  });
});
