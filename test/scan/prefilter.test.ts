// The byte-level prefilters must never reject a file the extractors would report on
// (checked case by case and by property against extractJsdoc/extractPod), and must reject
// the common non-candidates: @crontab in strings, files without METADATA or <crontab>.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { extractJsdoc, extractPod } from "../../src/scan/index.js";
import { mayHoldJsdocTag, mayHoldPodBlock } from "../../src/scan/prefilter.js";

const js = (text: string): boolean => mayHoldJsdocTag(Buffer.from(text));
const pod = (text: string): boolean => mayHoldPodBlock(Buffer.from(text));

describe("mayHoldJsdocTag", () => {
  const cases: Array<[string, string, boolean]> = [
    ["a JSDoc tag", "/**\n * @crontab\n *   time: @daily\n */\n", true],
    ["a tag in a plain block comment (reported as metadata-syntax)", "/* @crontab time: @daily */", true],
    ["a tag whose comment was closed early by */10", "/**\n * @crontab\n *   time: */10 * * * *\n */\nx();\n", true],
    ["/*/ does not close", "/*/ @crontab */", true],
    ["a tag after a closed comment and a string", '/* a */ "x"; /** @crontab time: @daily */', true],
    ["the second of two mentions", 'const s = "@crontab";\n/** @crontab time: @daily */\n', true],
    ["a /* inside a string before a string mention (wasted parse, never a miss)", 'a = "/*"; b = "@crontab";', true],
    ["a mention in a string", 'export const HELP = "add a @crontab tag";\n', false],
    ["a mention in a line comment (jsdoc.ts decides whether it is a near miss)", "// use @crontab in a JSDoc comment\nx = 1;\n", true],
    ["a mention in a string on a line after a line comment", '// note\nconst s = "@crontab";\n', false],
    ["a mention after a closed comment", "/** docs */\nconst s = `@crontab`;\n", false],
    ["no mention at all", "/** @param x */ function f(x) {}\n", false],
    ["an empty file", "", false],
  ];
  for (const [name, text, expected] of cases) {
    it(`${expected ? "passes" : "rejects"} ${name}`, () => assert.equal(js(text), expected));
  }

  it("finds a tag in a comment after thousands of mentions in strings, in linear time", () => {
    const text = `${'x = "@crontab";\n'.repeat(20_000)}/** @crontab time: @daily */\n`;
    assert.equal(js(text), true);
    assert.equal(js(text.slice(0, text.lastIndexOf("/**"))), false);
  });

  it("rejects a file whose only @crontab is outside comments even when Babel cannot parse it", () => {
    // Such a file has no @crontab comment to read: its syntax error is not cronmeta's business.
    assert.equal(extractJsdoc("@crontab", "a.js")?.problems[0]?.message.startsWith("could not parse"), true);
    assert.equal(js("@crontab"), false);
  });

  it("never rejects a file from which extractJsdoc reads a section or a comment problem (property)", () => {
    // Whole statements (so that most texts parse) mixed with loose tokens (so that some do not).
    const statement = fc.constantFrom(
      "x = 1;\n",
      's = "@crontab";\n',
      "// @crontab\n",
      "/** @crontab time: @daily */\n",
      "/**\n * @crontab\n *   time: @hourly\n */\n",
      "/* @crontab time: @daily */\n",
      "/**\n * @crontab\n *   time: */10 * * * *\n */\n",
      "/* a */\n",
      "t = `/* @crontab */`;\n",
      'r = "/*";\n',
      'q = "*/";\n',
      "/*/ x */\n",
    );
    const token = fc.constantFrom("/*", "*/", "/**", "@crontab", " time: @daily", "\n", " * ", "//", '"', "`", "x", "=", ";", "*\\/", " ");
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 4, arbitrary: statement }, { weight: 1, arbitrary: token }), { maxLength: 12 }), (tokens) => {
        const text = tokens.join("");
        const found = extractJsdoc(text, "a.js");
        const fromComments = found !== null && (found.sections.length > 0 || found.problems.some((p) => !p.message.startsWith("could not parse")));
        if (fromComments) assert.equal(js(text), true, JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("mayHoldPodBlock", () => {
  it("passes =head1 METADATA at the start of the file or of a line", () => {
    assert.equal(pod("=head1 METADATA\n"), true);
    assert.equal(pod("#!/bin/sh\n: <<'=cut'\n=head1 METADATA\n\n=cut\n"), true);
    assert.equal(pod("x\r\n=head1 METADATA\r\n"), true);
    // The decoder drops a byte-order mark, and extractPod then opens the block on line 1.
    assert.equal(pod("\ufeff=head1 METADATA\n"), true);
    assert.notEqual(extractPod(new TextDecoder().decode(Buffer.from("\ufeff=head1 METADATA\n<crontab>\n"))), null);
  });

  it("passes what a near miss needs: METADATA in upper case, or a <crontab> line", () => {
    assert.equal(pod("  =head1 METADATA\n"), true);
    assert.equal(pod("=head2 METADATA\n"), true);
    assert.equal(pod("=head1 Metadata\n\n<crontab>\n"), true);
    assert.equal(pod("<crontab>\n  time: @daily\n</crontab>\n"), true);
  });

  it("rejects files without either", () => {
    assert.equal(pod("no marker\n"), false);
    assert.equal(pod("=head1 Metadata\n\nThe module keeps metadata.\n"), false);
    assert.equal(pod("<crontab >\n"), false);
  });

  it("never rejects a file extractPod reports on (property)", () => {
    const token = fc.constantFrom("=head1 METADATA", "=cut", "<crontab>", "</crontab>", "time: @daily", "\n", "\r\n", " ", "x", "=head2 X", "=head1 Metadata", "=head2 METADATA", "  ", "package: p");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const text = tokens.join("");
        if (extractPod(text) !== null) assert.equal(pod(text), true, JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });
});
