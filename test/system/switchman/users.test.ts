// Local mode with several job users (docs/switchman.md, "Local mode with several job users"):
// run as root, the test acts as www-data and nobody through `setpriv --reuid`, as cron would
// start their jobs. Each user gets its own locks; no user can open, block, plant, replace or
// delete another's; every unusable path is one line naming it, the user and the fix, exit 75
// (lock directory) or 2 (config), and the command never runs unlocked.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { builtBin, switchmanBin } from "../../helpers/paths.js";
import { RECORDS_OFF, requireTools, waitFor } from "../../helpers/switchman.js";

/** The job users: uid and gid as in Debian's base-passwd. */
const USERS = { root: 0, "www-data": 33, nobody: 65534 } as const;
type User = keyof typeof USERS;
const GIDS: Record<User, number> = { root: 0, "www-data": 33, nobody: 65534 };

let dir = "";
let lockdir = "";
let config = "";
let records = "";
const started = new Set<ChildProcess>();

before(() => {
  requireTools();
  assert.equal(process.getuid?.(), 0, "this test acts as other users with setpriv: run it as root");
  builtBin(switchmanBin);
  dir = mkdtempSync(join(tmpdir(), "switchman-users-"));
  chmodSync(dir, 0o755); // the job users must reach the config and the lock directory
  lockdir = join(dir, "locks");
  records = join(dir, "records");
  mkdirSync(records);
  chmodSync(records, 0o1777);
  config = writeConfig("switchman.conf", { lockdir, logfile: join(dir, "switchman.log") });
});

after(() => {
  for (const child of started) {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, body: Record<string, unknown>, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...RECORDS_OFF, ...body })); // run records: test/system/switchman/records/
  chmodSync(path, mode);
  return path;
}

/** `setpriv` as `user` (no supplementary groups), with the minimal environment cron gives a job. */
function asUser(user: User, command: string[]): { file: string; args: string[] } {
  return {
    file: "setpriv",
    args: [`--reuid=${USERS[user]}`, `--regid=${GIDS[user]}`, "--clear-groups", "--", ...command],
  };
}

const switchmanArgv = (args: string[]): string[] => [process.execPath, switchmanBin, ...args];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts switchman as `user`; resolves when it exits. */
function startAs(user: User, args: string[], configPath = config): { child: ChildProcess; done: Promise<Finished> } {
  const { file, args: argv } = asUser(user, switchmanArgv(["--config", configPath, ...args]));
  const child = spawn(file, argv, { env: { PATH: "/usr/bin:/bin", SWITCHMAN_HOSTNAME: "box1.example.com" }, stdio: ["ignore", "pipe", "pipe"] });
  started.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const done = new Promise<Finished>((resolve) =>
    child.on("close", (code) => {
      started.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

const runAs = (user: User, args: string[], configPath = config): Promise<Finished> => startAs(user, args, configPath).done;

/** A command run as `user` outside switchman (to attack, or to look). */
function plainAs(user: User, command: string[]): { status: number | null; stderr: string } {
  const { file, args } = asUser(user, command);
  const result = spawnSync(file, args, { encoding: "utf8" });
  return { status: result.status, stderr: result.stderr };
}

/** `flock FILE sleep 30` as `user`, in its own process group; the returned function kills the group (lock released). */
function holdFlock(file: string, user: User): () => void {
  const { file: command, args } = asUser(user, ["flock", file, "sleep", "30"]);
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  started.add(child);
  return () => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // gone
    }
  };
}

/** A job that records its user and waits until `release` exists. */
function waitingJob(tag: string, release: string): string[] {
  return ["sh", "-c", 'id -un >> "$1"; while [ ! -e "$2" ]; do sleep 0.05; done', "job", join(records, tag), release];
}

/** switchman's one line of its own (stderr minus the log file's trouble and the log lines that follow it). */
function ownLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l !== "" && !/log file|syslog|^switchman: (info|debug): /.test(l));
  assert.equal(lines.length, 1, `one line expected: ${stderr}`);
  return lines[0] as string;
}

test("root, www-data and nobody each hold their own lock of one name at once; the same user twice gets it once", async () => {
  // The shared directory is root's to make (at boot, by tmpfiles.d; here by root's first job).
  const first = await runAs("root", ["--lockname", "first", "--", "true"]);
  assert.equal(first.code, 0, first.stderr);
  const release = join(dir, "release-shared");
  const users = ["root", "www-data", "nobody"] as const;
  const holders = users.map((user) => ({ user, ...startAs(user, ["--lockname", "shared", "--", ...waitingJob(`shared-${user}`, release)]) }));
  await waitFor("three holders", () => users.every((user) => existsSync(join(records, `shared-${user}`))), 20_000);
  for (const user of ["www-data", "root"] as const) {
    const second = await runAs(user, ["--lockname", "shared", "--", "sh", "-c", `echo second >> ${join(records, "second")}`]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(existsSync(join(records, "second")), false, `${user}'s second job must skip: its lock is held`);
  }
  writeFileSync(release, "");
  for (const holder of holders) assert.equal((await holder.done).code, 0, `${holder.user}: ${(await holder.done).stderr}`);
  for (const user of users) assert.equal(readFileSync(join(records, `shared-${user}`), "utf8"), `${user}\n`);
  // The layout: a shared 1777 directory (made by root's first run), one 0700 directory per user.
  assert.equal(statSync(lockdir).mode & 0o7777, 0o1777);
  assert.equal(statSync(lockdir).uid, 0);
  for (const [user, uid] of Object.entries(USERS)) {
    const own = statSync(join(lockdir, String(uid)));
    assert.equal(own.uid, uid, user);
    assert.equal(own.mode & 0o7777, 0o700, user);
    const file = statSync(join(lockdir, String(uid), "shared"));
    assert.equal(file.uid, uid, user);
    assert.equal(file.mode & 0o777, 0o600, user);
  }
});

test("another user can neither open nor flock, delete, rename or replace a user's lock", async () => {
  const release = join(dir, "release-guarded");
  const holder = startAs("root", ["--lockname", "guarded", "--", ...waitingJob("guarded", release)]);
  await waitFor("root's job", () => existsSync(join(records, "guarded")), 20_000);
  const rootLock = join(lockdir, "0", "guarded");
  for (const attack of [
    ["flock", "--nonblock", rootLock, "true"],
    ["flock", "--nonblock", join(lockdir, "0"), "true"],
    ["rm", "-rf", join(lockdir, "0")],
    ["mv", join(lockdir, "0"), join(lockdir, "stolen")],
    ["ln", "-s", join(dir, "elsewhere"), join(lockdir, "0", "planted")],
  ]) {
    const result = plainAs("www-data", attack);
    assert.notEqual(result.status, 0, `www-data could ${attack.join(" ")}`);
  }
  assert.ok(existsSync(rootLock), "root's lock file is still there");
  // root's lock is still held: root's second job skips.
  const second = await runAs("root", ["--lockname", "guarded", "--", "sh", "-c", `echo second >> ${join(records, "guarded-second")}`]);
  assert.equal(second.code, 0);
  assert.equal(existsSync(join(records, "guarded-second")), false);
  writeFileSync(release, "");
  assert.equal((await holder.done).code, 0);
});

test("a file planted where switchman 0.1.0 kept locks, and held by www-data, does not block root", async () => {
  const planted = join(lockdir, "legacy-name");
  const plant = plainAs("www-data", ["touch", planted]);
  assert.equal(plant.status, 0, plant.stderr);
  const hold = holdFlock(planted, "www-data");
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await runAs("root", ["--lockname", "legacy-name", "--", "echo", "ran"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "ran\n", "a lock file that is not root's is not root's lock");
  } finally {
    hold();
  }
});

test("root's own lock in the 0.1.0 place, held by a job started before the upgrade, still excludes root", async () => {
  const legacy = join(lockdir, "upgraded");
  writeFileSync(legacy, "box1.example.com 1\n", { mode: 0o644 });
  const hold = holdFlock(legacy, "root");
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const held = await runAs("root", ["--lockname", "upgraded", "--", "echo", "ran"]);
    assert.equal(held.code, 0, held.stderr);
    assert.equal(held.stdout, "", "the old version's holder still counts");
    assert.equal(statSync(legacy).mode & 0o777, 0o600, "made private: other users can no longer open it");
  } finally {
    hold();
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const free = await runAs("root", ["--lockname", "upgraded", "--", "echo", "ran"]);
  assert.equal(free.stdout, "ran\n");
});

test("a hard link to another file of root's, under a lock's name in the 0.1.0 place, is left alone", async () => {
  // Where fs.protected_hardlinks is 0 any user can link a file it cannot write into the sticky
  // lock directory; made here by root, so that the test does not depend on that sysctl.
  const precious = join(dir, "precious");
  writeFileSync(precious, "root's\n", { mode: 0o644 });
  linkSync(precious, join(lockdir, "precious-lock"));
  const result = await runAs("root", ["--lockname", "precious-lock", "--", "echo", "ran"]);
  assert.equal(result.stdout, "ran\n", result.stderr);
  assert.equal(statSync(precious).mode & 0o777, 0o644, "switchman changed the mode of a file it merely found linked");
  assert.equal(readFileSync(precious, "utf8"), "root's\n");
});

test("a user directory planted by another user is refused with exit 75 naming both, and nothing runs", async () => {
  const squatted = join(lockdir, "65534");
  rmSync(squatted, { recursive: true, force: true });
  assert.equal(plainAs("www-data", ["mkdir", "-m", "0777", squatted]).status, 0);
  const marker = join(records, "squatted-ran");
  const result = await runAs("nobody", ["--lockname", "squat", "--", "touch", marker]);
  assert.equal(result.code, 75);
  assert.equal(existsSync(marker), false);
  assert.match(
    ownLine(result.stderr),
    /^switchman: critical: \S+\/locks\/65534 should be the lock directory of user nobody \(uid 65534\) but belongs to user www-data \(uid 33\), who created it first; switchman never uses it: remove it as root \(rm -r \S+\/locks\/65534\)/,
  );
  rmSync(squatted, { recursive: true, force: true });
  // A symlink planted in its place is not followed either.
  const decoy = join(dir, "decoy");
  mkdirSync(decoy);
  chownSync(decoy, 65534, 65534);
  assert.equal(plainAs("www-data", ["ln", "-s", decoy, squatted]).status, 0);
  const linked = await runAs("nobody", ["--lockname", "squat", "--", "touch", marker]);
  assert.equal(linked.code, 75);
  assert.match(ownLine(linked.stderr), /locks\/65534 should be the lock directory of user nobody \(uid 65534\) but is not a directory \(it belongs to user www-data \(uid 33\)\)/);
  assert.equal(existsSync(marker), false);
  rmSync(squatted, { force: true });
  const fine = await runAs("nobody", ["--lockname", "squat", "--", "touch", marker]);
  assert.equal(fine.code, 0, fine.stderr);
  assert.ok(existsSync(marker));
});

test("a symlink planted as a lock file in a user's own directory is never followed (only that user or root could plant it)", async () => {
  const own = await runAs("www-data", ["--lockname", "own", "--", "true"]);
  assert.equal(own.code, 0, own.stderr);
  const target = join(dir, "symlink-target");
  writeFileSync(target, "keep\n");
  const link = join(lockdir, "33", "linked");
  assert.equal(plainAs("www-data", ["ln", "-sf", target, link]).status, 0);
  const result = await runAs("www-data", ["--lockname", "linked", "--", "echo", "ran"]);
  assert.equal(result.code, 75);
  assert.equal(result.stdout, "");
  assert.match(ownLine(result.stderr), /cannot open lock file \S+\/locks\/33\/linked as user www-data \(uid 33\): ELOOP.*a symbolic link: switchman never follows one/);
  assert.equal(readFileSync(target, "utf8"), "keep\n", "the symlink's target is untouched");
});

test("unusable lock directories: exit 75, one line naming the path, the user and the fix", async () => {
  const marker = join(records, "never");
  const cases: Array<{ name: string; user: User; setup: () => string; message: RegExp }> = [
    {
      name: "missing, non-root",
      user: "www-data",
      setup: () => join(dir, "missing-locks"),
      message: /lock directory \S+\/missing-locks does not exist, and user www-data \(uid 33\) may not create it .*install -d -m 1777 \S+\/missing-locks/,
    },
    {
      name: "0755 as switchman 0.1.0 made it",
      user: "www-data",
      setup: () => {
        const path = join(dir, "old-locks");
        mkdirSync(path, { mode: 0o755 });
        return path;
      },
      message: /cannot create \S+\/old-locks\/33 \(the lock directory of user www-data \(uid 33\)\): permission denied; .*chmod 1777 \S+\/old-locks/,
    },
    {
      name: "an ancestor writable by others without the sticky bit",
      user: "root",
      setup: () => {
        const open = join(dir, "open");
        mkdirSync(open);
        chmodSync(open, 0o777);
        return join(open, "locks");
      },
      message: /lock directory \S+\/open\/locks cannot be trusted by user root \(uid 0\): \S+\/open is writable by other users without the sticky bit \(mode 777\)/,
    },
    {
      name: "the shared directory made by another user",
      user: "root",
      setup: () => {
        const path = join(dir, "usurped");
        mkdirSync(path, { mode: 0o1777 });
        chownSync(path, 33, 33);
        return path;
      },
      message: /lock directory \S+\/usurped cannot be trusted by user root \(uid 0\): \S+\/usurped belongs to user www-data \(uid 33\), neither root nor the job's user root/,
    },
    {
      name: "a symlink planted by another user in a sticky directory",
      user: "root",
      setup: () => {
        const sticky = join(dir, "sticky");
        mkdirSync(sticky);
        chmodSync(sticky, 0o1777);
        const evil = join(dir, "evil");
        mkdirSync(evil);
        chmodSync(evil, 0o1777);
        assert.equal(plainAs("www-data", ["ln", "-s", evil, join(sticky, "locks")]).status, 0);
        return join(sticky, "locks");
      },
      message: /cannot be trusted by user root \(uid 0\): \S+\/sticky\/locks belongs to user www-data \(uid 33\)/,
    },
  ];
  for (const c of cases) {
    const conf = writeConfig(`lockdir-${c.name.replace(/\W+/g, "-")}.conf`, { lockdir: c.setup() });
    const result = await runAs(c.user, ["--lockname", "x", "--", "touch", marker], conf);
    assert.equal(result.code, 75, `${c.name}: ${result.stderr}`);
    assert.match(ownLine(result.stderr), c.message, c.name);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `${c.name}: no stack trace`);
    assert.equal(existsSync(marker), false, `${c.name}: CMD must not run`);
  }
});

test("a config the job user cannot read: exit 2, one line naming the file, the user and the fix", async () => {
  const secret = writeConfig("root-only.conf", { lockdir }, 0o600);
  const result = await runAs("www-data", ["--lockname", "x", "--", "touch", join(records, "never-config")], secret);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^switchman: cannot read config \S+\/root-only\.conf: EACCES: .*; user www-data \(uid 33\) cannot read it: every job user must, so make it readable \(chmod 0644 \S+\/root-only\.conf, and a\+x on its directories\): it holds no secrets\n$/,
  );
  assert.equal(existsSync(join(records, "never-config")), false);
});

test("a log file the job user cannot write: the job runs, one line names the file, the user and the fix", async () => {
  const logfile = join(dir, "root.log");
  writeFileSync(logfile, "", { mode: 0o644 });
  const conf = writeConfig("root-log.conf", { lockdir, logfile });
  const result = await runAs("www-data", ["--lockname", "logged", "--", "sh", "-c", "echo ran; exit 3"], conf);
  assert.equal(result.code, 3);
  assert.equal(result.stdout, "ran\n");
  assert.match(
    result.stderr.split("\n")[0] ?? "",
    /^switchman: cannot open log file \S+\/root\.log as user www-data \(uid 33\): EACCES: .*; the job runs and its log lines go to syslog \(facility cron\) instead; to log to the file, make it writable by www-data /,
  );
  assert.equal(readFileSync(logfile, "utf8"), "", "nothing was written into root's file");
});
