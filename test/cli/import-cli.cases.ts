// `cronmeta import`: on examples/my-project's own generated files, import into the scripts
// with their METADATA removed, then gen: byte-identical cron.d files. On a hand-written cron.d
// file: the block of each script, notes for every line that is not imported, and the exit code.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { control, makeProject, pod, removeProject } from "../helpers/project.js";
import { repoRoot } from "../helpers/paths.js";

/** The script's text without its METADATA: the POD block's lines, or the lines of its @crontab tags. */
export function withoutMetadata(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "=head1 METADATA") {
      while (i + 1 < lines.length && !/^=[A-Za-z]/.test(lines[i + 1] ?? "")) i += 1;
      continue;
    }
    if (line.includes("@crontab")) {
      while (i + 1 < lines.length && !/^\s*\*\//.test(lines[i + 1] ?? "")) i += 1;
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

/** Registers the `cronmeta import` CLI tests for each of `runners`. */
export function defineImportCliCases(runners: Runner[]): void {
  for (const [how, run] of runners) {
    describe(`cronmeta import on examples/my-project (${how})`, () => {
      let root = "";
      const generated: Record<string, string> = {};
      const modes: Record<string, number> = {};

      before(async () => {
        root = mkdtempSync(join(tmpdir(), "cronmeta-import-"));
        cpSync(join(repoRoot, "examples", "my-project"), root, { recursive: true, filter: (src) => !src.endsWith(".cron.d") });
        const gen = await run(["gen"], root);
        assert.equal(gen.code, 0, gen.stderr);
        for (const name of readdirSync(join(root, "debian")).filter((n) => n.endsWith(".cron.d"))) generated[name] = readFileSync(join(root, "debian", name), "utf8");
        assert.equal(Object.keys(generated).length, 3);
        for (const name of readdirSync(join(root, "bin"))) {
          const path = join(root, "bin", name);
          writeFileSync(path, withoutMetadata(readFileSync(path, "utf8")));
          modes[name] = statSync(path).mode;
        }
        assert.equal((await run(["list"], root)).stdout, "No jobs.\n", "the METADATA is gone");
      });

      after(() => rmSync(root, { recursive: true, force: true }));

      it("prints the block for every script, writes nothing, exit 0", async () => {
        const before = readFileSync(join(root, "bin", "process-queue.pl"), "utf8");
        // From a subdirectory: the project is found upward, the files are relative to the current directory.
        const r = await run(["import", "../debian/my-project-scripts1.cron.d", "../debian/my-project-scripts2.cron.d", "../debian/my-project-scripts3.cron.d"], join(root, "bin"));
        assert.equal(r.code, 0, r.stderr);
        assert.equal(readFileSync(join(root, "bin", "process-queue.pl"), "utf8"), before);
        assert.match(r.stdout, /^# bin\/warm-cache\.pl: 1 job from \.\.\/debian\/my-project-scripts1\.cron\.d:22 \(in the script's POD\)\n=head1 METADATA\n\n<crontab>\n {4}package: my-project-scripts1\n {4}time: \*\/5 8-20 \* \* mon-fri\n {4}user: www-data\n {4}description: Keep the page cache warm during office hours\n<\/crontab>\n\n=cut\n$/m);
        assert.match(r.stdout, /^# bin\/check-replication: .*\n\/\*\*\n \* @crontab\n \* {3}package: my-project-scripts3\n \* {3}time: \*\\\/3 \* \* \* \*\n \* {3}params: --max-lag 60\n \*\/\n/m);
        assert.match(r.stdout, / {4}lock: no\n/);
        assert.equal(r.stderr, "cronmeta: 14 of 14 jobs imported, 11 scripts to edit (--write inserts the blocks)\n");
      });

      it("--write inserts them, keeping each script's mode; gen then writes byte-identical cron.d files", async () => {
        const r = await run(["import", "--write", ...Object.keys(generated).map((n) => `debian/${n}`)], root);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /^wrote bin\/process-queue\.pl \(2 jobs\)$/m);
        assert.match(r.stderr, /cronmeta: 14 of 14 jobs imported, 11 scripts written\n$/);
        for (const [name, mode] of Object.entries(modes)) assert.equal(statSync(join(root, "bin", name)).mode, mode, name);
        assert.deepEqual(readdirSync(join(root, "bin")).filter((n) => n.includes("cronmeta-tmp")), []);
        const gen = await run(["gen"], root);
        assert.equal(gen.code, 0, gen.stderr);
        assert.match(gen.stderr, /0 files written, 0 removed, 6 unchanged \(14 jobs\)/);
        for (const [name, text] of Object.entries(generated)) assert.equal(readFileSync(join(root, "debian", name), "utf8"), text, name);
        assert.equal((await run(["lint"], root)).code, 0);
      });

      it("a second import finds every job present and changes nothing", async () => {
        const before = readFileSync(join(root, "bin", "rebuild-index.js"), "utf8");
        const r = await run(["import", "--write", ...Object.keys(generated).map((n) => `debian/${n}`)], root);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /^bin\/rebuild-index\.js: already has 2 jobs of these in its METADATA$/m);
        assert.match(r.stderr, /0 scripts written\n$/);
        assert.equal(readFileSync(join(root, "bin", "rebuild-index.js"), "utf8"), before);
      });
    });

    describe(`cronmeta import of a hand-written cron.d file (${how})`, () => {
      let root = "";
      before(async () => {
        root = await makeProject({
          "debian/control": control("mytools"),
          "debian/mytools.install": "bin/* usr/lib/mytools\n",
          "cronmeta.config.json": JSON.stringify({ users: ["root", "www-data"] }),
          "bin/report.sh": { text: "#!/bin/sh\n# Writes the nightly report.\necho report\n", mode: 0o755 },
          "bin/cleanup.pl": { text: "#!/usr/bin/perl\nprint 1;\n", mode: 0o755 },
          "bin/has.pl": pod(["package: mytools", "time: 0 1 * * *"]),
          "etc/cron.d/mytools": [
            "MAILTO=ops@example.org",
            "# Nightly report",
            "0 3 * * * root [ -x /usr/lib/mytools/report.sh ] && /usr/lib/mytools/report.sh --all",
            "*/10 * * * * www-data /usr/lib/mytools/cleanup.pl --older-than 2d",
            "0 4 * * * root /usr/lib/mytools/has.pl",
            "30 1 * * * root /usr/sbin/logrotate /etc/logrotate.conf",
            "0 5 * * * root /usr/lib/mytools/report.sh > /tmp/log",
            "",
          ].join("\n"),
        });
      });
      after(async () => removeProject(root));

      it("prints the blocks, notes every other line, and exits 1 for what it could not import", async () => {
        const r = await run(["import", "etc/cron.d/mytools"], root);
        assert.equal(r.code, 1, r.stderr);
        const stderr = r.stderr.split("\n");
        const expectNote = (pattern: RegExp) => assert.ok(stderr.some((l) => pattern.test(l)), `${pattern}\n${r.stderr}`);
        expectNote(/^etc\/cron\.d\/mytools:1: MAILTO=ops@example\.org is set here but not in config env/);
        expectNote(/^etc\/cron\.d\/mytools:4: bin\/cleanup\.pl: the line has no switchman wrapper; gen will run the job under switchman/);
        expectNote(/^etc\/cron\.d\/mytools:6: not imported: \/usr\/sbin\/logrotate is not a script of this tree/);
        expectNote(/^etc\/cron\.d\/mytools:7: error: bin\/report\.sh: params "> \/tmp\/log" are not plain shell words \(">" redirects output: redirect inside the script/);
        expectNote(/^bin\/has\.pl: not written: it already has METADATA with other jobs: merge the block by hand/);
        assert.match(r.stdout, /^# bin\/report\.sh: 1 job from etc\/cron\.d\/mytools:3 .*\n=head1 METADATA\n\n<crontab>\n {4}package: mytools\n {4}time: 0 3 \* \* \*\n {4}params: --all\n {4}description: Nightly report\n<\/crontab>\n\n=cut\n/m);
        assert.match(r.stdout, /<crontab>\n {4}package: mytools\n {4}time: \*\/10 \* \* \* \*\n {4}params: --older-than 2d\n {4}user: www-data\n<\/crontab>/);
        assert.match(r.stderr, /cronmeta: 2 of 5 jobs imported, 2 scripts to edit/);
      });

      it("--write edits the scripts without METADATA, leaves the one that has some, and gen runs them", async () => {
        const has = readFileSync(join(root, "bin", "has.pl"), "utf8");
        const r = await run(["import", "--write", "etc/cron.d/mytools"], root);
        assert.equal(r.code, 1);
        assert.equal(readFileSync(join(root, "bin", "has.pl"), "utf8"), has);
        assert.match(readFileSync(join(root, "bin", "report.sh"), "utf8"), /^#!\/bin\/sh\n# Writes the nightly report\.\n: <<'=cut'\n=head1 METADATA\n/);
        const gen = await run(["gen", "--dry-run"], root);
        assert.equal(gen.code, 0, gen.stderr);
        assert.match(gen.stdout, /^\*\/10 \* \* \* \* www-data \[ -x \/usr\/lib\/mytools\/cleanup\.pl \] && \/usr\/bin\/switchman .* -- \/usr\/lib\/mytools\/cleanup\.pl --older-than 2d$/m);
      });

      it("exits 2 outside a project, and for a file whose type it cannot tell", async () => {
        const outside = mkdtempSync(join(tmpdir(), "cronmeta-import-none-"));
        try {
          writeFileSync(join(outside, "x.cron.d"), "0 3 * * * root /bin/true\n");
          const r = await run(["import", "x.cron.d"], outside);
          assert.equal(r.code, 2);
          assert.match(r.stderr, /is not inside a cronmeta project \(no cronmeta\.config\.json, package\.json#cronmeta or debian\/control here or above\): pass --root DIR\n$/);
        } finally {
          rmSync(outside, { recursive: true, force: true });
        }
        writeFileSync(join(root, "jobs.txt"), "0 3 * * * root /bin/true\n");
        const r = await run(["import", "jobs.txt"], root);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /pass --type cron\.d or --type crontab/);
      });
    });
  }
}
