import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractJsdoc } from "../../src/scan/index.js";

type Result = NonNullable<ReturnType<typeof extractJsdoc>>;

function extract(text: string, fileName: string): Result {
  const result = extractJsdoc(text, fileName);
  assert.ok(result, "expected @crontab sections or problems");
  return result;
}

function problemsOf(result: Result): string[] {
  return result.problems.map((p) => `${p.rule}@${p.pos.line}:${p.pos.column}`);
}

function pairs(result: Result): string[][] {
  return result.sections.map((s) => s.entries.map((e) => `${e.key}=${e.value}`));
}

const specExample = [
  "#!/usr/bin/env node",
  "/**",
  " * Rebuilds the search index.",
  " *",
  " * @crontab",
  " *   package: my-project-scripts2",
  " *   time: *\\/10 * * * *",
  " *   params: --full",
  " * @crontab",
  " *   package: my-project-scripts2",
  " *   time: 30 3 * * sun",
  " */",
  'console.log("indexing");',
  "",
].join("\n");

describe("extractJsdoc", () => {
  it("returns null when the text has no @crontab", () => {
    assert.equal(extractJsdoc("/** @param x */\nfunction f(x) {}\n", "a.js"), null);
    assert.equal(extractJsdoc("", "a.js"), null);
  });

  it("reads the SPEC example (extensionless node script) with exact positions", () => {
    assert.deepEqual(extract(specExample, "bin/reindex"), {
      problems: [],
      sections: [
        {
          form: "jsdoc",
          pos: { line: 5, column: 4 },
          index: 0,
          entries: [
            { key: "package", value: "my-project-scripts2", keyPos: { line: 6, column: 6 }, valuePos: { line: 6, column: 15 } },
            // `*\/` is read as `*/`; the column still points at the original text.
            { key: "time", value: "*/10 * * * *", keyPos: { line: 7, column: 6 }, valuePos: { line: 7, column: 12 } },
            { key: "params", value: "--full", keyPos: { line: 8, column: 6 }, valuePos: { line: 8, column: 14 } },
          ],
        },
        {
          form: "jsdoc",
          pos: { line: 9, column: 4 },
          index: 1,
          entries: [
            { key: "package", value: "my-project-scripts2", keyPos: { line: 10, column: 6 }, valuePos: { line: 10, column: 15 } },
            { key: "time", value: "30 3 * * sun", keyPos: { line: 11, column: 6 }, valuePos: { line: 11, column: 12 } },
          ],
        },
      ],
    });
  });

  it("unescapes every *\\/ in a value and keeps later columns on the original text", () => {
    const r = extract("/**\n * @crontab\n *   time: *\\/5 *\\/2 * * *\n *   description: a *\\/ b\n */\n", "a.js");
    assert.deepEqual(pairs(r), [["time=*/5 */2 * * *", "description=a */ b"]]);
    assert.deepEqual(r.sections[0]?.entries[1]?.valuePos, { line: 4, column: 19 });
  });

  it("reads CRLF files with the same positions", () => {
    assert.deepEqual(extract(specExample.replaceAll("\n", "\r\n"), "bin/reindex"), extract(specExample, "bin/reindex"));
  });

  it("reads TypeScript, including angle-bracket assertions", () => {
    const ts = [
      "import { run } from './run.js';",
      "interface Options { full: boolean }",
      "/**",
      " * @crontab",
      " *   package: ts-jobs",
      " *   time: 0 4 * * *",
      " */",
      "const opts = <Options>{ full: true };",
      "export async function main(o: Options = opts): Promise<void> { await run(o); }",
      "",
    ].join("\n");
    for (const name of ["job.ts", "job.mts", "job.cts"]) {
      const r = extract(ts, name);
      assert.deepEqual(problemsOf(r), [], name);
      assert.deepEqual(pairs(r), [["package=ts-jobs", "time=0 4 * * *"]], name);
    }
  });

  it("reads TSX and JSX", () => {
    const tsx = "/** @crontab\n *  time: @hourly\n */\nexport const App = (p: { n: number }) => <div>{p.n}</div>;\n";
    assert.deepEqual(pairs(extract(tsx, "ui.tsx")), [["time=@hourly"]]);
    const jsx = "/** @crontab\n *  time: @hourly\n */\nexport const App = (p) => <div>{p.n}</div>;\n";
    assert.deepEqual(pairs(extract(jsx, "ui.jsx")), [["time=@hourly"]]);
    assert.deepEqual(pairs(extract(jsx, "ui.js")), [["time=@hourly"]]);
  });

  it("reads CommonJS with a top-level return and ESM with top-level await", () => {
    const cjs = "#!/usr/bin/node\nconst fs = require('fs');\n/**\n * @crontab\n *   time: @daily\n */\nif (!fs) return;\n";
    assert.deepEqual(pairs(extract(cjs, "job.cjs")), [["time=@daily"]]);
    const esm = "import fs from 'node:fs/promises';\n/**\n * @crontab\n *   time: @daily\n */\nawait fs.readdir('.');\n";
    assert.deepEqual(pairs(extract(esm, "job.mjs")), [["time=@daily"]]);
  });

  it("reads an extensionless ts-node script as TypeScript", () => {
    const text = "#!/usr/bin/env -S npx ts-node\nconst x = <number>(1 as unknown);\n/**\n * @crontab\n *   time: @weekly\n */\n";
    assert.deepEqual(pairs(extract(text, "bin/weekly")), [["time=@weekly"]]);
  });

  it("never runs the file", () => {
    const text = "process.exit(3);\nthrow new Error('executed');\n/**\n * @crontab\n *   time: @daily\n */\n";
    assert.deepEqual(pairs(extract(text, "a.js")), [["time=@daily"]]);
  });

  it("reads several comments, ends a section at another tag and ignores the description", () => {
    const text = [
      "/**",
      " * Description text: with a colon, and free prose.",
      " * @crontab",
      " *   time: 1 * * * *",
      " * @param {string} x not a crontab line",
      " * @returns nothing",
      " */",
      "function f(x) { return x; }",
      "/** Second comment.",
      " * @see elsewhere",
      " * @crontab time: 2 * * * *",
      " *   package: p2 */",
      "",
    ].join("\n");
    const r = extract(text, "a.js");
    assert.deepEqual(problemsOf(r), []);
    assert.deepEqual(pairs(r), [["time=1 * * * *"], ["time=2 * * * *", "package=p2"]]);
    assert.deepEqual(r.sections.map((s) => [s.index, s.pos]), [
      [0, { line: 3, column: 4 }],
      [1, { line: 11, column: 4 }],
    ]);
    // A key on the tag line itself.
    assert.deepEqual(r.sections[1]?.entries[0]?.keyPos, { line: 11, column: 13 });
    // The closing `*/` is not part of the last value.
    assert.deepEqual(r.sections[1]?.entries[1]?.valuePos, { line: 12, column: 15 });
  });

  it("reads a one-line comment whose tag follows /**", () => {
    const r = extract("  /** @crontab time: @daily */\n", "a.js");
    assert.deepEqual(r.sections[0]?.pos, { line: 1, column: 7 });
    assert.deepEqual(r.sections[0]?.entries[0], {
      key: "time",
      value: "@daily",
      keyPos: { line: 1, column: 16 },
      valuePos: { line: 1, column: 22 },
    });
  });

  it("reads a file with a byte-order mark before the shebang", () => {
    const r = extract(`\uFEFF${specExample}`, "bin/reindex");
    assert.deepEqual(r, extract(specExample, "bin/reindex"));
  });

  it("reads continuation lines written without the * decoration", () => {
    const r = extract("/**\n  @crontab\n    time: @daily\n    package: p\n*/\n", "a.js");
    assert.deepEqual(r.sections[0]?.pos, { line: 2, column: 3 });
    assert.deepEqual(r.sections[0]?.entries[1]?.keyPos, { line: 4, column: 5 });
  });

  it("reports lines that are not key: value inside a @crontab tag", () => {
    const text = "/**\n * @crontab\n *   time: @daily\n *   run every day\n *   : empty key\n */\n";
    const r = extract(text, "a.js");
    assert.deepEqual(problemsOf(r), ["metadata-syntax@4:6", "metadata-syntax@5:6"]);
    assert.deepEqual(pairs(r), [["time=@daily"]]);
  });

  it("reports an empty @crontab as metadata-empty", () => {
    const r = extract("/**\n * @crontab\n * # not yet\n * @crontab\n *   time: @daily\n */\n", "a.js");
    assert.deepEqual(problemsOf(r), ["metadata-empty@2:4"]);
    assert.deepEqual(r.sections.map((s) => s.index), [0]);
  });

  it("reports a misspelt tag", () => {
    const r = extract("/**\n * @crontabs\n *   time: @daily\n * @CronTab\n */\n// @crontab\n", "a.js");
    assert.deepEqual(problemsOf(r), ["metadata-syntax@2:4", "metadata-syntax@4:4"]);
    assert.match(r.problems[0]?.message ?? "", /unknown tag @crontabs: did you mean @crontab\?/);
  });

  it("ignores @crontab in strings, a line comment without keys, mid-line prose and fenced examples", () => {
    const text = [
      "const doc = '/** @crontab time: @daily */';",
      "// see @crontab below",
      "//   time is up",
      "const t = `",
      " * @crontab",
      "`;",
      "/**",
      " * Jobs are declared with a @crontab tag.",
      " * ```",
      " * @crontab",
      " * ```",
      " */",
      "",
    ].join("\n");
    assert.equal(extractJsdoc(text, "a.js"), null);
  });

  it("reports the near misses: @crontab with keys in a // comment, mid-line in a comment", () => {
    const r = extract("// @crontab\n//   time: @daily\nx();\n/** Jobs: @crontab time: @daily */\n/*\n * Jobs: @crontab\n *   package: p1\n */\n", "a.js");
    assert.deepEqual(problemsOf(r), ["metadata-syntax@1:4", "metadata-syntax@4:11", "metadata-syntax@6:10"]);
    assert.match(r.problems[0]?.message ?? "", /in a \/\/ comment is not read/);
    assert.match(r.problems[1]?.message ?? "", /is not a tag, so its job is not read/);
  });

  it("reports @crontab in a /* */ comment that is not JSDoc", () => {
    const r = extract("/*\n * @crontab\n *   time: @daily\n */\n/*** @crontab */\n", "a.js");
    assert.deepEqual(problemsOf(r), ["metadata-syntax@2:4", "metadata-syntax@5:6"]);
    assert.match(r.problems[0]?.message ?? "", /only read from a \/\*\* … \*\/ comment/);
    assert.deepEqual(r.sections, []);
  });

  describe("jsdoc-comment-closed", () => {
    const closed = [
      "#!/usr/bin/env node",
      "/**",
      " * @crontab",
      " *   package: p",
      " *   time: */10 * * * *",
      " *   params: --full",
      " */",
      "main();",
      "",
    ].join("\n");

    it("reports the */ that ended the comment, and no parse error", () => {
      const r = extract(closed, "bin/job");
      assert.deepEqual(problemsOf(r), ["jsdoc-comment-closed@5:12"]);
      assert.match(r.problems[0]?.message ?? "", /write "\*\\\/10"/);
    });

    it("still reads the section as the author meant it", () => {
      const r = extract(closed, "bin/job");
      assert.deepEqual(pairs(r), [["package=p", "time=*/10 * * * *", "params=--full"]]);
      assert.deepEqual(r.sections[0]?.entries[1]?.valuePos, { line: 5, column: 12 });
    });

    it("reports each early */ in one file, in TypeScript too", () => {
      const text = "/**\n * @crontab\n *   time: 0 */2 * * *\n * @crontab\n *   time: 0 0 * * */3\n */\nexport const x: number = 1;\n";
      const r = extract(text, "a.ts");
      assert.deepEqual(problemsOf(r), ["jsdoc-comment-closed@3:14", "jsdoc-comment-closed@5:20"]);
      assert.deepEqual(pairs(r), [["time=0 */2 * * *"], ["time=0 0 * * */3"]]);
    });

    it("does not blame a @crontab comment for an unrelated syntax error", () => {
      const text = "/** @crontab\n * time: @daily */ const a = 1;\nconst b = ;\n";
      const r = extract(text, "a.js");
      assert.deepEqual(problemsOf(r), ["metadata-syntax@3:11"]);
    });
  });

  it("reports a file Babel cannot parse at Babel's position", () => {
    const text = "function (\n/**\n * @crontab\n *   time: @daily\n */\n";
    const r = extract(text, "a.js");
    assert.deepEqual(problemsOf(r), ["metadata-syntax@1:10"]);
    assert.match(r.problems[0]?.message ?? "", /^could not parse JavaScript\/TypeScript.*: Unexpected token$/);
    assert.deepEqual(r.sections, []);
  });

  describe("parsing only the head, up to the last @crontab comment", () => {
    it("reads the jobs of a file whose code after the comment does not parse", () => {
      const text = "#!/usr/bin/env node\n/**\n * @crontab\n *   time: @daily\n */\nfunction (\n";
      assert.deepEqual(pairs(extract(text, "a.js")), [["time=@daily"]]);
      assert.deepEqual(extract(text, "a.js").problems, []);
    });

    it("still reports a syntax error before the comment", () => {
      const text = "const a = ;\n/** @crontab time: @daily */\nrun();\n";
      assert.deepEqual(problemsOf(extract(text, "a.js")), ["metadata-syntax@1:11"]);
    });

    it("still finds that a @crontab comment sits in a template literal closed after it", () => {
      const text = "const help = `\n/**\n * @crontab\n *   time: @daily\n */\n`;\n";
      assert.equal(extractJsdoc(text, "a.js"), null);
    });

    it("still finds that a @crontab comment sits in a string closed after it", () => {
      const text = "const help = '\\\n/** @crontab time: @daily */\\\n';\n";
      assert.equal(extractJsdoc(text, "a.js"), null);
    });

    it("parses the whole file when the comment sits inside a block", () => {
      const text = "class Jobs {\n  /**\n   * @crontab\n   *   time: @daily\n   */\n  run() {}\n}\n";
      assert.deepEqual(pairs(extract(text, "a.js")), [["time=@daily"]]);
    });

    it("includes the lines after an early */ in the head, so it is still reported", () => {
      const text = "/**\n * @crontab\n *   time: */10 * * * *\n */\nfunction (\n";
      const r = extract(text, "a.js");
      assert.deepEqual(problemsOf(r).slice(0, 1), ["jsdoc-comment-closed@3:12"]);
      assert.deepEqual(pairs(r), [["time=*/10 * * * *"]]);
    });
  });

  it("reads comments despite errors Babel recovers from", () => {
    const text = "let a; let a;\n'use strict';\n/**\n * @crontab\n *   time: @daily\n */\n";
    assert.deepEqual(pairs(extract(text, "a.js")), [["time=@daily"]]);
  });

  it("turns a parser crash on absurd nesting into a problem", () => {
    const text = `x = ${"(".repeat(30000)}1${")".repeat(30000)};\n/** @crontab time: @daily */\n`;
    const r = extract(text, "deep.js");
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]?.rule, "metadata-syntax");
    assert.deepEqual(r.problems[0]?.pos, { line: 1, column: 1 });
  });
});
