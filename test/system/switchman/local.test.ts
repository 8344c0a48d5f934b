// Local mode (scenario 13): flock locks in lockdir (contention, kill -9 of the holder frees the
// lock at once), groups from the config file matched against SWITCHMAN_HOSTNAME.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { alive, findProcesses, groupMembers, killAll, openers, readPids, requireTools, runSwitchman, sandbox, startSwitchman, waitFor, type Sandbox } from "../../helpers/switchman.js";

let box: Sandbox;
const leftovers = new Set<number>();
before(() => {
  requireTools();
  box = sandbox();
});
after(() => {
  for (const pid of [...leftovers]) killAll(groupMembers(pid));
  killAll(leftovers);
  box.cleanup();
});

/** Where switchman keeps this user's lock `lockname`: `<lockdir>/<uid>/<lockname>` (docs/switchman.md). */
const lockFile = (lockname: string): string => join(box.lockdir, String(process.getuid?.() ?? 0), lockname);

/** Whether another process could take the lock right now, asked of flock(1) directly. */
function lockIsFree(lockname: string): boolean {
  const result = spawnSync("flock", ["--nonblock", "--conflict-exit-code", "100", lockFile(lockname), "true"]);
  if (result.status !== 0 && result.status !== 100) throw new Error(`flock failed: ${String(result.stderr)}`);
  return result.status === 0;
}

test("20 concurrent starters on one lock: exactly one runs CMD, the others skip with exit 0", async () => {
  const record = join(box.dir, "contention-record");
  const release = join(box.dir, "contention-release");
  const job = ["sh", "-c", 'echo "start $$" >> "$1"; while [ ! -e "$2" ]; do sleep 0.05; done; echo "end $$" >> "$1"', "job", record, release];
  const starters = Array.from({ length: 20 }, () => {
    const child = startSwitchman(["--config", box.config, "--lockname", "contended", "--", ...job]);
    child.stdin?.end();
    leftovers.add(child.pid as number);
    return child;
  });
  // Every starter but the holder gives up while the holder's CMD still runs.
  const finishedEarly = await waitFor(
    "19 starters to skip",
    () => {
      const done = starters.filter((child) => child.exitCode !== null);
      return done.length >= 19 ? done : undefined;
    },
    60_000,
  );
  assert.equal(finishedEarly.length, 19, "the holder must still be running");
  for (const child of finishedEarly) {
    const result = await child.done;
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "", "a held lock is not worth a cron mail");
    assert.equal(result.stdout, "");
  }
  assert.equal(readFileSync(record, "utf8").match(/^start /gm)?.length, 1, "exactly one CMD started");
  writeFileSync(release, "");
  const results = await Promise.all(starters.map((child) => child.done));
  assert.deepEqual(results.map((r) => r.code), Array(20).fill(0));
  const lines = readFileSync(record, "utf8").trim().split("\n");
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? "", /^start \d+$/);
  assert.equal(lines[1], (lines[0] ?? "").replace("start", "end"));
  assert.equal(box.log().match(/\tinfo\tSKIP lock-held: /g)?.length, 19);
  assert.match(box.log(), /\tinfo\tSKIP lock-held: lock \S+\/contended is held by another process \(box1\.example\.com \d+\); lockname=contended/);
  assert.equal(box.log().match(/\tinfo\tSTART lockname=contended /g)?.length, 1);
});

test("the lock file names the holder while it runs and is emptied (not removed) after", async () => {
  const pidfile = join(box.dir, "holder-pid");
  const release = join(box.dir, "holder-release");
  const switchman = startSwitchman(["--config", box.config, "--lockname", "labelled", "--", "sh", "-c", 'echo $$ > "$1"; while [ ! -e "$2" ]; do sleep 0.05; done', "job", pidfile, release]);
  switchman.stdin?.end();
  leftovers.add(switchman.pid as number);
  await waitFor("the job", () => readPids(pidfile));
  const lockfile = lockFile("labelled");
  assert.equal(readFileSync(lockfile, "utf8"), `box1.example.com ${switchman.pid}\n`);
  assert.equal(statSync(box.lockdir).mode & 0o7777, 0o1777);
  assert.equal(statSync(dirname(lockfile)).mode & 0o7777, 0o700);
  assert.equal(lockIsFree("labelled"), false);
  writeFileSync(release, "");
  assert.equal((await switchman.done).code, 0);
  assert.equal(readFileSync(lockfile, "utf8"), "");
  assert.equal(lockIsFree("labelled"), true, `still held by: ${openers(lockfile).join("; ")}`);
});

test("kill -9 of the holder frees the lock at once, but never while CMD or its children still run", async () => {
  const pidfile = join(box.dir, "victim-pid");
  const record = join(box.dir, "victim-got-lock");
  const lockfile = lockFile("victim");
  // A grandchild tries to take the lock in a tight loop: if the lock were ever free while
  // it still runs (switchman dead, the group not yet), it would get it and say so.
  const script = 'echo $$ > "$1"; (while :; do flock -n -E 100 "$2" true && echo got >> "$3"; done) & sleep 100 | cat';
  const switchman = startSwitchman(["--config", box.config, "--lockname", "victim", "--", "sh", "-c", script, "job", pidfile, lockfile, record]);
  switchman.stdin?.end();
  leftovers.add(switchman.pid as number);
  const [job] = await waitFor("the job", () => readPids(pidfile));
  leftovers.add(job as number);
  await waitFor("the pipeline and the prober", () => groupMembers(job as number).length >= 4);
  // Slow the guard down on purpose (SIGSTOP): the lock must stay held until it has killed the group.
  const [guard] = await waitFor("the guard", () => {
    const pids = findProcesses("switchman-guard", String(switchman.pid));
    return pids.length > 0 ? pids : undefined;
  });
  leftovers.add(guard as number);
  process.kill(guard as number, "SIGSTOP");
  switchman.kill("SIGKILL");
  // Not `done`: that waits for stdio to close, and the grandchildren still hold it.
  await waitFor("switchman to die", () => switchman.signalCode !== null, 5000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(existsSync(record), false, "the lock was free while CMD's grandchildren still ran");
  assert.ok(groupMembers(job as number).length >= 2, "the grandchildren wait for the stopped guard");
  assert.equal(lockIsFree("victim"), false, "the stopped guard still holds the lock");
  const killedAt = Date.now();
  process.kill(guard as number, "SIGCONT");
  await waitFor("the group to die", () => groupMembers(job as number).length === 0, 5000);
  await waitFor("the lock to be free", () => lockIsFree("victim"), 5000);
  const freeAfterMs = Date.now() - killedAt;
  assert.ok(freeAfterMs < 2000, `free ${freeAfterMs} ms after the guard resumed`);
  assert.equal(existsSync(record), false, "a process of CMD's group got the lock after switchman died");
  await switchman.done;
  const next = await runSwitchman(["--config", box.config, "--lockname", "victim", "--", "echo", "second"]);
  assert.equal(next.stdout, "second\n");
});

test("--no-lock runs without the lock, concurrently with a holder", async () => {
  const release = join(box.dir, "nolock-release");
  const pidfile = join(box.dir, "nolock-holder-pid");
  const holder = startSwitchman(["--config", box.config, "--lockname", "shared", "--", "sh", "-c", 'echo $$ > "$2"; while [ ! -e "$1" ]; do sleep 0.05; done', "job", release, pidfile]);
  holder.stdin?.end();
  leftovers.add(holder.pid as number);
  // Wait for the holder's CMD, not for the lock: probing with flock(1) would itself take the lock for a moment.
  await waitFor("the holder", () => readPids(pidfile));
  assert.equal(lockIsFree("shared"), false);
  const free = await runSwitchman(["--config", box.config, "--no-lock", "--", "echo", "unlocked"]);
  assert.equal(free.stdout, "unlocked\n");
  const skipped = await runSwitchman(["--config", box.config, "--lockname", "shared", "--", "echo", "locked"]);
  assert.equal(skipped.code, 0);
  assert.equal(skipped.stdout, "");
  writeFileSync(release, "");
  assert.equal((await holder.done).code, 0);
});

test("groups from the config: members run, non-members skip silently, nested and cyclic groups, shadowing", async () => {
  box.writeConfig({
    groups: {
      scripts1: "box1.example.com",
      scripts2: "box2.example.com",
      scripts3: ["scripts2", "scripts1"],
      ring1: ["ring2", "box7.example.com"],
      ring2: ["ring1", "box1.example.com"],
      // a group named like a host shadows it: box5.example.com is not in "shadowed", box9 is
      "box5.example.com": "box9.example.com",
      shadowed: ["box5.example.com"],
    },
  });
  try {
    const cases: [string, string, boolean][] = [
      ["scripts1", "box1.example.com", true],
      ["scripts2", "box1.example.com", false],
      ["scripts3", "box1.example.com", true],
      ["ring1", "box1.example.com", true],
      ["ring2", "box7.example.com", true],
      ["ring1", "box2.example.com", false],
      ["shadowed", "box5.example.com", false],
      ["shadowed", "box9.example.com", true],
    ];
    for (const [group, host, runs] of cases) {
      const lockname = `group-${group}-${host}`;
      const result = await runSwitchman(["--config", box.config, "--group", group, "--lockname", lockname, "--", "echo", "ran"], {
        env: { SWITCHMAN_HOSTNAME: host },
      });
      assert.equal(result.code, 0, `${group}@${host}: ${result.stderr}`);
      assert.equal(result.stdout, runs ? "ran\n" : "", `${group}@${host}`);
      assert.equal(result.stderr, "", `${group}@${host}: nothing on stderr`);
      // Not in the group: nothing is created, not even a lock file.
      assert.equal(existsSync(lockFile(lockname)), runs, `${group}@${host}: lock file`);
    }
    assert.match(box.log(), /\tinfo\tSKIP not-in-group: host box1\.example\.com is not in group scripts2/);
    const elsewhere = await runSwitchman(["--config", box.config, "--group", "scripts2", "--", "echo", "ran"], { env: { SWITCHMAN_HOSTNAME: "box2.example.com" } });
    assert.equal(elsewhere.stdout, "ran\n", "SWITCHMAN_HOSTNAME decides membership");
    const missing = await runSwitchman(["--config", box.config, "--group", "nope", "--", "echo", "ran"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stdout, "");
    assert.match(missing.stderr, /group nope is not defined/);
    const noGroups = sandbox();
    try {
      const none = await runSwitchman(["--config", noGroups.config, "--group", "scripts1", "--", "echo", "ran"]);
      assert.equal(none.code, 2, "a config without groups defines no group");
    } finally {
      noGroups.cleanup();
    }
  } finally {
    box.writeConfig({});
  }
  assert.ok(readdirSync(box.lockdir).length > 0);
});

test("an unusable lockdir is exit 75 with a message, and nothing runs", async () => {
  const file = join(box.dir, "not-a-dir");
  writeFileSync(file, "");
  const other = sandbox();
  try {
    other.writeConfig({ lockdir: join(file, "locks") });
    const result = await runSwitchman(["--config", other.config, "--", "echo", "ran"]);
    assert.equal(result.code, 75);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^switchman: critical: cannot use lock directory .*not-a-dir\/locks as (user \S+ \(uid \d+\)|uid \d+): ENOTDIR/);
  } finally {
    other.cleanup();
  }
});

/** Starts a long job in group `group`, waits for it, returns the switchman and the job's pid. */
async function startGroupJob(group: string, tag: string) {
  const pidfile = join(box.dir, `${tag}-pid`);
  const switchman = startSwitchman(["--config", box.config, "--group", group, "--lockname", tag, "--", "sh", "-c", 'echo $$ > "$1"; exec sleep 100', "job", pidfile]);
  switchman.stdin?.end();
  leftovers.add(switchman.pid as number);
  const [job] = await waitFor("the job", () => readPids(pidfile));
  leftovers.add(job as number);
  return { switchman, job: job as number };
}

test("the host removed from its group in the config file: CMD is stopped, exit 70; unrelated edits change nothing", async () => {
  box.writeConfig({ groups: { scripts1: ["box1.example.com", "box2.example.com"] } });
  try {
    const { switchman, job } = await startGroupJob("scripts1", "regroup");
    box.writeConfig({ groups: { scripts1: ["box1.example.com", "box2.example.com"], other: "box3.example.com" } });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // more than two polls of the config file
    assert.equal(alive(job), true, "an unrelated change must not stop CMD");
    const removedAt = Date.now();
    box.writeConfig({ groups: { scripts1: ["box2.example.com"], other: "box3.example.com" } });
    const result = await switchman.done;
    const stoppedAfterS = (Date.now() - removedAt) / 1000;
    assert.equal(result.code, 70);
    assert.ok(stoppedAfterS < 5, `stopped ${stoppedAfterS} s after the edit`);
    assert.equal(alive(job), false);
    assert.match(result.stderr, /switchman: warning: group-changed: host box1\.example\.com is no longer in group scripts1; stopping CMD/);
    assert.equal(lockIsFree("regroup"), true);
  } finally {
    box.writeConfig({});
  }
});

test("a config file that becomes invalid while CMD runs stops CMD (like broken prefix data)", async () => {
  box.writeConfig({ groups: { scripts1: "box1.example.com" } });
  try {
    const { switchman, job } = await startGroupJob("scripts1", "broken-config");
    writeFileSync(box.config, "{ broken");
    const result = await switchman.done;
    assert.equal(result.code, 70);
    assert.equal(alive(job), false);
    assert.match(result.stderr, /group-changed: the groups of .* can no longer be read: .*not valid JSON/);
  } finally {
    box.writeConfig({});
  }
});
