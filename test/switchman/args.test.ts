// switchman's command line (SPEC 8): options stop at the first non-option or `--`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { locknameError, parseInvocation } from "../../src/switchman/args.js";

const run = (command: string[], extra: Record<string, string> = {}) => ({ kind: "run", config: "/etc/switchman.conf", command, lockname: command[0]?.split("/").at(-1), ...extra });

test("valid command lines", () => {
  const cases: [string[], unknown][] = [
    [["--", "/usr/bin/foo.pl", "--mod", "2"], run(["/usr/bin/foo.pl", "--mod", "2"])],
    [["/usr/bin/foo.pl", "-g", "x"], run(["/usr/bin/foo.pl", "-g", "x"])],
    [["-c", "/etc/s.conf", "-g", "scripts1", "--lockname", "foo-1", "--", "foo"], { ...run(["foo"]), config: "/etc/s.conf", group: "scripts1", lockname: "foo-1" }],
    [["--config=/x", "--group=g", "ls"], { ...run(["ls"]), config: "/x", group: "g" }],
    [["-cfoo.conf", "-gg", "ls"], { ...run(["ls"]), config: "foo.conf", group: "g" }],
    [["--no-lock", "--", "ls", "--", "x"], { kind: "run", config: "/etc/switchman.conf", command: ["ls", "--", "x"] }],
    [["--", "--weird-program"], run(["--weird-program"])],
    [["--", "-"], { ...run(["-"]), lockname: "-" }],
  ];
  for (const [argv, expected] of cases) assert.deepEqual(parseInvocation(argv), expected, argv.join(" "));
});

test("help and version", () => {
  assert.deepEqual(parseInvocation(["-h"]), { kind: "help" });
  assert.deepEqual(parseInvocation(["--help", "--", "ls"]), { kind: "help" });
  assert.deepEqual(parseInvocation(["-v"]), { kind: "version" });
  assert.deepEqual(parseInvocation(["--version"]), { kind: "version" });
});

test("usage errors", () => {
  const cases: [string[], RegExp][] = [
    [[], /^no command given/],
    [["--"], /^no command given/],
    [["-g", "x"], /^no command given/],
    [["--", ""], /^no command given/],
    [["--bogus", "ls"], /^unknown option --bogus/],
    [["-x", "ls"], /^unknown option -x/],
    [["--lock", "ls"], /^unknown option --lock/],
    [["-c"], /^option --config needs a value$/],
    [["--lockname"], /^option --lockname needs a value$/],
    [["--lockname", "a", "--lockname", "b", "ls"], /given more than once/],
    [["--no-lock", "--lockname", "a", "ls"], /exclude each other/],
    [["--lease", "db=1:2", "ls"], /^--lease is not supported yet/],
    [["--lease=CPU=1:CPU", "--lease", "x=1:1", "ls"], /^--lease is not supported yet/],
    [["-g", "", "ls"], /--group must not be empty/],
    [["--lockname", "a b", "ls"], /^lock name "a b" is invalid: it contains " "; only letters, digits, "\.", "_" and "-" are allowed \(1-512 characters/],
    [["--lockname", ".", "ls"], /^lock name "\." is invalid: it cannot be "\."/],
    [["--lockname", "x".repeat(513), "ls"], /is invalid: it is 513 characters long; the limit is 512/],
    [["--", "./my script"], /\(it is CMD's base name; pass --lockname NAME\)$/],
  ];
  for (const [argv, message] of cases) {
    const result = parseInvocation(argv);
    assert.ok("error" in result, `accepted: ${JSON.stringify(argv)}`);
    assert.match(result.error, message, JSON.stringify(argv));
    assert.ok(!result.error.includes("\n"), "one line");
  }
});

test("lock names: SPEC 4.3 (the rule itself is tested in test/syntax/)", () => {
  for (const ok of ["a", "foo.pl-mod-2-rem-0", "A_b.c-9", "x".repeat(512), "...", ".hidden"]) assert.equal(locknameError(ok), undefined, ok);
  for (const bad of ["", ".", "..", "a/b", "a b", "é", "x".repeat(513), "a\nb", "a:b"]) assert.notEqual(locknameError(bad), undefined, JSON.stringify(bad));
});
