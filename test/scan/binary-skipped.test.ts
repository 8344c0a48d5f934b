// A script that a NUL byte makes look binary is still skipped (as git and grep would), but no
// longer in silence: `scan-binary-skipped` warns at the NUL byte when the file would have been
// read for METADATA (issue 12). Real binaries, and files whose marker the prefilters would
// reject anyway, stay silent.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { lintProject } from "../../src/project.js";
import { binarySkippedProblem } from "../../src/scan/binary-skipped.js";
import type { Diagnostic } from "../../src/types.js";
import { control, withProject } from "../helpers/project.js";

const pod = (timeLine: string): string =>
  `#!/usr/bin/perl\n\n=head1 METADATA\n\n<crontab>\n    package: p1\n    ${timeLine}\n</crontab>\n\n=cut\n\nprint "hi\\n";\n`;
const jsdoc = (timeLine: string): string => `/**\n * @crontab\n *   package: p1\n *   ${timeLine}\n */\nconsole.log("hi");\n`;

// Every script here is installed where cronmeta assumes (no debian/*.install needed).
const config = { "cronmeta.config.json": '{ "rules": { "script-not-installed": "off" } }' };
const brief = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule}`;

describe("scan-binary-skipped", () => {
  it("warns at the NUL byte of a POD or JSDoc script skipped as binary, which declares no job", async () => {
    const files = {
      ...config,
      "debian/control": control("p1"),
      "bin/ok.pl": pod("time: 0 3 * * *"),
      "bin/nul.pl": pod("time: 0 3 * * *\u0000"),
      "bin/nul.js": jsdoc("time: 0 4 * * *   \u0000"),
      // Columns count UTF-16 code units of the decoded line (docs/scanning.md), after a BOM.
      "bin/wide.sh": `\ufeff=head1 METADATA\n<crontab>\n  package: p1\n  time: @daily # é😀\u0000\n</crontab>\n=cut\n`,
    };
    await withProject(files, async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics.map(brief), [
        "bin/nul.js:4:24 warning scan-binary-skipped",
        "bin/nul.pl:7:20 warning scan-binary-skipped",
        "bin/wide.sh:4:21 warning scan-binary-skipped",
      ]);
      assert.deepEqual(result.jobs.map((j) => j.file), ["bin/ok.pl"]);
      assert.equal(result.errorCount, 0);
      const [js, pl] = result.diagnostics;
      assert.match(pl?.message ?? "", /^this NUL byte makes cronmeta skip the file as binary \(a NUL in the first 8 KiB, as git and grep decide\), so the METADATA block at line 3 declares no job; remove the NUL byte/);
      assert.match(js?.message ?? "", /so the @crontab tag at line 2 declares no job/);
    });
  });

  it("stays silent for real binaries and for markers the prefilters reject", async () => {
    const files = {
      ...config,
      "debian/control": control("p1"),
      // A PNG-like header; the marker does not start a line, so it would not open a block.
      "assets/logo.png": "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR=head1 METADATA and @crontab\n",
      // `@crontab` only in a string of a JavaScript file: never a tag.
      "lib/help.js": 'const usage = "see @crontab";\u0000\n',
      // `@crontab` in a POD-form file is not POD's marker.
      "bin/tool.pl": "/** @crontab time: @daily */\u0000\n",
      // A NUL after the first 8 KiB does not make a file binary: it is read as usual.
      "bin/late.pl": pod("time: 0 5 * * *") + " ".repeat(9000) + "\u0000\n",
    };
    await withProject(files, async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics, []);
      assert.deepEqual(result.jobs.map((j) => j.file), ["bin/late.pl"]);
    });
  });

  it("can be turned off or made an error in config rules, and survives the scan cache", async () => {
    const files = { ...config, "debian/control": control("p1"), "bin/nul.pl": pod("time: 0 3 * * *\u0000") };
    await withProject({ ...files, "cronmeta.config.json": '{ "rules": { "script-not-installed": "off", "scan-binary-skipped": "off" } }' }, async (root) => {
      assert.deepEqual((await lintProject({ root })).diagnostics, []);
    });
    await withProject({ ...files, "cronmeta.config.json": '{ "rules": { "script-not-installed": "off", "scan-binary-skipped": "error" } }' }, async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics.map(brief), ["bin/nul.pl:7:20 error scan-binary-skipped"]);
      assert.equal(result.errorCount, 1);
    });
    await withProject(files, async (root) => {
      const cacheLocation = join(root, "cache.json");
      const first = await lintProject({ root, cacheLocation });
      const second = await lintProject({ root, cacheLocation });
      assert.deepEqual(first.diagnostics.map(brief), ["bin/nul.pl:7:20 warning scan-binary-skipped"]);
      assert.deepEqual(second.diagnostics, first.diagnostics);
    });
  });

  it("reads only the bytes it is given: the first read of the file", () => {
    const head = Buffer.from("=head1 METADATA\n\u0000");
    assert.deepEqual(binarySkippedProblem(head, "pod")?.pos, { line: 2, column: 1 });
    assert.equal(binarySkippedProblem(head, "jsdoc"), null);
    assert.equal(binarySkippedProblem(Buffer.from("\u0000 nothing here"), "pod"), null);
    // A byte-order mark opens no column; a NUL right on the marker's line is still inside the head.
    assert.deepEqual(binarySkippedProblem(Buffer.from("\ufeff=head1 METADATA é\u0000\n"), "pod")?.pos, { line: 1, column: 18 });
  });
});
