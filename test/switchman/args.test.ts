// switchman's command line (SPEC 8): options stop at the first non-option or `--`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { locknameError, parseInvocation } from "../../src/switchman/args.js";
import { parseLease } from "../../src/syntax/lease.js";

const run = (command: string[], extra: Record<string, unknown> = {}) => ({
  kind: "run",
  config: "/etc/switchman.conf",
  command,
  concurrency: "forbid",
  leases: [],
  lockname: command[0]?.split("/").at(-1),
  ...extra,
});

test("valid command lines", () => {
  const cases: [string[], unknown][] = [
    [["--", "/usr/bin/foo.pl", "--mod", "2"], run(["/usr/bin/foo.pl", "--mod", "2"])],
    [["/usr/bin/foo.pl", "-g", "x"], run(["/usr/bin/foo.pl", "-g", "x"])],
    [["-c", "/etc/s.conf", "-g", "scripts1", "--lockname", "foo-1", "--", "foo"], { ...run(["foo"]), config: "/etc/s.conf", group: "scripts1", lockname: "foo-1" }],
    [["--config=/x", "--group=g", "ls"], { ...run(["ls"]), config: "/x", group: "g" }],
    [["-cfoo.conf", "-gg", "ls"], { ...run(["ls"]), config: "foo.conf", group: "g" }],
    [["--no-lock", "--", "ls", "--", "x"], { kind: "run", config: "/etc/switchman.conf", command: ["ls", "--", "x"], concurrency: "allow", leases: [] }],
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
    [["--locks", "ls"], /^unknown option --locks/],
    [["-c"], /^option --config needs a value$/],
    [["--lockname"], /^option --lockname needs a value$/],
    [["--lockname", "a", "--lockname", "b", "ls"], /given more than once/],
    [["--no-lock", "--lockname", "a", "ls"], /exclude each other/],
    [["--lease", "db=1:x", "ls"], /^--lease "db=1:x" is invalid at column 6: TOTAL has the unknown name "x" \(TOTAL takes .*\) \(RESOURCE=COUNT:TOTAL: /],
    [["--lease=CPU=1:CPU", "--lease", "x=1:1", "ls"], /^--lease "CPU=1:CPU" is invalid at column 1: RESOURCE "CPU" contains the macro CPU/],
    [["--lease", "db=5:4", "ls"], /^--lease "db=5:4" is invalid at column 4: COUNT is 5, more than TOTAL 4/],
    [["--lease", "db=1:int(MEMMB/1024)", "ls"], /cannot call int\(\)/],
    [["--lease", "db=1:4", "--lease", "db=2:4", "ls"], /^--lease "db=2:4": resource db is leased twice/],
    [["--lease", "ls"], /^--lease "ls" is invalid at column 3: needs "="/],
    [["--lease"], /^option --lease needs a value$/],
    [["--concurrency", "skip", "ls"], /^--concurrency "skip" is invalid: it must be forbid \(.*\), allow \(no lock\) or replace/],
    [["--concurrency", "forbid", "--concurrency", "allow", "ls"], /^option --concurrency given more than once/],
    [["--no-lock", "--concurrency", "replace", "ls"], /^--no-lock and --concurrency replace exclude each other/],
    [["--no-lock", "--concurrency", "forbid", "ls"], /^--no-lock and --concurrency forbid exclude each other/],
    [["--lock", "--no-lock", "ls"], /^--lock and --no-lock exclude each other/],
    [["--lock", "--concurrency", "allow", "ls"], /^--lock and --concurrency allow exclude each other/],
    [["--concurrency", "allow", "--lockname", "a", "ls"], /^--lockname and --concurrency allow exclude each other/],
    [["--wait", "10", "ls"], /^--wait "10" is not a whole number and a unit/],
    [["--lease-timeout", "0s", "ls"], /^--lease-timeout "0s" is not/],
    [["--wait", "1m", "--lease-timeout", "1m", "ls"], /^--wait and --lease-timeout are the same limit/],
    [["--no-lock", "--wait", "1m", "ls"], /^--wait with --no-lock and no --lease: there is no lock or lease to wait for/],
    [["--concurrency", "allow", "--lease-timeout", "1m", "ls"], /^--lease-timeout with --concurrency allow and no --lease/],
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

test("leases, concurrency and the wait limit", () => {
  const lease = (text: string) => {
    const parsed = parseLease(text);
    assert.ok(parsed.ok, text);
    return parsed.lease;
  };
  const cases: [string[], unknown][] = [
    [["--lease", "db=1:4", "ls"], run(["ls"], { leases: [lease("db=1:4")] })],
    [
      ["--lease", "FQDN_cpu=1:CPU", "--lease=FQDN_mem=4096:MEMMB", "--", "ls"],
      run(["ls"], { leases: [lease("FQDN_cpu=1:CPU"), lease("FQDN_mem=4096:MEMMB")] }),
    ],
    [["--lease", "x=1:CPU-100", "ls"], run(["ls"], { leases: [lease("x=1:CPU-100")] })], // host-dependent: checked at run time
    [["--no-lock", "--lease", "rr=1:1", "ls"], { ...run(["ls"], { concurrency: "allow", leases: [lease("rr=1:1")] }), lockname: undefined }],
    [["--concurrency", "allow", "ls"], { ...run(["ls"], { concurrency: "allow" }), lockname: undefined }],
    [["--no-lock", "--concurrency", "allow", "ls"], { ...run(["ls"], { concurrency: "allow" }), lockname: undefined }],
    [["--concurrency=replace", "ls"], run(["ls"], { concurrency: "replace" })],
    [["--concurrency", "forbid", "--lock", "ls"], run(["ls"])],
    [["--wait", "10m", "ls"], run(["ls"], { wait: { text: "10m", seconds: 600 } })],
    [["--lease-timeout", "90s", "--lease", "db=1:2", "ls"], run(["ls"], { wait: { text: "90s", seconds: 90 }, leases: [lease("db=1:2")] })],
    [["--no-lock", "--wait", "1h", "--lease", "db=1:2", "ls"], { ...run(["ls"], { concurrency: "allow", wait: { text: "1h", seconds: 3600 }, leases: [lease("db=1:2")] }), lockname: undefined }],
    [["--", "ls", "--lease", "bad"], run(["ls", "--lease", "bad"])],
  ];
  for (const [argv, expected] of cases) {
    const got = parseInvocation(argv);
    const strip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    assert.deepEqual(strip(got), strip(expected), argv.join(" "));
  }
});

test("lock names: SPEC 4.3 (the rule itself is tested in test/syntax/)", () => {
  for (const ok of ["a", "foo.pl-mod-2-rem-0", "A_b.c-9", "x".repeat(512), "...", ".hidden"]) assert.equal(locknameError(ok), undefined, ok);
  for (const bad of ["", ".", "..", "a/b", "a b", "é", "x".repeat(513), "a\nb", "a:b"]) assert.notEqual(locknameError(bad), undefined, JSON.stringify(bad));
});
