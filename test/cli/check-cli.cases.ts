// The `cronmeta check` CLI table: one crontab per case, its expected diagnostics (rule, line,
// column, severity), exact messages where the message is the point, and the exit code.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: string;
  rule: string;
  message: string;
}

/** One file and what check says of it. */
export interface CheckCase {
  name: string;
  /** Path of the file in the case's directory: it decides cron.d or crontab (crontab-kind.ts). */
  file: string;
  text: string;
  mode?: number;
  args?: string[];
  /** `rule line:column severity`, sorted as check sorts them. */
  expect: string[];
  /** Substrings of the messages, in the order of `expect` (undefined: not checked). */
  says?: Array<string | undefined>;
  code: number;
}

const job = "0 3 * * * root /usr/local/bin/report\n";
const long = (n: number) => `0 3 * * * root /bin/echo ${"x".repeat(n - "/bin/echo ".length)}\n`;

/** The table. Users: root and nobody exist on every Debian host; nosuchuser17 on none. */
export const CHECK_CASES: CheckCase[] = [
  { name: "a clean cron.d file", file: "cron.d/reports", text: `SHELL=/bin/sh\nMAILTO=""\n# nightly\n${job}@reboot nobody /bin/true\n`, expect: ["cron-reboot 5:1 warning"], code: 0 },
  { name: "a clean user crontab", file: "crontabs/alice", text: "MAILTO=alice\n*/5 * * * * /usr/local/bin/poll\n", expect: [], code: 0 },
  {
    name: "no newline after the last line",
    file: "cron.d/nonl",
    text: "0 3 * * * root /bin/true",
    expect: ["crontab-final-newline 1:25 error"],
    says: ["Missing newline before EOF"],
    code: 1,
  },
  { name: "a last comment line without newline is fine", file: "cron.d/comment", text: `${job}# end`, expect: [], code: 0 },
  {
    name: "NAME= without a value",
    file: "cron.d/env",
    text: `MAILTO=\n${job}`,
    expect: ["crontab-env-invalid 1:7 error"],
    says: ['write MAILTO="" for an empty value'],
    code: 1,
  },
  {
    name: "a comment after a quoted value",
    file: "cron.d/env2",
    text: `PATH="/usr/bin:/bin" # default\n${job}`,
    expect: ["crontab-env-invalid 1:21 error"],
    says: ["cron has no trailing comments"],
    code: 1,
  },
  { name: "an unclosed quote", file: "cron.d/env3", text: `MAILTO="ops@example.org\n${job}`, expect: ["crontab-env-invalid 1:8 error"], says: ["never closed"], code: 1 },
  { name: "a blank in a setting's name", file: "cron.d/env4", text: `MAIL TO=ops\n${job}`, expect: ["crontab-env-invalid 1:1 error"], says: ['the name "MAIL TO" holds a blank'], code: 1 },
  {
    name: "a trailing comment in an unquoted value",
    file: "cron.d/env5",
    text: `MAILTO=ops@example.org # the team\n${job}`,
    expect: ["crontab-env-value 1:24 warning"],
    says: ['MAILTO is set to "ops@example.org # the team"'],
    code: 0,
  },
  { name: "blanks cron drops inside quotes", file: "cron.d/env6", text: `GREETING=" hello "\n${job}`, expect: ["crontab-env-value 1:10 warning"], says: ['cron sets GREETING to " hello", not " hello "'], code: 0 },
  { name: "CRON_TZ does nothing in Debian's cron", file: "cron.d/tz", text: `CRON_TZ=UTC\n${job}`, expect: ["crontab-env-unsupported 1:1 warning"], code: 0 },
  {
    name: "no user field in a cron.d line",
    file: "cron.d/nouser",
    text: "0 3 * * * /usr/local/bin/report --all\n",
    expect: ["crontab-user-unknown 1:11 error"],
    says: ['write the user first, e.g. "root /usr/local/bin/report"'],
    code: 1,
  },
  { name: "a user this host does not have", file: "cron.d/user", text: "0 3 * * * nosuchuser17 /bin/true\n", expect: ["crontab-user-unknown 1:11 error"], says: ['no user "nosuchuser17" on this host'], code: 1 },
  { name: "a user name as a user crontab's command", file: "crontabs/bob", text: "0 3 * * * root /usr/local/bin/report\n", expect: ["crontab-user-field 1:11 warning"], code: 0 },
  {
    name: "an unescaped % in a command",
    file: "cron.d/percent",
    text: "0 3 * * * root tar czf /var/backups/etc-$(date +%F).tgz /etc\n",
    expect: ["crontab-percent 1:49 error"],
    says: ['runs "tar czf /var/backups/etc-$(date +" and sends the rest to it as input, each further % a newline; write "tar czf /var/backups/etc-$(date +\\%F).tgz /etc"'],
    code: 1,
  },
  { name: "an escaped % is fine", file: "cron.d/percent2", text: "0 3 * * * root date +\\%F > /tmp/d\n", expect: [], code: 0 },
  { name: "a 998-byte command is fine", file: "cron.d/long998", text: long(998), expect: [], code: 0 },
  { name: "a 999-byte command is too long", file: "cron.d/long999", text: long(999), expect: ["line-too-long 1:16 error"], says: ["the command is 999 bytes long; cron reads at most 998"], code: 1 },
  { name: "a job without a command", file: "cron.d/nocmd", text: "0 3 * * * root\n", expect: ["crontab-line-invalid 1:15 error"], code: 1 },
  { name: "a job without user and command", file: "cron.d/notime", text: "0 3 * * *\n", expect: ["crontab-line-invalid 1:10 error"], code: 1 },
  { name: "a line that is nothing cron knows", file: "cron.d/prose", text: `run the report every night\n${job}`, expect: ["crontab-line-invalid 1:1 error"], code: 1 },
  { name: "a bad minute", file: "cron.d/minute", text: "61 3 * * * root /bin/true\n", expect: ["cron-time-invalid 1:1 error"], code: 1 },
  { name: "a step without a range", file: "cron.d/step", text: "1/20 * * * * root /bin/true\n", expect: ["cron-time-invalid 1:1 error"], code: 1 },
  { name: "a bad @ keyword", file: "cron.d/keyword", text: "@Daily root /bin/true\n", expect: ["cron-time-invalid 1:1 error"], says: ['write "@daily"'], code: 1 },
  { name: "both day fields: OR", file: "cron.d/dayor", text: "0 0 13 * fri root /bin/true\n", expect: ["cron-day-or 1:5 warning"], code: 0 },
  { name: "a day that never comes", file: "cron.d/never", text: "0 0 31 2 * root /bin/true\n", expect: ["cron-time-never 1:5 warning"], code: 0 },
  { name: "a seconds field in a cron.d line", file: "cron.d/seconds", text: "0 */5 * * * * root /bin/true\n", expect: ["cron-time-invalid 1:1 error"], says: ["looks like a seconds field"], code: 1 },
  { name: "a year field in a user crontab", file: "crontabs/carol", text: "0 0 1 1 * 2030 /bin/true\n", expect: ["cron-time-invalid 1:11 error"], says: ["looks like a year field"], code: 1 },
  {
    name: "DOS line endings",
    file: "cron.d/dos",
    text: "SHELL=/bin/sh\r\n\r\n0 3 * * * root /bin/true\r\n",
    expect: ["crontab-carriage-return 2:1 error", "crontab-carriage-return 3:25 error"],
    says: ["it reads the line as a job", "part of the command"],
    code: 1,
  },
  {
    name: "a job after line 10003",
    file: "cron.d/huge",
    text: `${"# filler\n".repeat(10_003)}${job}`,
    expect: ["crontab-too-many-lines 10004:1 error"],
    code: 1,
  },
  { name: "a job on line 10003 is read", file: "cron.d/big", text: `${"# filler\n".repeat(10_002)}${job}`, expect: [], code: 0 },
  {
    name: "a cron.d name with a dot",
    file: "cron.d/backup.sh",
    text: job,
    expect: ["crontab-file-name 1:1 error"],
    says: ['Debian\'s cron skips /etc/cron.d/backup.sh because it holds characters other than letters, digits, "_" and "-", so none of its jobs ever runs; rename it (e.g. /etc/cron.d/backup-sh)'],
    code: 1,
  },
  { name: "debian/PACKAGE.cron.d with a dotted package", file: "debian/foo.bar.cron.d", text: job, expect: ["crontab-file-name 1:1 error"], says: ["/etc/cron.d/foo.bar"], code: 1 },
  { name: "a dotted name without jobs is harmless", file: "cron.d/notes.txt", text: "# nothing here\n", expect: [], code: 0 },
  {
    name: "a group-writable installed file",
    file: "cron.d/writable",
    text: job,
    mode: 0o664,
    args: ["--installed"],
    expect: ["crontab-file-mode 1:1 error"],
    says: ['its mode 0664 lets group or others write it (cron logs "INSECURE MODE (group/other writable)")'],
    code: 1,
  },
  { name: "the same file outside /etc/cron.d without --installed", file: "cron.d/writable2", text: job, mode: 0o664, expect: [], code: 0 },
  { name: "a user crontab not 0600, installed", file: "crontabs/root", text: "0 3 * * * /bin/true\n", mode: 0o644, args: ["--installed"], expect: ["crontab-file-mode 1:1 error"], says: ["not 0600"], code: 1 },
  { name: "--type crontab for a file the path does not type", file: "jobs.txt", text: "0 3 * * * /bin/true\n", args: ["--type", "crontab"], expect: [], code: 0 },
];

/** Registers the `cronmeta check` CLI tests for each of `runners`. */
export function defineCheckCliCases(runners: Runner[]): void {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cronmeta-check-"));
    CHECK_CASES.forEach((c, i) => {
      const path = join(dir, String(i), c.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, c.text);
      if (c.mode !== undefined) chmodSync(path, c.mode);
    });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [how, run] of runners) {
    describe(`cronmeta check (${how})`, () => {
      CHECK_CASES.forEach((c, i) => {
        it(`${c.name}: ${c.expect.length === 0 ? "clean" : c.expect.join(", ")}, exit ${c.code}`, async () => {
          const r = await run(["check", "--format", "json", ...(c.args ?? []), c.file], join(dir, String(i)));
          assert.equal(r.code, c.code, `${r.stdout}${r.stderr}`);
          const out = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] };
          assert.deepEqual(out.diagnostics.map((d) => `${d.rule} ${d.line}:${d.column} ${d.severity}`), c.expect);
          for (const d of out.diagnostics) assert.equal(d.file, c.file);
          c.says?.forEach((text, k) => {
            if (text !== undefined) assert.ok(out.diagnostics[k]?.message.includes(text), `${out.diagnostics[k]?.message} should say: ${text}`);
          });
        });
      });

      it("checks every file of a directory, skipping dpkg leftovers, in stylish by default", async () => {
        const root = mkdtempSync(join(tmpdir(), "cronmeta-check-dir-"));
        try {
          mkdirSync(join(root, "cron.d"));
          writeFileSync(join(root, "cron.d", "a"), job);
          writeFileSync(join(root, "cron.d", "b"), "0 3 * * * nosuchuser17 /bin/true\n");
          writeFileSync(join(root, "cron.d", "b.dpkg-old"), "0 3 * * * nosuchuser17 /bin/true\n");
          const r = await run(["check", "cron.d"], root);
          assert.equal(r.code, 1);
          assert.match(r.stdout, /^cron\.d\/b\n {2}1:11 {4} error {4}no user "nosuchuser17".* crontab-user-unknown$/m);
          assert.doesNotMatch(r.stdout, /dpkg-old/);
          assert.match(r.stdout, /2 jobs checked\n$/);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      });

      it("follows cron on links: a hard link is refused, a root-owned symbolic link is read", async () => {
        const root = mkdtempSync(join(tmpdir(), "cronmeta-check-links-"));
        try {
          mkdirSync(join(root, "cron.d"));
          writeFileSync(join(root, "real"), job);
          linkSync(join(root, "real"), join(root, "cron.d", "hard"));
          symlinkSync(join(root, "other"), join(root, "cron.d", "soft"));
          writeFileSync(join(root, "other"), job);
          const r = await run(["check", "--installed", "--format", "json", "cron.d"], root);
          const out = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] };
          assert.deepEqual(out.diagnostics.map((d) => `${d.file} ${d.rule}`), ["cron.d/hard crontab-file-mode"]);
          assert.match(out.diagnostics[0]?.message ?? "", /2 hard links \(cron logs "NUMBER OF HARD LINKS > 1"\)/);
          assert.equal(r.code, 1);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      });

      it("prints GitHub workflow commands and SARIF with the check rules", async () => {
        const cwd = join(dir, String(CHECK_CASES.findIndex((c) => c.name === "an unescaped % in a command")));
        const gh = await run(["check", "--format", "github", "cron.d/percent"], cwd);
        assert.equal(gh.code, 1);
        assert.match(gh.stdout, /^::error file=cron\.d\/percent,line=1,col=49,endLine=1,endColumn=50,title=crontab-percent::unescaped "%25"/);
        const sarif = JSON.parse((await run(["check", "--format", "sarif", "cron.d/percent"], cwd)).stdout) as {
          runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number }> }>;
        };
        const run0 = sarif.runs[0]!;
        assert.equal(run0.results[0]?.ruleId, "crontab-percent");
        assert.equal(run0.tool.driver.rules[run0.results[0]?.ruleIndex ?? -1]?.id, "crontab-percent");
      });

      it("exits 2 with one line for a missing file, a file of unknown type and no file at all", async () => {
        const missing = await run(["check", "nope/x.cron.d"], dir);
        assert.equal(missing.code, 2);
        assert.equal(missing.stderr, "cronmeta: nope/x.cron.d: no such file or directory\n");
        writeFileSync(join(dir, "jobs.txt"), job);
        const unknown = await run(["check", "jobs.txt"], dir);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /^cronmeta: jobs\.txt: cannot tell whether this is a cron\.d file .* pass --type cron\.d or --type crontab\n$/);
        const none = await run(["check"], dir);
        assert.equal(none.code, 2);
        assert.doesNotMatch(none.stderr, /\n\s+at /);
      });

      it("takes rule severities from the project's configuration, found upward", async () => {
        const root = mkdtempSync(join(tmpdir(), "cronmeta-check-config-"));
        try {
          writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ rules: { "crontab-user-unknown": "warning", "crontab-percent": "off" } }));
          mkdirSync(join(root, "etc", "cron.d"), { recursive: true });
          writeFileSync(join(root, "etc", "cron.d", "x"), "0 3 * * * nosuchuser17 date +%F\n");
          const r = await run(["check", "--format", "json", "cron.d/x"], join(root, "etc"));
          assert.equal(r.code, 0, r.stderr);
          const out = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] };
          assert.deepEqual(out.diagnostics.map((d) => `${d.rule} ${d.severity}`), ["crontab-user-unknown warning"]);
          writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ rules: { "crontab-percnt": "off" } }));
          const bad = await run(["check", "cron.d/x"], join(root, "etc"));
          assert.equal(bad.code, 2);
          assert.match(bad.stderr, /rules\.crontab-percnt: unknown rule/);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      });
    });
  }
}
