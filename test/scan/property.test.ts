// Property-based tests of the extractors: random and mutated METADATA never make them throw,
// every position they report lies inside the text, and well-formed METADATA reads back exactly.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { extractJsdoc, extractPod } from "../../src/scan/index.js";
import type { Position, RawSection, ScanProblem } from "../../src/types.js";

/** Runs per property: together a few seconds on a shared 2-core machine. */
const RUNS = 300;

type Extracted = { sections: RawSection[]; problems: ScanProblem[] } | null;

/** Lines as an editor shows them: LF or CRLF endings, a leading BOM not counted. */
function editorLines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

function assertInside(lines: string[], pos: Position, what: string): void {
  assert.ok(Number.isInteger(pos.line) && pos.line >= 1 && pos.line <= lines.length, `${what}: line ${pos.line} of ${lines.length}`);
  const length = lines[pos.line - 1]?.length ?? 0;
  assert.ok(Number.isInteger(pos.column) && pos.column >= 1 && pos.column <= length + 1, `${what}: column ${pos.column} of ${length}`);
}

/** Checks every position of a result; keys (and POD values) must be found where they are said to be. */
function assertPositions(text: string, result: Extracted, form: "pod" | "jsdoc"): void {
  if (result === null) return;
  const lines = editorLines(text);
  for (const problem of result.problems) assertInside(lines, problem.pos, `${problem.rule} "${problem.message}"`);
  result.sections.forEach((section, i) => {
    assert.equal(section.index, i);
    assert.equal(section.form, form);
    assert.ok(section.entries.length > 0);
    assertInside(lines, section.pos, "section");
    for (const entry of section.entries) {
      assertInside(lines, entry.keyPos, `key ${entry.key}`);
      assertInside(lines, entry.valuePos, `value of ${entry.key}`);
      const keyLine = lines[entry.keyPos.line - 1] ?? "";
      assert.ok(keyLine.startsWith(entry.key, entry.keyPos.column - 1), `key ${JSON.stringify(entry.key)} at its position`);
      if (form === "pod" && entry.value !== "") {
        const valueLine = lines[entry.valuePos.line - 1] ?? "";
        assert.ok(valueLine.startsWith(entry.value, entry.valuePos.column - 1), `value ${JSON.stringify(entry.value)} at its position`);
      }
    }
  });
}

// ---- generators -----------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const anyUnit = fc.nat(0xffff).map((c) => String.fromCharCode(c));
const junk = fc.string({ unit: anyUnit, maxLength: 12 });
const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,9}$/);
/** Printable ASCII values: no line break, no backslash or backtick (see the JSDoc renderer). */
const value = fc.string({ unit: fc.constantFrom(..." abc*/:#@0123456789-=<>{}".split("")), maxLength: 20 }).map((v) => v.trim());
const entry = fc.tuple(key, value);
const sectionsArb = fc.array(fc.array(entry, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 });
const indent = fc.constantFrom("", " ", "  ", "\t", "    ");
const eol = fc.constantFrom("\n", "\r\n");

/** Lines a POD METADATA block is made of, right or wrong. */
const podLine = fc.oneof(
  fc.constantFrom("=head1 METADATA", "=head1 METADATA  ", "=cut", "=head2 OTHER", "=pod", "<crontab>", "</crontab>", "  <crontab>\t", "<contab>", "", "# comment"),
  fc.tuple(indent, key, value).map(([i, k, v]) => `${i}${k}: ${v}`),
  fc.tuple(indent, value).map(([i, v]) => `${i}${v}`),
  junk,
);

/** Lines a JSDoc comment and its surroundings are made of, right or wrong. */
const jsLine = fc.oneof(
  fc.constantFrom("/**", " */", "*/", " * @crontab", "/** @crontab", " * @param {string} x", " * @crontabs", " *", "/*", "// @crontab", "const s = '@crontab';", "function f() { return 1; }", "#!/usr/bin/env node", "export {};", "`", "}", "<div>"),
  fc.tuple(indent, key, value).map(([i, k, v]) => ` *${i}${k}: ${v}`),
  fc.tuple(key, value).map(([k, v]) => ` * ${k}: ${v.replaceAll("*/", "*\\/")}`),
  junk,
);

function renderPod(sections: [string, string][][], pad: string, nl: string): string {
  const body = sections.map((s) => [`${pad}<crontab>`, ...s.map(([k, v]) => `${pad}${pad}${k}:${v === "" ? "" : " "}${v}`), "</crontab>"].join(nl));
  return ["#!/usr/bin/perl", "", "=head1 METADATA", "", body.join(nl), "", "=cut", "print 1;", ""].join(nl);
}

function renderJsdoc(sections: [string, string][][], pad: string, nl: string): string {
  const body = sections.flatMap((s) => [" * @crontab", ...s.map(([k, v]) => ` *${pad} ${k}: ${v.replaceAll("*/", "*\\/")}`)]);
  return ["#!/usr/bin/env node", "/**", " * Generated.", ...body, " */", "main();", ""].join(nl);
}

/** Mutations of a text: drop, duplicate or swap lines, insert a comment end, a random string, a CR or a BOM. */
const mutation = fc.tuple(fc.constantFrom("drop", "dup", "swap", "close", "junk", "cr", "bom"), fc.nat(), fc.nat(), junk);

function mutate(text: string, mutations: [string, number, number, string][]): string {
  let lines = text.split("\n");
  for (const [kind, a, b, extra] of mutations) {
    const i = a % lines.length;
    const j = b % lines.length;
    const line = lines[i] ?? "";
    const at = b % (line.length + 1);
    if (kind === "drop") lines.splice(i, 1);
    else if (kind === "dup") lines.splice(i, 0, line);
    else if (kind === "swap") [lines[i], lines[j]] = [lines[j] ?? "", line];
    else if (kind === "close") lines[i] = `${line.slice(0, at)}*/${line.slice(at)}`;
    else if (kind === "junk") lines[i] = `${line.slice(0, at)}${extra}${line.slice(at)}`;
    else if (kind === "cr") lines[i] = `${line.slice(0, at)}\r${line.slice(at)}`;
    else lines = [`\uFEFF${lines.join("\n")}`];
    if (lines.length === 0) lines = [""];
  }
  return lines.join("\n");
}

const fileName = fc.constantFrom("a.js", "a.mjs", "a.cjs", "a.ts", "a.tsx", "a.jsx", "bin/job");

// ---- properties -----------------------------------------------------------------------------

describe("scanner properties", () => {
  it("extractPod: random POD lines never throw and positions are inside the text", () => {
    fc.assert(
      fc.property(fc.array(podLine, { maxLength: 30 }), eol, (lines, nl) => {
        const text = lines.join(nl);
        assertPositions(text, extractPod(text), "pod");
      }),
      { numRuns: RUNS },
    );
  });

  it("extractPod: mutated METADATA never throws and positions are inside the text", () => {
    fc.assert(
      fc.property(sectionsArb, indent, eol, fc.array(mutation, { minLength: 1, maxLength: 4 }), (sections, pad, nl, mutations) => {
        const text = mutate(renderPod(sections, pad, nl), mutations);
        assertPositions(text, extractPod(text), "pod");
      }),
      { numRuns: RUNS },
    );
  });

  it("extractPod: well-formed METADATA reads back exactly", () => {
    fc.assert(
      fc.property(sectionsArb, indent, eol, (sections, pad, nl) => {
        const text = renderPod(sections, pad, nl);
        const result = extractPod(text);
        assert.ok(result);
        assert.deepEqual(result.problems, []);
        assert.deepEqual(result.sections.map((s) => s.entries.map((e) => [e.key, e.value])), sections);
        assertPositions(text, result, "pod");
      }),
      { numRuns: RUNS },
    );
  });

  it("extractJsdoc: random lines and mutated comments never throw and positions are inside the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.array(jsLine, { maxLength: 20 }), eol).map(([lines, nl]) => lines.join(nl)),
          fc.tuple(sectionsArb, indent, eol, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([s, pad, nl, m]) => mutate(renderJsdoc(s, pad, nl), m)),
        ),
        fileName,
        (text, name) => {
          assertPositions(text, extractJsdoc(text, name), "jsdoc");
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("extractJsdoc: reading the head finds what reading the whole file finds, when the whole file parses", () => {
    // Code after the comment that parses, or not; the head alone decides only when it is clean.
    const tail = fc.array(fc.constantFrom("main();", "}", "{", "`", "'", "/x*/g.test(s);", "a = b / c /* d */;", "class A {", "<div>", "*/", "x = 1;"), { maxLength: 4 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.array(jsLine, { maxLength: 20 }), eol).map(([lines, nl]) => lines.join(nl)),
          fc.tuple(sectionsArb, indent, eol, fc.array(mutation, { maxLength: 3 }), tail).map(([s, pad, nl, m, t]) => mutate(`${t.join(nl)}${nl}${renderJsdoc(s, pad, nl)}`, m)),
        ),
        fileName,
        (text, name) => {
          const whole = extractJsdoc(text, name, { wholeFile: true });
          if (whole?.problems.some((p) => p.rule === "metadata-syntax" && p.message.startsWith("could not parse"))) return;
          assert.deepEqual(extractJsdoc(text, name), whole);
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it("extractJsdoc: well-formed comments read back exactly, *\\/ unescaped", () => {
    fc.assert(
      fc.property(sectionsArb, indent, eol, fileName, (sections, pad, nl, name) => {
        const text = renderJsdoc(sections, pad, nl);
        const result = extractJsdoc(text, name);
        assert.ok(result);
        assert.deepEqual(result.problems, []);
        assert.deepEqual(result.sections.map((s) => s.entries.map((e) => [e.key, e.value])), sections);
        assertPositions(text, result, "jsdoc");
      }),
      { numRuns: RUNS },
    );
  });
});
