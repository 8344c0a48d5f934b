// A frozen switchman (kill -STOP of switchman itself, not of ZooKeeper) must not outlive its
// lock: its guard process stops getting beats and SIGKILLs CMD's group before the server could
// expire the session and hand the lock to someone else (SPEC 8.3, the invariant). Real
// standalone ZooKeeper from Debian's zookeeper package (test/helpers/zookeeper.ts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TestZk, requireZooKeeper, startStandalone, type ZkCluster } from "../../helpers/zookeeper.js";
import { alive, groupMembers, killAll, readPids, requireTools, runSwitchman, sandbox, startSwitchman, waitFor, type Sandbox } from "../../helpers/switchman.js";

const SESSION_TIMEOUT_S = 8;
let cluster: ZkCluster | undefined;
let zk: TestZk | undefined;
let box: Sandbox;
const leftovers = new Set<number>();

before(async () => {
  requireTools();
  requireZooKeeper();
  box = sandbox();
  cluster = await startStandalone();
  zk = await TestZk.connect(cluster.connectString);
  await zk.setPrefix("/freeze", { groups: {} });
  writeFileSync(
    box.config,
    JSON.stringify({
      zkhosts: cluster.connectString,
      prefix: "/freeze",
      session_timeout: SESSION_TIMEOUT_S,
      termination_timeout: 1,
      connect_timeout: 20,
      logfile: box.logfile,
      loglevel: "debug",
    }),
  );
});

after(async () => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // gone
    }
    killAll(groupMembers(pid));
  }
  killAll(leftovers);
  await zk?.close();
  await cluster?.stop();
  box.cleanup();
});

test("kill -STOP of switchman: CMD is dead before the session could expire; the next holder never overlaps", async () => {
  assert.ok(zk);
  const pidfile = join(box.dir, "frozen-pid");
  const switchman = startSwitchman(["--config", box.config, "--lockname", "frozen", "--", "sh", "-c", 'echo $$ > "$1"; exec sleep 100', "job", pidfile]);
  switchman.stdin?.end();
  const switchmanPid = switchman.pid as number;
  leftovers.add(switchmanPid);
  const [job] = await waitFor("the job", () => readPids(pidfile), 30_000);
  leftovers.add(job as number);
  const lock = await zk.get("/freeze/locks/frozen");
  assert.ok(lock, "the lock node exists while the job runs");
  assert.equal(lock.data, `box1.example.com ${switchmanPid}`);

  const frozenAt = Date.now();
  process.kill(switchmanPid, "SIGSTOP");
  await waitFor("the guard to kill CMD", () => !alive(job as number), (SESSION_TIMEOUT_S + 5) * 1000);
  const deadAfterS = (Date.now() - frozenAt) / 1000;
  // The server cannot have expired the session yet: the lock node is still there, still ours.
  const stillLocked = await zk.get("/freeze/locks/frozen");
  assert.ok(stillLocked, `CMD died ${deadAfterS} s after the freeze, but only after the lock node was gone`);
  assert.equal(stillLocked.ownerHex, lock.ownerHex);
  assert.ok(deadAfterS < SESSION_TIMEOUT_S, `CMD died ${deadAfterS} s after the freeze`);

  // Once the session expires the lock is free: a second switchman runs, strictly after CMD died.
  const expiryDeadline = Date.now() + (SESSION_TIMEOUT_S + 10) * 1000;
  while ((await zk.get("/freeze/locks/frozen")) !== null) {
    assert.ok(Date.now() < expiryDeadline, "the frozen switchman's session never expired");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const expiredAfterS = (Date.now() - frozenAt) / 1000;
  const second = await runSwitchman(["--config", box.config, "--lockname", "frozen", "--", "echo", "second"], { timeoutMs: 60_000 });
  assert.equal(second.stdout, "second\n", second.stderr);

  // Thawed, the first switchman finds CMD killed behind its back: exit 70 with a warning.
  process.kill(switchmanPid, "SIGCONT");
  const first = await switchman.done;
  assert.equal(first.code, 70, first.stderr);
  assert.match(first.stderr, /switchman: warning: /);
  process.stdout.write(
    `# frozen switchman: CMD dead ${deadAfterS.toFixed(2)} s after kill -STOP, lock node gone ${expiredAfterS.toFixed(2)} s after (session ${SESSION_TIMEOUT_S} s)\n`,
  );
});
