// switchman as a real process: exit codes passed through (scenario 3), stdio and arguments
// verbatim (scenario 11), usage and configuration errors before anything runs (scenario 12).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireTools, runSwitchman, sandbox, type Sandbox } from "../../helpers/switchman.js";

let box: Sandbox;
before(() => {
  requireTools();
  box = sandbox();
});
after(() => box.cleanup());

const run = (args: string[], input?: string) => runSwitchman(["--config", box.config, ...args], input === undefined ? {} : { input });

test("exit codes 0, 3 and 255 are passed through", async () => {
  for (const code of [0, 3, 255]) {
    const result = await run(["--", "sh", "-c", `exit ${code}`]);
    assert.equal(result.code, code);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, "");
  }
});

test("a child killed by signal N gives 128+N", async () => {
  assert.equal((await run(["--", "sh", "-c", "kill -USR1 $$"])).code, 128 + 10);
  assert.equal((await run(["--", "sh", "-c", "kill -KILL $$"])).code, 128 + 9);
  assert.equal((await run(["--", "sh", "-c", "kill -TERM $$"])).code, 128 + 15);
});

test("a command that cannot be executed gives setpriv's 127/126, like a shell", async () => {
  const missing = await run(["--", join(box.dir, "no-such-program")]);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /no-such-program/);
  const notExecutable = join(box.dir, "data.txt");
  writeFileSync(notExecutable, "x");
  assert.equal((await run(["--", notExecutable])).code, 126);
});

test("arguments with spaces and shell metacharacters reach CMD verbatim, no shell involved", async () => {
  const args = ["a b", "$(touch /tmp/pwned)", "`id`", "*", "; exit 9", "'\"", "", "--group", "-c", "x\ny", "%s\\n"];
  const result = await run(["--", "node", "-e", "process.stdout.write(JSON.stringify(process.argv.slice(1)))", ...args]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), args);
});

test("options after CMD belong to CMD, also without --", async () => {
  const result = await run(["--lockname", "echo-test", "echo", "--config", "nope", "-g", "x", "--", "y"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "--config nope -g x -- y\n");
});

test("stdin, stdout and stderr are CMD's, byte for byte", async () => {
  const input = "line 1\nbinary \u0000\u00ff end\n".repeat(2000);
  const result = await run(["--", "sh", "-c", "cat; echo to-stderr >&2"], input);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, input);
  assert.equal(result.stderr, "to-stderr\n");
});

test("the environment reaches CMD unchanged", async () => {
  const result = await runSwitchman(["--config", box.config, "--", "sh", "-c", 'printf %s "$MY_VAR"'], { env: { MY_VAR: "a b$c" } });
  assert.equal(result.stdout, "a b$c");
});

test("--help and --version print on stdout and exit 0", async () => {
  const help = await runSwitchman(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: switchman /);
  const version = await runSwitchman(["-v"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^switchman \(cronmeta\) \d+\.\d+\.\d+/);
});

// Scenario 12 (local parts): every usage or configuration error is exit 2, one line on
// stderr, and nothing runs (the job would create its marker file) and no lock file appears.
test("usage and configuration errors exit 2 with one line and run nothing", async () => {
  const marker = join(box.dir, "ran");
  const job = ["touch", marker];
  const badConfig = join(box.dir, "bad.conf");
  const cases: { name: string; args: string[]; config?: string; message: RegExp }[] = [
    { name: "no command", args: [], message: /no command given/ },
    { name: "only --", args: ["--"], message: /no command given/ },
    { name: "unknown option", args: ["--frobnicate", "--", ...job], message: /unknown option --frobnicate/ },
    { name: "bad lockname", args: ["--lockname", "a/b", "--", ...job], message: /lock name "a\/b" is invalid/ },
    { name: "lockname ..", args: ["--lockname", "..", "--", ...job], message: /lock name "\.\." is invalid: it cannot be "\.\."/ },
    { name: "lockname too long", args: ["--lockname", "x".repeat(513), "--", ...job], message: /1-512 characters/ },
    { name: "bad default lockname", args: ["--", join(box.dir, "has space"), "x"], message: /pass --lockname/ },
    { name: "--lockname with --no-lock", args: ["--no-lock", "--lockname", "x", "--", ...job], message: /exclude each other/ },
    { name: "bad --lease", args: ["--lease", "db=1:x", "--", ...job], message: /--lease "db=1:x" is invalid at column 6: TOTAL has the unknown name "x"/ },
    { name: "--lease evaluated as code", args: ["--lease", "db=1:system('touch x')", "--", ...job], message: /--lease "db=1:system\('touch x'\)" is invalid at column 6/ },
    { name: "--no-lock with replace", args: ["--no-lock", "--concurrency", "replace", "--", ...job], message: /--no-lock and --concurrency replace exclude each other/ },
    { name: "option without value", args: ["--group"], message: /--group needs a value/ },
    { name: "group given twice", args: ["-g", "a", "-g", "b", "--", ...job], message: /more than once/ },
    { name: "missing config", args: ["--config", join(box.dir, "nope.conf"), "--", ...job], message: /cannot read config .*nope\.conf/ },
    { name: "config not JSON", config: "{", args: ["--", ...job], message: /is not valid JSON/ },
    { name: "config bad key", config: '{"termination_timeout": -1}', args: ["--", ...job], message: /termination_timeout: must be 0 or more/ },
    { name: "config unknown key", config: '{"zkhost": "x:1"}', args: ["--", ...job], message: /zkhost: unknown key/ },
    { name: "undefined group", config: JSON.stringify({ lockdir: join(box.dir, "locks"), groups: { a: "b" } }), args: ["-g", "nope", "--", ...job], message: /group nope is not defined/ },
  ];
  for (const c of cases) {
    let config = box.config;
    if (c.config !== undefined) {
      writeFileSync(badConfig, c.config);
      config = badConfig;
    }
    const args = c.args.includes("--config") ? c.args : ["--config", config, ...c.args];
    const result = await runSwitchman(args);
    assert.equal(result.code, 2, `${c.name}: ${result.stderr}`);
    assert.match(result.stderr, c.message, c.name);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, `${c.name}: one line: ${result.stderr}`);
    assert.match(result.stderr, /^switchman: /, c.name);
    assert.equal(result.stdout, "", c.name);
    assert.equal(existsSync(marker), false, `${c.name}: CMD must not run`);
  }
  const ownLocks = join(box.lockdir, String(process.getuid?.() ?? 0));
  const locks = existsSync(ownLocks) ? readdirSync(ownLocks) : [];
  assert.deepEqual(locks.filter((name) => name === "touch"), [], "no lock was taken");
});

test("setpriv missing: exit 70 with a message naming util-linux, nothing run", async () => {
  const bin = join(box.dir, "bin-without-setpriv");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  symlinkSync("/bin/sh", join(bin, "sh"));
  symlinkSync("/usr/bin/touch", join(bin, "touch"));
  const marker = join(box.dir, "ran-without-setpriv");
  const result = await runSwitchman(["--config", box.config, "--no-lock", "--", "touch", marker], { env: { PATH: bin } });
  assert.equal(result.code, 70);
  assert.match(result.stderr, /setpriv not found \(install util-linux\)/);
  assert.equal(existsSync(marker), false);
});
