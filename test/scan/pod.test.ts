import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractPod } from "../../src/scan/index.js";
import type { ScanProblem } from "../../src/types.js";

/** The problems as compact `rule@line:column` strings, for exact comparisons. */
function problemsOf(text: string): string[] {
  const result = extractPod(text);
  assert.ok(result, "expected a METADATA block");
  return result.problems.map((p: ScanProblem) => `${p.rule}@${p.pos.line}:${p.pos.column}`);
}

const perl = `#!/usr/bin/perl
use strict;

=head1 METADATA

<crontab>
    package: my-project-scripts1
    params: --mod 2 --rem 0
    time: */2 * * * *
</crontab>
<crontab>
    package: my-project-scripts1
    params: --mod 2 --rem 1
    time: */2 * * * *
</crontab>

=cut

print "hello\\n";
`;

describe("extractPod", () => {
  it("returns null without a METADATA block", () => {
    assert.equal(extractPod("#!/bin/sh\necho hi\n"), null);
    assert.equal(extractPod("=head1 NAME\n\nfoo\n\n=cut\n"), null);
    // A heading that only looks like it, with no <crontab> section, in another case: not a near miss.
    assert.equal(extractPod("=head1 Metadata\n\nThe module keeps metadata.\n\n=cut\n"), null);
  });

  it("reports near misses of the block instead of dropping their jobs (test/scan/near-miss.test.ts has the table)", () => {
    assert.deepEqual(problemsOf(" =head1 METADATA\n<crontab>\ntime: 1\n</crontab>\n"), ["metadata-syntax@1:2"]);
    assert.deepEqual(problemsOf("=head1 METADATA here\n"), ["metadata-syntax@1:1"]);
    assert.deepEqual(problemsOf("=head2 METADATA\n"), ["metadata-syntax@1:1"]);
    assert.equal(extractPod("=head2 METADATA\n")?.sections.length, 0);
  });

  it("reads the Perl example of the SPEC with exact positions", () => {
    const result = extractPod(perl);
    assert.deepEqual(result, {
      problems: [],
      sections: [
        {
          form: "pod",
          pos: { line: 6, column: 1 },
          index: 0,
          entries: [
            { key: "package", value: "my-project-scripts1", keyPos: { line: 7, column: 5 }, valuePos: { line: 7, column: 14 } },
            { key: "params", value: "--mod 2 --rem 0", keyPos: { line: 8, column: 5 }, valuePos: { line: 8, column: 13 } },
            { key: "time", value: "*/2 * * * *", keyPos: { line: 9, column: 5 }, valuePos: { line: 9, column: 11 } },
          ],
        },
        {
          form: "pod",
          pos: { line: 11, column: 1 },
          index: 1,
          entries: [
            { key: "package", value: "my-project-scripts1", keyPos: { line: 12, column: 5 }, valuePos: { line: 12, column: 14 } },
            { key: "params", value: "--mod 2 --rem 1", keyPos: { line: 13, column: 5 }, valuePos: { line: 13, column: 13 } },
            { key: "time", value: "*/2 * * * *", keyPos: { line: 14, column: 5 }, valuePos: { line: 14, column: 11 } },
          ],
        },
      ],
    });
  });

  it("reads a shell here-document", () => {
    const sh = [
      "#!/bin/sh",
      ": <<'=cut'",
      "=head1 METADATA",
      "",
      "<crontab>",
      "\tpackage: scripts",
      "\ttime: @daily",
      "</crontab>",
      "=cut",
      'echo "done"',
    ].join("\n");
    const result = extractPod(sh);
    assert.ok(result);
    assert.deepEqual(result.problems, []);
    assert.equal(result.sections.length, 1);
    // A tab counts as one column.
    assert.deepEqual(result.sections[0]?.entries[1], {
      key: "time",
      value: "@daily",
      keyPos: { line: 7, column: 2 },
      valuePos: { line: 7, column: 8 },
    });
  });

  it("reads a Python docstring", () => {
    const py = ['#!/usr/bin/python3', '"""', "=head1 METADATA", "", "<crontab>", "  package: py", "  time: 0 3 * * *", "</crontab>", "", "=cut", '"""', "import sys", ""].join("\n");
    const result = extractPod(py);
    assert.ok(result);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.sections[0]?.entries.map((e) => [e.key, e.value]),
      [["package", "py"], ["time", "0 3 * * *"]],
    );
  });

  it("reads Windows line endings without keeping the CR", () => {
    const crlf = perl.replaceAll("\n", "\r\n");
    const result = extractPod(crlf);
    assert.deepEqual(result, extractPod(perl));
  });

  it("ignores a leading byte-order mark for columns", () => {
    const result = extractPod("\uFEFF=head1 METADATA\n<crontab>\n  time: @daily\n</crontab>\n");
    assert.equal(result?.sections[0]?.entries[0]?.keyPos.column, 3);
  });

  it("keeps ':' inside values, trims blanks, and accepts trailing blanks and comments", () => {
    const text = "=head1 METADATA   \n\n# a comment\n  <crontab>  \n  # a comment\n  description:   at 10:30: rebuild   \n  params:\n  </crontab>\t\n=cut\n";
    const result = extractPod(text);
    assert.ok(result);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.sections[0]?.pos, { line: 4, column: 3 });
    assert.deepEqual(result.sections[0]?.entries, [
      { key: "description", value: "at 10:30: rebuild", keyPos: { line: 6, column: 3 }, valuePos: { line: 6, column: 18 } },
      // An empty value points just after the colon.
      { key: "params", value: "", keyPos: { line: 7, column: 3 }, valuePos: { line: 7, column: 10 } },
    ]);
  });

  it("reports entries in order without judging keys (lint rules do that)", () => {
    const result = extractPod("=head1 METADATA\n<crontab>\nfoo: 1\nfoo: 2\nTime zone: x\n</crontab>\n");
    assert.deepEqual(
      result?.sections[0]?.entries.map((e) => `${e.key}=${e.value}`),
      ["foo=1", "foo=2", "Time zone=x"],
    );
  });

  it("ends the block at =cut, at any POD command, or at end of file", () => {
    const tail = "<crontab>\ntime: @daily\n</crontab>\n";
    for (const end of ["=cut", "=head1 NAME", "=head2 X", "=pod", "=begin text", "=encoding utf8"]) {
      const result = extractPod(`=head1 METADATA\n${tail}${end}\nstray text after the block\n<crontab>\n`);
      // The <crontab> after the block is a section of no block: reported, not read.
      assert.deepEqual(result?.problems.map((p) => `${p.pos.line}:${p.pos.column} ${p.message.slice(0, 60)}`), ["7:1 this <crontab> section is outside a METADATA block, so its j"], end);
      assert.equal(result?.sections.length, 1, end);
    }
    assert.equal(extractPod(`=head1 METADATA\n${tail}`)?.sections.length, 1);
  });

  it("reports text outside a section, such as a misspelt tag", () => {
    assert.deepEqual(problemsOf("=head1 METADATA\n<contab>\n  time: @daily\n</contab>\n=cut\n"), [
      "metadata-syntax@2:1",
      "metadata-syntax@3:3",
      "metadata-syntax@4:1",
      "metadata-empty@1:1",
    ].sort(byPosition));
  });

  it("reports a line without ':' and a line with an empty key", () => {
    const result = extractPod("=head1 METADATA\n<crontab>\n  time @daily\n   : value\n  package: p\n</crontab>\n");
    assert.ok(result);
    assert.deepEqual(result.problems.map((p) => `${p.rule}@${p.pos.line}:${p.pos.column}`), ["metadata-syntax@3:3", "metadata-syntax@4:4"]);
    assert.match(result.problems[0]?.message ?? "", /key: value.*time @daily/);
    // The valid entry is still reported.
    assert.deepEqual(result.sections[0]?.entries.map((e) => e.key), ["package"]);
  });

  it("reports an unclosed section at its <crontab> and keeps its entries", () => {
    const result = extractPod("=head1 METADATA\n\n  <crontab>\n  time: @daily\n=cut\n");
    assert.ok(result);
    assert.deepEqual(result.problems.map((p) => `${p.rule}@${p.pos.line}:${p.pos.column}`), ["metadata-syntax@3:3"]);
    assert.match(result.problems[0]?.message ?? "", /not closed/);
    assert.equal(result.sections[0]?.entries.length, 1);
  });

  it("reports a section left open at end of file", () => {
    assert.deepEqual(problemsOf("=head1 METADATA\n<crontab>\ntime: @daily\n"), ["metadata-syntax@2:1"]);
  });

  it("reports a nested <crontab> and a </crontab> without opening", () => {
    const result = extractPod("=head1 METADATA\n<crontab>\ntime: 1\n<crontab>\ntime: 2\n</crontab>\n</crontab>\n");
    assert.ok(result);
    assert.deepEqual(result.problems.map((p) => `${p.rule}@${p.pos.line}:${p.pos.column}`), ["metadata-syntax@4:1", "metadata-syntax@7:1"]);
    assert.match(result.problems[0]?.message ?? "", /inside a section opened at line 2/);
    assert.match(result.problems[1]?.message ?? "", /without a matching/);
    assert.deepEqual(result.sections.map((s) => [s.index, s.entries[0]?.value]), [[0, "1"], [1, "2"]]);
  });

  it("reports an empty section and an empty block as metadata-empty", () => {
    assert.deepEqual(problemsOf("=head1 METADATA\n\n<crontab>\n  # nothing yet\n\n</crontab>\n=cut\n"), ["metadata-empty@3:1"]);
    assert.deepEqual(problemsOf("=head1 METADATA\n\n=cut\n"), ["metadata-empty@1:1"]);
    assert.deepEqual(problemsOf("=head1 METADATA"), ["metadata-empty@1:1"]);
    // An empty section is not returned as a job; the next one gets index 0.
    const result = extractPod("=head1 METADATA\n<crontab>\n</crontab>\n<crontab>\ntime: 1\n</crontab>\n");
    assert.deepEqual(result?.sections.map((s) => [s.index, s.pos.line]), [[0, 4]]);
  });

  it("reports a second METADATA block and does not read it", () => {
    const text = `${perl}\n=head1 METADATA\n\n<crontab>\ntime: 1\n</crontab>\n=cut\n`;
    const result = extractPod(text);
    assert.ok(result);
    assert.equal(result.sections.length, 2);
    assert.deepEqual(result.problems.map((p) => `${p.rule}@${p.pos.line}:${p.pos.column}`), ["metadata-syntax@21:1"]);
    assert.match(result.problems[0]?.message ?? "", /second METADATA block \(the first is at line 4\)/);
  });

  it("reports a second block that directly follows the first", () => {
    assert.deepEqual(problemsOf("=head1 METADATA\n<crontab>\ntime: 1\n</crontab>\n=head1 METADATA\n"), ["metadata-syntax@5:1"]);
  });

  it("counts columns in UTF-16 code units", () => {
    const result = extractPod("=head1 METADATA\n<crontab>\n\u{1F600} time: x\n</crontab>\n");
    // The emoji is two code units; the key starts at column 1 and includes it.
    assert.deepEqual(result?.sections[0]?.entries[0], {
      key: "\u{1F600} time",
      value: "x",
      keyPos: { line: 3, column: 1 },
      valuePos: { line: 3, column: 10 },
    });
  });
});

function byPosition(a: string, b: string): number {
  const pos = (s: string): number[] => (s.split("@")[1] ?? "").split(":").map(Number);
  const [la = 0, ca = 0] = pos(a);
  const [lb = 0, cb = 0] = pos(b);
  return la - lb || ca - cb;
}
