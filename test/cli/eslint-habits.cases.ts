// What people who use ESLint expect of `cronmeta lint` (issue 17, items 4 and 5): the project
// root found upward from the current directory, a directory that is not a project refused,
// files, directories and globs as arguments (with project-wide checks still seeing every file),
// --quiet, -o/--output-file, -f, --color/--no-color, --print-config, -v, and an unknown
// command that is a usage error with a guess. In-process and through the real executable.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { control, makeProject, pod, removeProject } from "../helpers/project.js";

interface JsonOut {
  diagnostics: Array<{ file: string; line: number; column: number; rule: string; severity: string }>;
  errorCount: number;
  warningCount: number;
  jobCount: number;
}

/** Registers the tests for each of `runners`. */
export function defineEslintHabitCases(runners: Runner[]): void {
  const P = "package: p1";
  let root = "";
  let empty = "";

  before(async () => {
    root = await makeProject({
      "debian/control": control("p1"),
      "debian/p1.install": "bin/* usr/share/p1/bin\nbin/a/cleanup.sh usr/share/p1/a\nbin/b/cleanup.sh usr/share/p1/b\n",
      "bin/bad.pl": pod([P, "time: 61 * * * *"]),
      "bin/warn.pl": pod([P, "time: 0 0 13 * fri"]),
      "bin/ok.sh": pod([P, "time: @daily"]),
      "bin/a/cleanup.sh": pod([P, "time: 0 3 * * *"]),
      "bin/b/cleanup.sh": pod([P, "time: 0 4 * * *"]),
    });
    empty = mkdtempSync(join(tmpdir(), "cronmeta-empty-"));
    mkdirSync(join(empty, "bin"));
  });

  after(async () => {
    await removeProject(root);
    rmSync(empty, { recursive: true, force: true });
  });

  const rows = (r: { stdout: string }) => (JSON.parse(r.stdout) as JsonOut).diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`);

  for (const [how, run] of runners) {
    describe(`ESLint habits (${how})`, () => {
      it("finds the project above the current directory; paths stay relative to the root", async () => {
        const r = await run(["lint", "-f", "json"], join(root, "bin", "a"));
        assert.equal(r.code, 1, r.stderr);
        assert.deepEqual(rows(r), [
          "bin/b/cleanup.sh:6:1 lockname-collision",
          "bin/bad.pl:8:11 cron-time-invalid",
          "bin/warn.pl:8:15 cron-day-or",
        ]);
      });

      it("a directory that is not a project is exit 2 with one line: found upward or given with --root", async () => {
        const up = await run(["lint"], join(empty, "bin"));
        assert.equal(up.code, 2);
        assert.match(up.stderr, /^cronmeta: \S+\/bin is not inside a cronmeta project \(no cronmeta\.config\.json, package\.json#cronmeta or debian\/control here or above\): pass --root DIR\n$/);
        assert.equal(up.stdout, "");
        const given = await run(["lint", "--root", empty], root);
        assert.equal(given.code, 2);
        assert.match(given.stderr, /^cronmeta: \S+ is not a cronmeta project \(no cronmeta\.config\.json, package\.json#cronmeta or debian\/control in it\)/);
        assert.equal(given.stderr.split("\n").length, 2);
        for (const command of [["gen"], ["list"], ["report", "-f", "json"], ["import", "x.cron.d"]]) {
          assert.equal((await run(command, empty)).code, 2, command.join(" "));
        }
      });

      it("lint FILE reports that file only, but project-wide rules still see every file", async () => {
        assert.deepEqual(rows(await run(["lint", "-f", "json", "bin/bad.pl"], root)), ["bin/bad.pl:8:11 cron-time-invalid"]);
        // The collision is between bin/a and bin/b: naming bin/b alone still finds it.
        const b = await run(["lint", "-f", "json", "cleanup.sh"], join(root, "bin", "b"));
        assert.deepEqual(rows(b), ["bin/b/cleanup.sh:6:1 lockname-collision"]);
        assert.equal(b.code, 1);
        const ok = await run(["lint", "-f", "json", "bin/ok.sh"], root);
        assert.equal(ok.code, 0);
        assert.equal((JSON.parse(ok.stdout) as JsonOut).jobCount, 1);
      });

      it("takes directories and globs; a path that names nothing is exit 2", async () => {
        assert.deepEqual(rows(await run(["lint", "-f", "json", "bin/a", "bin/*.pl"], root)), ["bin/bad.pl:8:11 cron-time-invalid", "bin/warn.pl:8:15 cron-day-or"]);
        const none = await run(["lint", "bin/nope.pl"], root);
        assert.equal(none.code, 2);
        assert.equal(none.stderr, "cronmeta: no such file or directory: bin/nope.pl\n");
        const glob = await run(["lint", "bin/*.rb"], root);
        assert.equal(glob.code, 2);
        assert.equal(glob.stderr, 'cronmeta: no files match the pattern "bin/*.rb"\n');
        const outside = await run(["lint", "--root", root, empty], root);
        assert.equal(outside.code, 2);
        assert.match(outside.stderr, /is outside the project root/);
      });

      it("--quiet reports errors only; the warnings still count for --max-warnings", async () => {
        const quiet = await run(["lint", "--quiet", "-f", "json", "bin/warn.pl", "bin/bad.pl"], root);
        assert.deepEqual(rows(quiet), ["bin/bad.pl:8:11 cron-time-invalid"]);
        assert.equal((JSON.parse(quiet.stdout) as JsonOut).warningCount, 0);
        assert.equal((await run(["lint", "--quiet", "bin/warn.pl"], root)).code, 0);
        const counted = await run(["lint", "--quiet", "--max-warnings", "0", "bin/warn.pl"], root);
        assert.equal(counted.code, 1);
        assert.equal(counted.stdout, "1 job checked\n");
      });

      it("-o writes the report to a file, atomically, and nothing to stdout", async () => {
        const r = await run(["lint", "-f", "json", "-o", "out/report.json"], root);
        assert.equal(r.code, 1);
        assert.equal(r.stdout, "");
        assert.equal((JSON.parse(readFileSync(join(root, "out", "report.json"), "utf8")) as JsonOut).errorCount, 2);
        assert.deepEqual(readdirSync(join(root, "out")), ["report.json"]);
        const check = await run(["check", "--output-file", join(root, "out", "check.txt"), "debian/p1.install", "--type", "crontab"], root);
        assert.equal(check.stdout, "");
        assert.match(readFileSync(join(root, "out", "check.txt"), "utf8"), /crontab-line-invalid/);
      });

      it("--color forces colours off a terminal, --no-color drops them", async () => {
        assert.match((await run(["lint", "--color", "bin/bad.pl"], root)).stdout, /\u001b\[31m/);
        assert.doesNotMatch((await run(["lint", "--no-color", "bin/bad.pl"], root)).stdout, /\u001b\[/);
        assert.doesNotMatch((await run(["lint", "bin/bad.pl"], root, { FORCE_COLOR: "1" })).stdout, /\u001b\[/);
      });

      it("--print-config prints the configuration in effect and lints nothing", async () => {
        const r = await run(["lint", "--print-config"], join(root, "bin"));
        assert.equal(r.code, 0, r.stderr);
        const config = JSON.parse(r.stdout) as { env: Record<string, string>; users: string[]; include: string[] };
        assert.deepEqual(config.users, ["root"]);
        assert.equal(config.env.SHELL, "/bin/sh");
        assert.match(r.stderr, /from the defaults \(no configuration file\)/);
      });

      it("-v and --version print the version (so does -V)", async () => {
        for (const flag of ["-v", "--version", "-V"]) {
          const r = await run([flag], root);
          assert.equal(r.code, 0, flag);
          assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/, flag);
        }
      });

      it("an unknown command is exit 2 with a guess, even with --help", async () => {
        const typo = await run(["lnit"], root);
        assert.equal(typo.code, 2);
        assert.match(typo.stderr, /^cronmeta: unknown command "lnit" \(did you mean "lint"\?\); the commands are lint, gen, list, report, check, import\b.*\n$/);
        const help = await run(["monitr", "--help"], root);
        assert.equal(help.code, 2);
        assert.equal(help.stdout, "");
        assert.match(help.stderr, /^cronmeta: unknown command "monitr" \(did you mean "monitor"\?\)/);
        const far = await run(["frobnicate"], root);
        assert.match(far.stderr, /^cronmeta: unknown command "frobnicate"; the commands are /);
        assert.equal((await run(["help", "lint"], root)).code, 0);
      });
    });
  }
}
