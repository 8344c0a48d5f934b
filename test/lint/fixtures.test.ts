// Fixture projects carry their expected diagnostics inline: a comment
// `expect+N RULE COLUMN` (or `expect-N`) says RULE is reported N lines below (above) it, at COLUMN.
// The test fails on any missing or extra diagnostic.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import fg from "fast-glob";
import { lintProject } from "../../src/project.js";
import { fixturesDir } from "../helpers/paths.js";

const MARKER = /expect([+-]\d+) ([a-z-]+) (\d+)/g;

async function expectedDiagnostics(root: string): Promise<string[]> {
  const files = await fg("**/*", { cwd: root, dot: true, ignore: ["**/node_modules/**", "debian/*/**"] });
  const expected: string[] = [];
  for (const file of files.sort()) {
    const lines = (await readFile(join(root, file), "utf8")).split("\n");
    lines.forEach((text, index) => {
      for (const m of text.matchAll(MARKER)) {
        expected.push(`${file}:${index + 1 + Number(m[1])}:${m[3]} ${m[2]}`);
      }
    });
  }
  return expected.sort();
}

describe("fixture projects with inline expectations", () => {
  for (const name of ["lint-project"]) {
    it(name, async () => {
      const root = join(fixturesDir, name);
      const result = await lintProject({ root });
      const actual = result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`).sort();
      assert.deepEqual(actual, await expectedDiagnostics(root));
      // Skipped trees (node_modules, debian/<pkg>/) hold broken METADATA that must not be read.
      assert.ok(!result.diagnostics.some((d) => d.file.includes("node_modules") || d.file.startsWith("debian/demo-scripts/")));
    });
  }
});
