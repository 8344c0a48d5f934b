// Environment lines: readEnvLine() is Debian's load_env() (its verdicts are checked against the
// real daemon in test/system/cron/env-values.test.ts), and envLine() writes exactly the values
// a cron.d line can carry and refuses the others with a message that names the value, why, and
// what cron would read instead.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { envLine, readEnvLine } from "../../src/cron/env-line.js";
import { envLineCases } from "./env-line-table.js";

describe("readEnvLine: what Debian's cron reads from a line", () => {
  for (const c of envLineCases) {
    it(JSON.stringify(c.line.length > 40 ? `${c.line.slice(0, 37)}...` : c.line), () => {
      assert.deepEqual(readEnvLine(c.line), c.reads);
    });
  }
});

const written: [string, string][] = [
  ["", 'X=""'],
  ["plain", "X=plain"],
  ["a b=c", "X=a b=c"],
  ["a#b # c", "X=a#b # c"],
  [" lead", 'X=" lead"'],
  ["  two", 'X="  two"'],
  ["'single", `X="'single"`],
  ['"double', `X='"double'`],
  [" 'lead", `X=" 'lead"`],
  [' "lead', `X=' "lead'`],
  [`it's a "value"`, `X=it's a "value"`],
  ['x"', 'X=x"'],
  ["'", `X="'"`],
  ['"', `X='"'`],
  ["y".repeat(996), `X=${"y".repeat(996)}`],
  [` ${"y".repeat(993)}`, `X=" ${"y".repeat(993)}"`],
  ["é".repeat(498), `X=${"é".repeat(498)}`],
];

const refused: [string, string[]][] = [
  ["x ", ["trailing blanks", `cron would read "x"`, "remove the trailing blanks"]],
  [" x ", [`cron would read " x"`]],
  [" ", [`cron would read ""`]],
  ['"quoted" ', ["trailing blanks", `cron would read "quoted"`]],
  ['"x@example.com"', ["one pair of matching outer quotes", `cron would read "x@example.com"`, "without its outer quotes"]],
  ["'x'", [`cron would read "x"`]],
  ["''", [`cron would read ""`]],
  ['""', [`cron would read ""`]],
  [`"x'`, [`holds both ' and "`, "would not take the line for a setting at all", "whole cron.d file"]],
  [`'x"`, [`holds both ' and "`]],
  [` '"x`, [`holds both ' and "`]],
  ["y".repeat(997), ["999 bytes long", "only the first 998 bytes", "only the first 996 characters", "shorten the value"]],
  [` ${"y".repeat(994)}`, ["999 bytes long", "would not take the line for a setting"]],
  ["é".repeat(499), ["1000 bytes long"]],
];

describe("envLine: values a cron.d line carries exactly", () => {
  for (const [value, line] of written) {
    it(`writes ${JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value)}`, () => {
      assert.deepEqual(envLine("X", value), { ok: true, line });
      assert.deepEqual(readEnvLine(line), { name: "X", value }, "cron reads back the value");
    });
  }
  for (const [value, fragments] of refused) {
    it(`refuses ${JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value)}`, () => {
      const result = envLine("X", value);
      assert.equal(result.ok, false);
      if (result.ok) return;
      const shown = JSON.stringify(value.length > 60 ? value.slice(0, 40) : value).slice(0, -1);
      assert.ok(result.problem.startsWith(`value ${shown}`), `names the value: ${result.problem}`);
      for (const f of fragments) assert.ok(result.problem.includes(f), `says ${JSON.stringify(f)}: ${result.problem}`);
    });
  }

  it("refuses exactly the values of the documented rule, and writes every other one so that cron reads it back", () => {
    const blank = (ch: string | undefined): boolean => ch === " ";
    const quote = (ch: string | undefined): boolean => ch === "'" || ch === '"';
    // docs/gen.md: trailing blanks, a pair of matching outer quotes, a value that needs quotes
    // (empty, leading blank or quote) but holds both kinds, or a line over 998 bytes.
    const refusedByRule = (v: string): boolean => {
      const needsQuotes = v === "" || blank(v[0]) || quote(v[0]);
      const bytes = Buffer.byteLength(v, "utf8") + 2 + (needsQuotes ? 2 : 0);
      return blank(v[v.length - 1]) ||
        (v.length >= 2 && quote(v[0]) && v[0] === v[v.length - 1]) ||
        (needsQuotes && v.includes("'") && v.includes('"')) ||
        bytes > 998;
    };
    const value = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", " ", "'", '"', "#", "=", "é"), maxLength: 8 }),
      fc.tuple(fc.constantFrom("", " ", "'", '"'), fc.integer({ min: 990, max: 1000 })).map(([p, n]) => p + "y".repeat(n - p.length)),
    );
    fc.assert(
      fc.property(value, (v) => {
        const result = envLine("X", v);
        assert.equal(!result.ok, refusedByRule(v), `${JSON.stringify(v)}: ${JSON.stringify(result)}`);
        if (result.ok) assert.deepEqual(readEnvLine(result.line), { name: "X", value: v });
      }),
      { numRuns: 2000 },
    );
  });
});
