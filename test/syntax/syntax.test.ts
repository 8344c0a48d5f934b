// The shared name syntaxes of src/syntax/: one definition each, used by the config schemas, the
// linter and switchman. Their users' own tests show the wiring; this file shows the rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CONTROL_CHARACTER, NO_CONTROL_CHARACTER, codePointLabel, controlCharacterOffset, escapeControlCharacters, hasControlCharacter } from "../../src/syntax/control.js";
import { isDebianPackageName, isUserName } from "../../src/syntax/debian.js";
import { CRON_GROUP_NAME, groupTableProblems, isGroupTable, isPlausibleHostName } from "../../src/syntax/group.js";
import { isLockname, LOCKNAME_RULE, locknameProblem } from "../../src/syntax/lockname.js";
import { parseZkhosts, zkhostsProblem, ZKHOSTS_CHROOT_MESSAGE, ZKHOSTS_MESSAGE } from "../../src/syntax/zkhosts.js";
import { isPrefix, prefixProblem } from "../../src/syntax/znode.js";

test("control characters: C0 and DEL, nothing else", () => {
  for (const c of ["\u0000", "\t", "\n", "\r", "\u001f", "\u007f"]) assert.equal(hasControlCharacter(`a${c}b`), true, codePointLabel(c));
  for (const text of ["plain", " ", "é", "\u0080", "\u00a0", "😀"]) assert.equal(hasControlCharacter(text), false, text);
  assert.equal(controlCharacterOffset("ab\ncd"), 2);
  assert.equal(controlCharacterOffset("abcd"), -1);
  assert.equal(codePointLabel("\n"), "U+000A");
  assert.equal(codePointLabel("\u007f"), "U+007F");
  assert.equal(CONTROL_CHARACTER.global, false, "a stateless pattern: .test() must not remember lastIndex");
});

test("control characters: a whole value without one, and escaped for a log line", () => {
  assert.equal(NO_CONTROL_CHARACTER.test("PATH=/bin: x é"), true);
  for (const c of ["\u0000", "\n", "\t", "\u001f", "\u007f"]) assert.equal(NO_CONTROL_CHARACTER.test(`a${c}b`), false, codePointLabel(c));
  assert.equal(NO_CONTROL_CHARACTER.source, "^[^\\u0000-\\u001f\\u007f]*$", "the JSON Schema's pattern");
  assert.equal(escapeControlCharacters("a\nb\tc\u0007d\u007fe\u0080é"), "a\\nb\\tc\\x07d\\x7fe\u0080é");
  assert.equal(escapeControlCharacters("\r\n\r\n"), "\\x0d\\n\\x0d\\n", "every one, not only the first");
});

test("lock names: 1-512 of [A-Za-z0-9._-], not . or .., with the reason", () => {
  for (const ok of ["a", "foo.pl-mod-2-rem-0", "A_b.c-9", "x".repeat(512), "...", ".hidden", "-"]) assert.equal(locknameProblem(ok), undefined, ok);
  const cases: [string, string][] = [
    ["", "is empty"],
    [".", 'cannot be "."'],
    ["..", 'cannot be ".."'],
    ["x".repeat(513), "is 513 characters long; the limit is 512"],
    ["a/b", 'contains "/"; only letters, digits, ".", "_" and "-" are allowed'],
    ["a\nb", 'contains "\\n"; only letters, digits, ".", "_" and "-" are allowed'],
    ["é", 'contains "é"; only letters, digits, ".", "_" and "-" are allowed'],
  ];
  for (const [name, reason] of cases) {
    assert.equal(locknameProblem(name), reason, JSON.stringify(name));
    assert.equal(isLockname(name), false);
  }
  assert.equal(LOCKNAME_RULE, '1-512 characters from [A-Za-z0-9._-], not "." or ".."');
});

test("Debian package and user names", () => {
  for (const ok of ["my-project-scripts1", "libfoo++1.0", "a0", "0ad"]) assert.equal(isDebianPackageName(ok), true, ok);
  for (const bad of ["a", "Foo", "-foo", ".foo", "foo_bar", "foo bar"]) assert.equal(isDebianPackageName(bad), false, bad);
  for (const ok of ["root", "_apt", "www-data", "a".repeat(32)]) assert.equal(isUserName(ok), true, ok);
  for (const bad of ["Root", "1abc", "a b", "a".repeat(33), "", "-x"]) assert.equal(isUserName(bad), false, bad);
});

test("group tables: any non-empty names (App::switchman data), every problem with its place", () => {
  assert.equal(isGroupTable({ g: "h", "with blank": ["a b", "g"], "ü": [] }), true);
  assert.deepEqual(groupTableProblems([]), [{ path: [], message: "must be an object mapping group names to a host, a group or a list of these" }]);
  assert.deepEqual(groupTableProblems(null).length, 1);
  assert.deepEqual(groupTableProblems({ "": "h", g: 5, h: ["a", ""], ok: "x" }), [
    { path: [], message: 'invalid group name "" (a group name must not be empty)' },
    { path: ["g"], message: "must be a host or group name, or a list of these (non-empty strings)" },
    { path: ["h"], message: "must be a host or group name, or a list of these (non-empty strings)" },
  ]);
});

test("group names on a cron line and this host's name", () => {
  for (const ok of ["batch-hosts", "my.group_1", "x".repeat(255)]) assert.equal(CRON_GROUP_NAME.test(ok), true, ok);
  for (const bad of ["", "batch hosts", "a/b", "x".repeat(256), "g\n"]) assert.equal(CRON_GROUP_NAME.test(bad), false, JSON.stringify(bad));
  for (const ok of ["box1.example.com", "localhost", "x".repeat(253)]) assert.equal(isPlausibleHostName(ok), true, ok);
  for (const bad of ["", "a b", "a\tb", "a\u0000", "x".repeat(254), "a\u007f"]) assert.equal(isPlausibleHostName(bad), false, JSON.stringify(bad));
});

test("zkhosts: names, IPv4 and [IPv6], ports 1-65535, no chroot", () => {
  assert.deepEqual(parseZkhosts("zk1.example.org:2181,10.0.0.2:2182,[::1]:2183,[2001:db8::1]:1"), [
    { host: "zk1.example.org", port: 2181 },
    { host: "10.0.0.2", port: 2182 },
    { host: "::1", port: 2183 },
    { host: "2001:db8::1", port: 1 },
  ]);
  assert.deepEqual(parseZkhosts("zk1:65535"), [{ host: "zk1", port: 65535 }]);
  for (const bad of ["", "zk1", "zk1:0", "zk1:65536", "zk1:2181,", "zk1:2181 zk2:2181", "[::1]", "[::1:2181", "::1:2181", "[zk1]:2181", "[:::]:2181", "zk1:021", "zk-:1"]) {
    assert.equal(parseZkhosts(bad), undefined, bad);
    assert.equal(zkhostsProblem(bad), ZKHOSTS_MESSAGE, bad);
  }
  assert.equal(parseZkhosts("zk1:2181/chroot"), undefined);
  assert.equal(zkhostsProblem("zk1:2181/chroot"), ZKHOSTS_CHROOT_MESSAGE);
  assert.equal(zkhostsProblem("zk1:2181"), undefined);
});

test("prefix: SPEC 8.1 segments, and what ZooKeeper itself refuses", () => {
  for (const ok of ["/a", "/myproject/switchman", "/a.b/c-d", "/...", "/zookeeperx", "/x/zookeeper", "/é"]) assert.equal(prefixProblem(ok), undefined, ok);
  const cases: [string, RegExp][] = [
    ["", /znode path/], ["/", /znode path/], ["a", /znode path/], ["/a/", /znode path/], ["/a//b", /znode path/],
    ["/a/./b", /`\.` or `\.\.`/], ["/a/..", /`\.` or `\.\.`/],
    ["/a\u0001", /control or reserved/], ["/a\u0085", /control or reserved/], ["/a\ud800", /control or reserved/], ["/a\ufff0", /control or reserved/],
    ["/zookeeper", /under \/zookeeper/], ["/zookeeper/config", /under \/zookeeper/],
  ];
  for (const [prefix, message] of cases) {
    assert.match(prefixProblem(prefix) ?? "", message, JSON.stringify(prefix));
    assert.equal(isPrefix(prefix), false);
  }
});

test("no syntax module loads zod: switchman's skip path must not pay for it", async () => {
  const { readFileSync, readdirSync } = await import("node:fs");
  const dir = new URL("../../src/syntax/", import.meta.url);
  for (const file of readdirSync(dir)) assert.doesNotMatch(readFileSync(new URL(file, dir), "utf8"), /from "zod"/, file);
});
