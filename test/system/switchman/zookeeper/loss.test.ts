// switchman against a real standalone ZooKeeper: losing the right to run while CMD runs
// (issue 4 scenarios 5, 6, 7 on a standalone server, 9) and the start-to-exec overhead.
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import { join } from "node:path";
import { startStandalone, TestZk, sleep, type ZkCluster, useZooKeeper } from "../../../helpers/zookeeper.js";
import {
  alive,
  jobCommand,
  noteTiming,
  jobStarted,
  readRecord,
  runSwitchman,
  startSwitchman,
  tempDir,
  waitFor,
  writeConfig,
} from "../../../helpers/switchman.js";

const HOST = "box1.example.org";
/** Seconds; the smallest session with termination_timeout 1: loss 7 - 2 - 1 - 0.25 = 3.75 s after the last proof. */
const SESSION_TIMEOUT_S = 7;
const TERMINATION_TIMEOUT_S = 1;

describe("switchman on ZooKeeper: losing the lock or the group while the command runs", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  let seq = 0;

  async function setup(groups: Record<string, string | string[]>, extra: Record<string, unknown> = {}) {
    seq++;
    const prefix = `/loss/p${seq}`;
    await client.setPrefix(prefix, { groups });
    const config = writeConfig(tmp.path, `c${seq}`, {
      zkhosts: zk.connectString,
      prefix,
      session_timeout: SESSION_TIMEOUT_S,
      termination_timeout: TERMINATION_TIMEOUT_S,
      connect_timeout: 5,
      ...extra,
    });
    return { prefix, config, record: join(tmp.path, `record${seq}`), lock: `${prefix}/locks/job` };
  }


  useZooKeeper(startStandalone, (cluster, c) => {
    zk = cluster;
    client = c;
  });

  after(() => {
    tmp.cleanup();
  });

  it("5: lock node deleted by an operator → SIGTERM within about a second, exit 70", async (t: TestContext) => {
    const { config, record, lock } = await setup({ g: HOST });
    const run = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)], { host: HOST });
    await jobStarted(record, run);
    await waitFor("the lock node", async () => ((await client.exists(lock)) ? true : undefined));
    const deletedAt = Date.now();
    await client.remove(lock);
    const result = await run.done;
    assert.equal(result.code, 70, result.stderr);
    assert.match(result.stderr, /lock-lost/);
    const term = readRecord(record).find((e) => e.kind === "term");
    assert.ok(term, "the child must have received SIGTERM");
    const reaction = term.at - deletedAt;
    t.diagnostic(noteTiming("lock node deleted → SIGTERM in child", `${reaction.toFixed(0)} ms`));
    assert.ok(reaction < 1500, `SIGTERM came ${reaction} ms after the delete`);
    assert.equal(await client.exists(lock), null, "switchman must not re-create the lock");
  });

  it("5: a child that ignores SIGTERM gets SIGKILL after termination_timeout, exit 70", async (t: TestContext) => {
    const { config, record, lock } = await setup({ g: HOST });
    const run = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60, { ignoreTerm: true })], {
      host: HOST,
    });
    const start = await jobStarted(record, run);
    await waitFor("the lock node", async () => ((await client.exists(lock)) ? true : undefined));
    const deletedAt = Date.now();
    await client.remove(lock);
    const result = await run.done;
    const exitedAfter = Date.now() - deletedAt;
    assert.equal(result.code, 70, result.stderr);
    const events = readRecord(record);
    const ignored = events.find((e) => e.kind === "ignored");
    assert.ok(ignored, "the child must have received (and ignored) SIGTERM");
    assert.equal(events.find((e) => e.kind === "end"), undefined, "the child must not have ended on its own");
    assert.equal(alive(start.pid), false, "the child must be dead (SIGKILL)");
    const killedAfter = exitedAfter - (ignored.at - deletedAt);
    t.diagnostic(noteTiming("SIGTERM ignored → switchman exit (termination_timeout 1 s)", `${killedAfter.toFixed(0)} ms`));
    assert.ok(killedAfter >= TERMINATION_TIMEOUT_S * 1000 - 100, `SIGKILL came only ${killedAfter} ms after SIGTERM`);
    assert.ok(exitedAfter < 5000, `switchman exited ${exitedAfter} ms after the delete`);
  });

  for (const [name, change] of [
    ["host removed from the group", { groups: { g: "box2.example.org" } }],
    ["group deleted", { groups: { other: HOST } }],
    ["prefix data broken", "{\"groups\": "],
  ] as const) {
    it(`6: ${name} while running → child stopped, exit 70`, async () => {
      const { prefix, config, record } = await setup({ g: HOST });
      const run = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)], { host: HOST });
      await jobStarted(record, run);
      await sleep(300);
      const changedAt = Date.now();
      await client.setPrefix(prefix, change);
      const result = await run.done;
      assert.equal(result.code, 70, result.stderr);
      assert.match(result.stderr, /group-changed/);
      const term = readRecord(record).find((e) => e.kind === "term");
      assert.ok(term && term.at - changedAt < 1500, "SIGTERM within about a second of the change");
    });
  }

  it("6: an unrelated change to the prefix data → the child keeps running", async () => {
    const { prefix, config, record } = await setup({ g: [HOST, "box2.example.org"] });
    const run = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 3)], { host: HOST });
    await jobStarted(record, run);
    await client.setPrefix(prefix, { groups: { g: [HOST, "box2.example.org"], newgroup: "box5.example.org" } });
    await sleep(300);
    await client.setPrefix(prefix, { groups: { g: ["box3.example.org", HOST], newgroup: "box5.example.org" } });
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      readRecord(record).map((e) => e.kind),
      ["start", "end"],
    );
  });

  it("7: server frozen longer than the session timeout → child dead before the session could expire; a second switchman never overlaps; no re-run", async (t: TestContext) => {
    const server = zk.servers[0];
    assert.ok(server);
    const { prefix, config, record, lock } = await setup({ g: HOST });
    const first = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)], { host: HOST });
    const firstJob = await jobStarted(record, first);
    await waitFor("the lock node", async () => ((await client.exists(lock)) ? true : undefined));
    await sleep(1200); // a few heartbeats, so the last proof is recent
    const frozenAt = Date.now();
    server.freeze();
    let second: ReturnType<typeof startSwitchman> | undefined;
    try {
      const firstResult = await first.done;
      assert.equal(firstResult.code, 70, firstResult.stderr);
      assert.match(firstResult.stderr, /session-unsafe/);
      const term = readRecord(record).find((e) => e.kind === "term" && e.pid === firstJob.pid);
      assert.ok(term, "the first child must have been stopped");
      assert.equal(alive(firstJob.pid), false);
      const stoppedAfter = term.at - frozenAt;
      t.diagnostic(noteTiming(`freeze → SIGTERM in child (session ${SESSION_TIMEOUT_S} s, termination ${TERMINATION_TIMEOUT_S} s)`, `${stoppedAfter.toFixed(0)} ms`));
      // The server cannot expire the session earlier than session_timeout after it last heard from us (≤ frozenAt).
      assert.ok(
        stoppedAfter + TERMINATION_TIMEOUT_S * 1000 < SESSION_TIMEOUT_S * 1000,
        `child stopped ${stoppedAfter} ms after the freeze: SIGTERM + termination_timeout must fit before ${SESSION_TIMEOUT_S} s`,
      );
      // Start the second one when the first session could have expired, while still frozen.
      await sleep(Math.max(0, frozenAt + SESSION_TIMEOUT_S * 1000 + 500 - Date.now()));
      second = startSwitchman(["-c", writeConfig(tmp.path, "second", {
        zkhosts: zk.connectString,
        prefix,
        session_timeout: SESSION_TIMEOUT_S,
        termination_timeout: TERMINATION_TIMEOUT_S,
        connect_timeout: 20,
      }), "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 1)], { host: HOST });
      await sleep(2000);
    } finally {
      server.thaw();
    }
    assert.ok(second);
    const secondResult = await second.done;
    assert.equal(secondResult.code, 0, secondResult.stderr);
    const events = readRecord(record);
    const starts = events.filter((e) => e.kind === "start");
    assert.equal(starts.filter((e) => e.pid === firstJob.pid).length, 1, "the first job must not run again after the resume");
    const firstEnd = events.find((e) => e.kind === "term" && e.pid === firstJob.pid);
    assert.ok(firstEnd);
    const secondStart = starts.find((e) => e.pid !== firstJob.pid);
    if (secondStart) {
      assert.ok(secondStart.at > firstEnd.at, "the second job must start after the first one was stopped");
      t.diagnostic(noteTiming("freeze scenario: second switchman", `ran, ${(secondStart.at - firstEnd.at).toFixed(0)} ms after the first child was stopped`));
    } else {
      t.diagnostic(noteTiming("freeze scenario: second switchman", "skipped (the first session had not yet expired on the resumed server)"));
    }
    await waitFor("the lock to be free", async () => ((await client.exists(lock)) === null ? true : undefined), 15_000);
  });

  it("9: kill -9 of switchman → the child dies at once; the lock is free again within the session timeout", async (t: TestContext) => {
    const { config, record, lock } = await setup({ g: HOST });
    const run = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)], { host: HOST });
    const job = await jobStarted(record, run);
    await waitFor("the lock node", async () => ((await client.exists(lock)) ? true : undefined));
    const killedAt = Date.now();
    run.child.kill("SIGKILL");
    await waitFor("the child to die", () => (alive(job.pid) ? undefined : true), 2000, 5);
    const childGone = Date.now() - killedAt;
    await waitFor("the lock node to go", async () => ((await client.exists(lock)) === null ? true : undefined), SESSION_TIMEOUT_S * 1000 + 3000, 100);
    const lockGone = Date.now() - killedAt;
    t.diagnostic(noteTiming("kill -9 switchman → child gone", `${childGone} ms`));
    t.diagnostic(noteTiming(`kill -9 switchman → lock free (session ${SESSION_TIMEOUT_S} s)`, `${lockGone} ms`));
    assert.ok(childGone < 1000);
    const again = await runSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 0)], { host: HOST });
    assert.equal(again.code, 0);
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 2);
  });

  it("measures switchman's start-to-exec overhead", async (t: TestContext) => {
    const { config, record } = await setup({ g: HOST });
    const overhead: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = Date.now();
      const r = await runSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 0)], { host: HOST });
      assert.equal(r.code, 0);
      const start = readRecord(record).filter((e) => e.kind === "start").at(-1);
      assert.ok(start);
      overhead.push(start.at - before);
    }
    overhead.sort((a, b) => a - b);
    const median = overhead[Math.floor(overhead.length / 2)] ?? NaN;
    t.diagnostic(noteTiming("start-to-exec (spawn of switchman → first line of the job; includes node start-up, ZooKeeper session, group read, lock create)", `median ${median.toFixed(0)} ms, min ${overhead[0]?.toFixed(0)} ms, max ${overhead.at(-1)?.toFixed(0)} ms`));
    assert.ok(median < 5000);
  });
});
