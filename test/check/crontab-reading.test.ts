// The pieces `cronmeta check` reads crontabs with: cron's own loop over lines, its cron.d name
// rule (database.c valid_name), and its reading of `%` and `\` in commands (do_command.c).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCrontabText } from "../../src/check/crontab-lines.js";
import { cronDName, typeFromPath } from "../../src/check/crontab-kind.js";
import { cronReadsCronDFile } from "../../src/debian/cron-file-name.js";
import { escapeForCron, unescapeCronCommand } from "../../src/jobs/command.js";

describe("check: reading a crontab as cron does", () => {
  it("skips comments and blank lines, takes settings, and reads the rest as jobs", () => {
    const text = readCrontabText("# c\n\n \t\nA = b\n  0 3 * * * root  /bin/x y\n\r\n", "cron.d");
    assert.deepEqual(
      text.entries.map((e) => (e.kind === "env" ? `env ${e.line} ${e.setting.name}=${e.setting.value}` : `job ${e.line} ${e.start} user=${e.user?.text} cmd=${JSON.stringify(e.command?.text)}`)),
      ["env 4 A=b", 'job 5 2 user=root cmd=" /bin/x y"', "job 6 0 user=undefined cmd=undefined"],
    );
    assert.equal(text.unterminatedLine, undefined);
    assert.equal(text.lineCount, 6);
  });

  it("a user crontab's command starts at its first word", () => {
    const [entry] = readCrontabText("@daily   /bin/x  -v\n", "crontab").entries;
    assert.ok(entry?.kind === "job");
    assert.deepEqual(entry.command, { text: "/bin/x  -v", offset: 9 });
    assert.equal(entry.timeWords, 1);
  });

  it("notices a last line without newline, unless it is a comment or blank", () => {
    assert.equal(readCrontabText("0 3 * * * root /bin/x", "cron.d").unterminatedLine, 1);
    assert.equal(readCrontabText("0 3 * * * root /bin/x\n# end", "cron.d").unterminatedLine, undefined);
    assert.equal(readCrontabText("0 3 * * * root /bin/x\n  ", "cron.d").unterminatedLine, undefined);
    assert.equal(readCrontabText("", "cron.d").lineCount, 0);
  });

  it("names cron.d files as cron reads them, with and without -l", () => {
    for (const ok of ["php", "e2scrub_all", "My_Jobs", "a-b", "0hour"]) assert.ok(cronReadsCronDFile(ok), ok);
    for (const bad of ["backup.sh", ".hidden", "a~", "x.dpkg-dist", "sp ace", "ünï"]) assert.ok(!cronReadsCronDFile(bad), bad);
    assert.ok(!cronReadsCronDFile("My_Jobs", true), "LSB names are lower case");
    assert.ok(cronReadsCronDFile("my.pkg-jobs", true), "LSB hierarchical names may hold dots");
    assert.ok(!cronReadsCronDFile("foo.dpkg-old", true));
  });

  it("tells the type and the installed name from the path", () => {
    assert.equal(typeFromPath("/etc/crontab"), "cron.d");
    assert.equal(typeFromPath("/etc/cron.d/x"), "cron.d");
    assert.equal(typeFromPath("/src/debian/foo.cron.d"), "cron.d");
    assert.equal(typeFromPath("/var/spool/cron/crontabs/alice"), "crontab");
    assert.equal(typeFromPath("/home/a/my.crontab"), "crontab");
    assert.equal(typeFromPath("/home/a/jobs"), undefined);
    assert.equal(cronDName("/src/debian/foo.cron.d"), "foo");
    assert.equal(cronDName("/src/debian/foo/etc/cron.d/foo-bar"), "foo-bar");
    assert.equal(cronDName("/etc/crontab"), undefined);
  });

  it("reads % and \\ in a command as do_command.c does, the inverse of escapeForCron", () => {
    assert.deepEqual(unescapeCronCommand("date +\\%F"), { command: "date +%F" });
    assert.deepEqual(unescapeCronCommand("a\\\\b \\x"), { command: "a\\b \\x" });
    assert.deepEqual(unescapeCronCommand("mail -s hi%line 1%line 2"), { command: "mail -s hi", stdinAt: 10 });
    assert.deepEqual(unescapeCronCommand("a\\\\%b"), { command: "a\\", stdinAt: 3 });
    for (const s of ["100%", "back\\slash", "\\%", "%%", "a\\\\%"]) assert.deepEqual(unescapeCronCommand(escapeForCron(s)), { command: s });
  });
});
