// The `cronmeta lint` CLI table, run both in-process and through the real executable.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { chmod } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { control, makeProject, pod, removeProject } from "../helpers/project.js";
import type { Runner } from "../helpers/cli.js";

/** Registers the `cronmeta lint` CLI tests for each of `runners`. */
export function defineLintCliCases(runners: Runner[]): void {
const P = "package: my-project-scripts1";
let clean: string;
let broken: string;
let warnings: string;
let badConfig: string;

before(async () => {
  const common = {
    "debian/control": control("my-project", "my-project-scripts1"),
    "debian/my-project.install": "bin/* usr/share/my-project/bin\n",
  };
  clean = await makeProject({ ...common, "bin/ok.pl": pod([P, "time: */5 * * * *"], [P, "time: 0 3 * * *", "params: --full"]) });
  broken = await makeProject({
    ...common,
    "bin/a.pl": pod([P, "time: 1/20 * * * *"]),
    "bin/b.sh": pod(["package: nope", "time: 0 3 * * *", "colour: red"]),
  });
  warnings = await makeProject({ ...common, "bin/w.pl": pod([P, "time: @reboot"], [P, "time: 0 0 13 * fri", "params: -x"]) });
  badConfig = await makeProject({ ...common, "cronmeta.config.json": JSON.stringify({ rules: { "no-such-rule": "off" } }) });
});

after(async () => {
  for (const root of [clean, broken, warnings, badConfig]) await removeProject(root);
});

for (const [how, run] of runners) {
  describe(`cronmeta lint (${how})`, () => {
    it("exits 0 on a clean project and says how many jobs it checked", async () => {
      const r = await run(["lint"], clean);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "2 jobs checked\n");
    });

    it("exits 1 and reports every problem, sorted, in one run", async () => {
      const r = await run(["lint", "--format", "json", "--root", broken], "/");
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as { version: number; diagnostics: Array<{ file: string; line: number; column: number; rule: string; severity: string }>; errorCount: number; warningCount: number; jobCount: number };
      assert.equal(out.version, 1);
      assert.deepEqual(
        out.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule}`),
        [
          "bin/a.pl:8:11 error cron-time-invalid",
          "bin/b.sh:7:14 error package-unknown",
          "bin/b.sh:9:5 error metadata-unknown-key",
        ],
      );
      assert.equal(out.errorCount, 3);
      assert.equal(out.warningCount, 0);
      assert.equal(out.jobCount, 0);
    });

    it("prints stylish output with rule ids and a summary", async () => {
      const r = await run(["lint"], broken);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^bin\/a\.pl\n {2}8:11 {5}error {4}.*cron-time-invalid$/m);
      assert.match(r.stdout, /✖ 3 problems \(3 errors, 0 warnings\)/);
      assert.doesNotMatch(r.stdout, /\u001b\[/, "no colours when not on a TTY");
    });

    it("prints GitHub workflow commands", async () => {
      const r = await run(["lint", "--format", "github"], broken);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split("\n");
      assert.equal(lines.length, 3);
      assert.match(lines[0]!, /^::error file=bin\/a\.pl,line=8,col=11,endLine=8,endColumn=\d+,title=cron-time-invalid::.+/);
    });

    it("prints SARIF 2.1.0", async () => {
      const r = await run(["lint", "--format", "sarif"], broken);
      assert.equal(r.code, 1);
      const sarif = JSON.parse(r.stdout) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }> }> };
      assert.equal(sarif.version, "2.1.0");
      const run0 = sarif.runs[0]!;
      assert.equal(run0.results.length, 3);
      assert.equal(run0.results[0]!.ruleId, "cron-time-invalid");
      assert.deepEqual(run0.results[0]!.locations[0]!.physicalLocation.region.startLine, 8);
      assert.ok(run0.tool.driver.rules.some((rule) => rule.id === "lockname-collision"));
    });

    it("counts warnings against --max-warnings", async () => {
      assert.equal((await run(["lint"], warnings)).code, 0);
      assert.equal((await run(["lint", "--max-warnings", "2"], warnings)).code, 0);
      const r = await run(["lint", "--max-warnings", "1"], warnings);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /too many warnings \(2, --max-warnings 1\)/);
    });

    it("exits 2 with one line for a bad configuration", async () => {
      const r = await run(["lint"], badConfig);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, "cronmeta: cronmeta.config.json: rules.no-such-rule: unknown rule (see docs/rules.md)\n");
      assert.equal(r.stdout, "");
    });

    it("exits 2 for a missing root, a bad option and a bad format, without a stack trace", async () => {
      for (const args of [["lint", "--root", "/nonexistent/x"], ["lint", "--bogus"], ["lint", "--format", "xml"], ["lint", "--max-warnings", "-1"], ["frobnicate"]]) {
        const r = await run(args, clean);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
        assert.ok(r.stderr.length > 0);
      }
    });

    it("prints help and version", async () => {
      const help = await run(["--help"], clean);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /lint/);
      assert.match(help.stdout, /Exit codes/);
      const lintHelp = await run(["lint", "--help"], clean);
      assert.equal(lintHelp.code, 0);
      assert.match(lintHelp.stdout, /--max-warnings/);
      const version = await run(["--version"], clean);
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    });
  });
}

it("never crashes on an unreadable script (root reads it anyway, so use a mode-000 dir as non-root)", async () => {
  // As root every file is readable; this asserts the scan still completes with a chmod'ed file.
  const root = await makeProject({ "debian/control": control("p1"), "bin/x.pl": pod(["package: p1", "time: 0 1 * * *"]) });
  try {
    await chmod(`${root}/bin/x.pl`, 0o000);
    const [, run] = runners[0]!;
    const r = await run(["lint", "--format", "json"], root);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    JSON.parse(r.stdout);
  } finally {
    await removeProject(root);
  }
});
}
