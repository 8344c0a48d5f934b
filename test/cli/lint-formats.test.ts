// `cronmeta lint --format` comes from the formatter registry (src/lint/formatters/index.ts):
// every registered format is accepted, prints that formatter's output and is listed in --help
// with its description; anything else is a usage error.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_LINT_FORMAT, LINT_FORMATS, LINT_FORMATTERS, formatLintReport } from "../../src/lint/formatters/index.js";
import { lintProject } from "../../src/project.js";
import { runInProcess } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/paths.js";

const root = join(fixturesDir, "lint-project");

describe("lint output formats", () => {
  it("registers stylish (the default), json, github and sarif", () => {
    assert.deepEqual(LINT_FORMATS, ["stylish", "json", "github", "sarif"]);
    assert.equal(DEFAULT_LINT_FORMAT, "stylish");
  });

  it("prints each registered format's output for --format, and stylish without it", async () => {
    const project = await lintProject({ root });
    const report = { diagnostics: project.diagnostics, errorCount: project.errorCount, warningCount: project.warningCount, jobCount: project.jobs.length };
    assert.ok(project.diagnostics.length > 0, "the fixture has diagnostics to format");
    const outputs = new Set<string>();
    for (const format of LINT_FORMATS) {
      const run = await runInProcess(["lint", "--root", root, "--format", format], root);
      assert.equal(run.code, 1, `${format}: the fixture has errors`);
      assert.equal(run.stdout, await formatLintReport(report, format, { colour: false }), format);
      outputs.add(run.stdout);
    }
    assert.equal(outputs.size, LINT_FORMATS.length, "every format prints something different");
    const plain = await runInProcess(["lint", "--root", root], root);
    assert.equal(plain.stdout, await formatLintReport(report, DEFAULT_LINT_FORMAT, { colour: false }));
    assert.match(plain.stdout, /^bin\/backup\.pl\n {2}12:19 +error {2}/);
  });

  it("lists every format with its description in lint --help, and refuses others", async () => {
    const help = await runInProcess(["lint", "--help"], root);
    assert.equal(help.code, 0);
    for (const format of LINT_FORMATS) assert.match(help.stdout, new RegExp(`^  ${format} +${escape(LINT_FORMATTERS[format].description)}$`, "m"));
    const bad = await runInProcess(["lint", "--root", root, "--format", "xml"], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Allowed choices are stylish, json, github, sarif/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
