// Where `cronmeta import --write` puts METADATA in each kind of script, and that it never puts
// it where it would not read back as written.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasMetadata, insertMetadata, scriptLanguage } from "../../src/import/insert.js";
import type { SectionEntries } from "../../src/import/metadata-block.js";

const ONE: SectionEntries[] = [[["package", "p1"], ["time", "*/5 * * * *"], ["params", "--all"]]];
const TWO: SectionEntries[] = [[["package", "p1"], ["time", "0 3 * * *"]], [["package", "p1"], ["time", "0 4 * * *"], ["description", "later"]]];
const POD_ONE = ["=head1 METADATA", "", "<crontab>", "    package: p1", "    time: */5 * * * *", "    params: --all", "</crontab>", ""];

interface InsertCase {
  name: string;
  file: string;
  text: string;
  sections?: SectionEntries[];
  /** The expected text, or the start of the expected problem. */
  expect: string | { problem: string };
}

const CASES: InsertCase[] = [
  {
    name: "Perl with POD: before the =cut that ends the first POD region",
    file: "bin/a.pl",
    text: "#!/usr/bin/perl\nprint 1;\n__END__\n\n=head1 NAME\n\na - does a\n\n=cut\n",
    expect: ["#!/usr/bin/perl", "print 1;", "__END__", "", "=head1 NAME", "", "a - does a", "", ...POD_ONE, "=cut", ""].join("\n"),
  },
  {
    name: "Perl without POD, with __DATA__: before it",
    file: "bin/b.pl",
    text: "#!/usr/bin/perl\nprint <DATA>;\n__DATA__\nx\n",
    expect: ["#!/usr/bin/perl", "print <DATA>;", ...POD_ONE, "=cut", "", "__DATA__", "x", ""].join("\n"),
  },
  {
    name: "Perl without POD: at the end",
    file: "bin/c",
    text: "#!/usr/bin/perl -w\nprint 1;\n",
    expect: ["#!/usr/bin/perl -w", "print 1;", "", ...POD_ONE, "=cut", ""].join("\n"),
  },
  {
    name: "shell with an emptied here-document: into it",
    file: "bin/d.sh",
    text: "#!/bin/sh\nset -eu\n\n: <<'=cut'\n=cut\n\necho hi\n",
    expect: ["#!/bin/sh", "set -eu", "", ": <<'=cut'", ...POD_ONE, "=cut", "", "echo hi", ""].join("\n"),
  },
  {
    name: "shell without POD: a here-document after the header comments",
    file: "bin/e",
    text: "#!/bin/bash\n# Does e.\n# Really.\nset -e\necho e\n",
    expect: ["#!/bin/bash", "# Does e.", "# Really.", ": <<'=cut'", ...POD_ONE, "=cut", "", "set -e", "echo e", ""].join("\n"),
  },
  {
    name: "Python with a one-line docstring: split, block at its end",
    file: "bin/f.py",
    text: '#!/usr/bin/python3\n"""Does f."""\nimport sys\n',
    expect: ["#!/usr/bin/python3", '"""Does f.', "", ...POD_ONE, "=cut", '"""', "import sys", ""].join("\n"),
  },
  {
    name: "Python with a docstring whose quotes close on their own line",
    file: "bin/g.py",
    text: '"""Does g.\n\nMore.\n"""\nfrom __future__ import annotations\n',
    expect: ['"""Does g.', "", "More.", "", ...POD_ONE, "=cut", '"""', "from __future__ import annotations", ""].join("\n"),
  },
  {
    name: "Python without a docstring: a new one before the code",
    file: "bin/h.py",
    text: "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport os\n",
    expect: ["#!/usr/bin/env python3", "# -*- coding: utf-8 -*-", '"""', ...POD_ONE, "=cut", '"""', "import os", ""].join("\n"),
  },
  {
    name: "JavaScript with a leading docblock: tags before its */",
    file: "bin/i.js",
    text: "#!/usr/bin/node\n/**\n * Does i.\n *\n */\nconsole.log(1);\n",
    sections: TWO,
    expect: ["#!/usr/bin/node", "/**", " * Does i.", " *", " * @crontab", " *   package: p1", " *   time: 0 3 * * *", " * @crontab", " *   package: p1", " *   time: 0 4 * * *", " *   description: later", " */", "console.log(1);", ""].join("\n"),
  },
  {
    name: "JavaScript: a cron step is written *\\/",
    file: "bin/j.mjs",
    text: "/** Does j. */\nexport {};\n",
    expect: ["/** Does j.", " *", " * @crontab", " *   package: p1", " *   time: *\\/5 * * * *", " *   params: --all", " */", "export {};", ""].join("\n"),
  },
  {
    name: "TypeScript without a docblock: a new one after the shebang",
    file: "bin/k.ts",
    text: "#!/usr/bin/env tsx\nconst x: number = 1;\n",
    expect: ["#!/usr/bin/env tsx", "/**", " * @crontab", " *   package: p1", " *   time: *\\/5 * * * *", " *   params: --all", " */", "const x: number = 1;", ""].join("\n"),
  },
  {
    name: "CRLF line endings are kept",
    file: "bin/l.sh",
    text: "#!/bin/sh\r\necho l\r\n",
    expect: ["#!/bin/sh", ": <<'=cut'", ...POD_ONE, "=cut", "", "echo l", ""].join("\r\n"),
  },
  { name: "a script that has METADATA", file: "bin/m.pl", text: "=head1 METADATA\n\n<crontab>\n  time: @daily\n</crontab>\n\n=cut\n", expect: { problem: "the script already has METADATA" } },
  { name: "a near miss counts as METADATA", file: "bin/n.pl", text: "=head1 Metadata\n\n=cut\n", expect: { problem: "the script already has METADATA" } },
  { name: "a @crontab anywhere counts", file: "bin/o.js", text: "/* @crontab */\n", expect: { problem: "the script already has METADATA" } },
  { name: "a language cronmeta cannot place", file: "bin/p.rb", text: "#!/usr/bin/ruby\nputs 1\n", expect: { problem: "cronmeta does not know where" } },
  { name: "shell POD without =cut", file: "bin/q.sh", text: "#!/bin/sh\n: <<'EOF'\n=head1 NAME\nEOF\n", expect: { problem: "its POD has no =cut" } },
  {
    name: "a backslash in a non-raw Python docstring",
    file: "bin/r.py",
    text: '"""R."""\n',
    sections: [[["package", "p1"], ["time", "@daily"], ["params", "back\\slash"]]],
    expect: { problem: "the METADATA holds a backslash" },
  },
];

describe("import: inserting METADATA", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const result = insertMetadata(c.text, c.file, c.sections ?? ONE);
      if (typeof c.expect === "string") {
        assert.ok("text" in result, JSON.stringify(result));
        assert.equal(result.text, c.expect);
        assert.ok(hasMetadata(result.text, c.file));
      } else {
        assert.ok("problem" in result, JSON.stringify(result));
        assert.ok(result.problem.startsWith(c.expect.problem), result.problem);
      }
    });
  }

  it("tells languages by extension and shebang", () => {
    assert.equal(scriptLanguage("x.pm", ""), "perl");
    assert.equal(scriptLanguage("x", "#!/usr/bin/env perl"), "perl");
    assert.equal(scriptLanguage("x", "#!/bin/dash"), "shell");
    assert.equal(scriptLanguage("x", "#!/usr/bin/python3.11"), "python");
    assert.equal(scriptLanguage("x", "#!/usr/bin/env node"), "javascript");
    assert.equal(scriptLanguage("x.cts", ""), "javascript");
    assert.equal(scriptLanguage("x", "#!/usr/bin/awk -f"), "other");
  });
});
