// Near misses of METADATA (issue 17, item 1): every form a person could mean as METADATA but
// cronmeta would not read is a diagnostic at its line, never 0 jobs with exit 0. One project
// per case; the table holds the file, the expected diagnostics and the exit code.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { control, makeProject, removeProject } from "../helpers/project.js";

const SECTION = ["<crontab>", "    package: p1", "    time: @daily", "</crontab>"];
const JS = [" * @crontab", " *   package: p1", " *   time: @daily"];

interface NearMissCase {
  name: string;
  file: string;
  lines: string[];
  /** `rule line:column severity`. */
  expect: string[];
  /** A substring of the first message. */
  says?: string;
  code: number;
}

export const NEAR_MISS_CASES: NearMissCase[] = [
  { name: "=head1 Metadata", file: "bin/a.pl", lines: ["#!/usr/bin/perl", "", "=head1 Metadata", "", ...SECTION, "", "=cut"], expect: ["metadata-syntax 3:1 error"], says: '"=head1 Metadata" is not read as the METADATA heading, so the <crontab> section below it is not read: write "=head1 METADATA"', code: 1 },
  { name: "=head2 METADATA", file: "bin/b.pl", lines: ["=head2 METADATA", "", ...SECTION, ...SECTION, "=cut"], expect: ["metadata-syntax 1:1 error"], says: "the 2 <crontab> sections below it are not read", code: 1 },
  { name: "an indented heading", file: "bin/c.pl", lines: ["print 1;", "  =head1 METADATA", "", ...SECTION, "=cut"], expect: ["metadata-syntax 2:3 error"], says: "(a POD command must start its line)", code: 1 },
  { name: "text after the heading", file: "bin/d.pl", lines: ["=head1 METADATA (cron jobs)", "", ...SECTION, "=cut"], expect: ["metadata-syntax 1:1 error"], says: "with nothing after it", code: 1 },
  { name: "an upper-case METADATA heading with nothing under it", file: "bin/e.pl", lines: ["=head2 METADATA", "", "=cut"], expect: ["metadata-syntax 1:1 error"], says: "nothing below it is read", code: 1 },
  { name: "<crontab> sections without a heading", file: "bin/f.sh", lines: ["#!/bin/sh", ": <<'=cut'", ...SECTION, "=cut"], expect: ["metadata-syntax 3:1 error"], says: 'put "=head1 METADATA" on a line of its own above the sections', code: 1 },
  { name: "a Metadata heading of other docs is not a near miss", file: "lib/Mod.pm", lines: ["=head1 Metadata", "", "The module keeps metadata.", "", "=cut"], expect: [], code: 0 },
  { name: "@crontab in a /* comment", file: "bin/g.js", lines: ["/*", ...JS, " */"], expect: ["metadata-syntax 2:4 error"], says: 'write "/**" to open the comment', code: 1 },
  { name: "@crontab mid-line in a /* comment", file: "bin/h.js", lines: ["/*", " * Jobs: @crontab", " *   package: p1", " */"], expect: ["metadata-syntax 2:10 error"], code: 1 },
  { name: "@crontab mid-line in a /** comment", file: "bin/i.js", lines: ["/** Jobs: @crontab time: @daily */"], expect: ["metadata-syntax 1:11 error"], says: "is not a tag", code: 1 },
  { name: "@crontab in // comments", file: "bin/j.ts", lines: ["// @crontab", "//   package: p1", "//   time: @daily", "export {};"], expect: ["metadata-syntax 1:4 error"], says: "in a // comment is not read", code: 1 },
  { name: "a @crontab mention in prose is not a near miss", file: "bin/k.js", lines: ["/** Jobs are declared with @crontab tags. */", "// see @crontab", "x();"], expect: [], code: 0 },
];

/** Registers the near-miss tests for each of `runners`. */
export function defineNearMissCases(runners: Runner[]): void {
  const roots: string[] = [];
  before(async () => {
    for (const c of NEAR_MISS_CASES) {
      roots.push(await makeProject({ "debian/control": control("p1"), "debian/p1.install": "bin/* usr/bin\nlib/* usr/lib\n", [c.file]: `${c.lines.join("\n")}\n` }));
    }
  });
  after(async () => {
    for (const root of roots) await removeProject(root);
  });

  for (const [how, run] of runners) {
    describe(`near misses of METADATA (${how})`, () => {
      NEAR_MISS_CASES.forEach((c, i) => {
        it(`${c.name}: ${c.expect.join(", ") || "nothing"}, exit ${c.code}`, async () => {
          const r = await run(["lint", "--format", "json"], roots[i] ?? "");
          assert.equal(r.code, c.code, r.stdout + r.stderr);
          const out = JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; line: number; column: number; rule: string; severity: string; message: string }> };
          assert.deepEqual(out.diagnostics.map((d) => `${d.rule} ${d.line}:${d.column} ${d.severity}`), c.expect);
          for (const d of out.diagnostics) assert.equal(d.file, c.file);
          if (c.says !== undefined) assert.ok(out.diagnostics[0]?.message.includes(c.says), out.diagnostics[0]?.message);
        });
      });

      it("list says so instead of No jobs.", async () => {
        const r = await run(["list"], roots[0] ?? "");
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^bin\/a\.pl:3:1 error metadata-syntax "=head1 Metadata" is not read/m);
        assert.doesNotMatch(r.stdout, /No jobs/);
      });
    });
  }
}
