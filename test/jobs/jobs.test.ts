import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultConfig } from "../../src/config/schema.js";
import { buildCommand, escapeForCron } from "../../src/jobs/command.js";
import { defaultLockname } from "../../src/jobs/lockname.js";
import { locknameProblem } from "../../src/syntax/lockname.js";
import { paramsProblem } from "../../src/jobs/params.js";
import { closest } from "../../src/jobs/keys.js";
import { createHash } from "node:crypto";

describe("default lockname (SPEC 4.3)", () => {
  it("is the file name without params", () => assert.equal(defaultLockname("foo.pl", ""), "foo.pl"));
  it("follows the SPEC example", () => assert.equal(defaultLockname("foo.pl", "--mod 2 --rem 0"), "foo.pl-mod-2-rem-0"));
  it("collapses runs of other characters and trims dashes", () => {
    assert.equal(defaultLockname("x.sh", "  --a='b c'  %d ;; "), "x.sh-a-b-c-d");
    assert.equal(defaultLockname("x.sh", "--path=/var/lib/x_y.z"), "x.sh-path-var-lib-x_y.z");
    assert.equal(defaultLockname("x.sh", "%%%"), "x.sh");
  });
  it("hashes names longer than 100 characters", () => {
    const params = `--ids ${"1234567890,".repeat(12)}`;
    const name = defaultLockname("report.pl", params);
    const digest = createHash("sha256").update(params).digest("hex").slice(0, 8);
    assert.equal(name.length, 100);
    assert.equal(name.slice(91), `-${digest}`);
    assert.equal(name.slice(0, 91), `report.pl-ids-${"1234567890-".repeat(12)}`.slice(0, 91));
  });
  it("keeps a name of exactly 100 characters", () => {
    const params = "a".repeat(100 - "f-".length);
    assert.equal(defaultLockname("f", params), `f-${params}`);
  });
});

describe("lockname validity", () => {
  for (const ok of ["a", "foo.pl-mod-2", "A_b.c-d", "x".repeat(512)]) {
    it(`accepts ${ok.slice(0, 20)}`, () => assert.equal(locknameProblem(ok), undefined));
  }
  for (const bad of ["", ".", "..", "a/b", "a b", "x".repeat(513), "é", "a%b"]) {
    it(`rejects ${JSON.stringify(bad.slice(0, 20))}`, () => assert.notEqual(locknameProblem(bad), undefined));
  }
});

describe("cron escaping", () => {
  it("doubles backslashes first, then escapes percent signs", () => {
    assert.equal(escapeForCron("date +%Y-%m-%d"), "date +\\%Y-\\%m-\\%d");
    assert.equal(escapeForCron("a\\b"), "a\\\\b");
    assert.equal(escapeForCron("\\%"), "\\\\\\%");
  });
});

describe("command", () => {
  const parts = { scriptPath: "/usr/bin/foo.pl", params: "--mod 2 --rem 0", group: "scripts1", lockname: "foo.pl-mod-2-rem-0", lock: true };
  it("wraps in switchman with the guard and --", () => {
    assert.equal(
      buildCommand(parts, defaultConfig()),
      "[ -x /usr/bin/foo.pl ] && /usr/bin/switchman --config /etc/switchman.conf --group scripts1 --lockname foo.pl-mod-2-rem-0 -- /usr/bin/foo.pl --mod 2 --rem 0",
    );
  });
  it("writes --no-lock for lock: no", () => {
    assert.match(buildCommand({ ...parts, lock: false }, defaultConfig()), /--group scripts1 --no-lock -- \/usr\/bin\/foo.pl/);
  });
  it("drops the wrapper with switchman: false and the guard with guard: false", () => {
    const config = { ...defaultConfig(), switchman: false as const, guard: false };
    assert.equal(buildCommand(parts, config), "/usr/bin/foo.pl --mod 2 --rem 0");
  });
});

describe("params safety", () => {
  const ok = ["--mod 2 --rem 0", "--name 'a b'", '--msg "hello world"', "--fmt %Y", "--x=a,b", "--glob '*.log'", "a#b", "'#'"];
  for (const p of ok) it(`accepts ${p}`, () => assert.equal(paramsProblem(p), undefined));
  const bad: Array<[string, number]> = [
    ["--a; rm -rf /", 3],
    ["--a && b", 4],
    ["--a | b", 4],
    ["< in", 0],
    ["--out >x", 6],
    ["`id`", 0],
    ["$(id)", 0],
    ['"$(id)"', 1],
    ["(x)", 0],
    ["--a\nb", 3],
    ["--a\tb", 3],
    ["--x 'open", 4],
    ["--a #comment", 4],
  ];
  for (const [p, offset] of bad) {
    it(`rejects ${JSON.stringify(p)} at offset ${offset}`, () => assert.equal(paramsProblem(p)?.offset, offset));
  }
  it("answers for every ASCII character after a word as the shell rules say (plain words take a shortcut)", () => {
    for (let code = 0; code < 128; code++) {
      const ch = String.fromCharCode(code);
      const refused = code < 32 || code === 127 || ";&|<>`()'\"".includes(ch);
      assert.equal(paramsProblem(`--x${ch}y`)?.offset, refused ? 3 : undefined, `U+${code.toString(16)}`);
    }
  });
});

describe("did-you-mean", () => {
  it("suggests close keys only", () => {
    assert.equal(closest("tme", ["time", "package"]), "time");
    assert.equal(closest("pakage", ["time", "package"]), "package");
    assert.equal(closest("zzzzzz", ["time", "package"]), undefined);
  });
});
