// switchman against a real 3-node ZooKeeper ensemble: a frozen member (issue 4 scenario 7 as
// it happens in production: the rest of the ensemble expires the session and hands the lock
// on) and the leader killed while a job runs (scenario 8). Never two holders.
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import { join } from "node:path";
import { KILL_LEAD_S, SAFETY_MARGIN_S } from "../../../../src/switchman/budget.js";
import { startEnsemble, TestZk, sleep, type ZkCluster, type ZkServer, useZooKeeper } from "../../../helpers/zookeeper.js";
import {
  alive,
  intervals,
  jobCommand,
  noteTiming,
  overlaps,
  jobStarted,
  readRecord,
  startSwitchman,
  tempDir,
  writeConfig,
  type SwitchmanResult,
} from "../../../helpers/switchman.js";

const HOST = "box1.example.org";

describe("switchman on a 3-node ZooKeeper ensemble", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  let seq = 0;

  async function setup(zkhosts: string, timing: { session: number; termination: number }) {
    seq++;
    const prefix = `/ensemble/p${seq}`;
    await client.setPrefix(prefix, { groups: { g: HOST } });
    const config = (name: string, hosts: string): string =>
      writeConfig(tmp.path, `${name}${seq}`, {
        zkhosts: hosts,
        prefix,
        session_timeout: timing.session,
        termination_timeout: timing.termination,
        connect_timeout: 5,
      });
    return { prefix, config: config("a", zkhosts), configFor: config, record: join(tmp.path, `record${seq}`) };
  }


  useZooKeeper(() => startEnsemble(3), (cluster, c) => {
    zk = cluster;
    client = c;
  });

  after(() => {
    tmp.cleanup();
  });

  it("7: the member switchman talks to is frozen → child dead before the ensemble expires the session; the next holder starts only after", async (t: TestContext) => {
    const leader = await zk.leader();
    const follower = zk.servers.find((s) => s !== leader) as ZkServer;
    const others = zk.servers.filter((s) => s !== follower).map((s) => s.address).join(",");
    const session = 7;
    const termination = 1;
    const { config, configFor, record } = await setup(follower.address, { session, termination });
    const bConfig = configFor("b", others);

    const first = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)], { host: HOST });
    const firstJob = await jobStarted(record, first);
    await sleep(1200);
    const frozenAt = Date.now();
    follower.freeze();
    const results: SwitchmanResult[] = [];
    let firstResult: SwitchmanResult | undefined;
    try {
      // Other hosts keep trying through the healthy members, as cron would, until one runs.
      void first.done.then((r) => (firstResult = r));
      while (Date.now() - frozenAt < 25_000 && !readRecord(record).some((e) => e.kind === "start" && e.pid !== firstJob.pid)) {
        results.push(await startSwitchman(["-c", bConfig, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 1)], { host: HOST }).done);
        await sleep(200);
      }
    } finally {
      follower.thaw();
    }
    const firstDone = firstResult ?? (await first.done);
    assert.equal(firstDone.code, 70, firstDone.stderr);
    const events = readRecord(record);
    const firstTerm = events.find((e) => e.kind === "term" && e.pid === firstJob.pid);
    assert.ok(firstTerm, "the first child must have been stopped");
    assert.equal(alive(firstJob.pid), false);
    const next = events.find((e) => e.kind === "start" && e.pid !== firstJob.pid);
    assert.ok(next, `another host must get the lock once the session expired; exits: ${results.map((r) => r.code).join(",")}`);
    assert.ok(next.at > firstTerm.at, "never two holders");
    assert.ok(firstTerm.at - frozenAt + termination * 1000 < session * 1000, "child dead before the session could expire");
    assert.deepEqual(overlaps(intervals(events, Date.now())), []);
    assert.deepEqual(
      results.filter((r) => r.code !== 0),
      [],
      "the other starters skip (lock held) or run, nothing else",
    );
    t.diagnostic(noteTiming("ensemble, frozen member: freeze → SIGTERM in child", `${(firstTerm.at - frozenAt).toFixed(0)} ms`));
    t.diagnostic(noteTiming("ensemble, frozen member: freeze → next holder starts", `${(next.at - frozenAt).toFixed(0)} ms (session ${session} s)`));
    await follower.waitServing();
  });

  it("8: leader killed while a job runs → the job rides out the failover within its budget, or is stopped cleanly; never two holders", async (t: TestContext) => {
    const session = 10;
    const termination = 1;
    const { config, record } = await setup(zk.connectString, { session, termination });
    const first = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 10)], { host: HOST });
    const firstJob = await jobStarted(record, first);
    let firstResult: SwitchmanResult | undefined;
    void first.done.then((r) => (firstResult = r));
    await sleep(1000);
    const leader = await zk.leader();
    const killedAt = Date.now();
    await leader.kill();
    // Competing starters all along the failover.
    const others: SwitchmanResult[] = [];
    while (firstResult === undefined) {
      others.push(await startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 1)], { host: HOST }).done);
      await sleep(300);
    }
    leader.start();
    const events = readRecord(record);
    assert.deepEqual(overlaps(intervals(events, Date.now())), [], "never two holders");
    assert.ok(firstResult.code === 0 || firstResult.code === 70, `first: exit ${firstResult.code} ${firstResult.stderr}`);
    if (firstResult.code === 0) {
      assert.ok(events.some((e) => e.kind === "end" && e.pid === firstJob.pid), "rode out: the job ended normally");
    } else {
      assert.ok(events.some((e) => e.kind === "term" && e.pid === firstJob.pid), "stopped cleanly: SIGTERM");
    }
    assert.deepEqual(
      others.map((r) => r.code).filter((c) => c !== 0 && c !== 75),
      [],
      "competitors skip, run after, or could not reach ZooKeeper",
    );
    t.diagnostic(
      noteTiming(
        `ensemble, leader killed (session ${session} s, budget ${session - SAFETY_MARGIN_S - termination - KILL_LEAD_S} s)`,
        firstResult.code === 0
          ? `the job rode out the failover and finished (${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill); ${others.length} competitors, ${events.filter((e) => e.kind === "start" && e.pid !== firstJob.pid).length} of them ran (after it)`
          : `the job was stopped cleanly (exit 70)`,
      ),
    );
    await zk.waitServing();
  });

  it("8: leader killed and the budget does not allow a failover (switchman knows only the leader) → stopped cleanly before the next holder", async (t: TestContext) => {
    const session = 7;
    const termination = 1;
    const leader = await zk.leader();
    const others = zk.servers.filter((s) => s !== leader).map((s) => s.address).join(",");
    const { config, configFor, record } = await setup(leader.address, { session, termination });
    const bConfig = configFor("b", others);
    const first = startSwitchman(["-c", config, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)], { host: HOST });
    const firstJob = await jobStarted(record, first);
    let firstResult: SwitchmanResult | undefined;
    void first.done.then((r) => (firstResult = r));
    await sleep(1200);
    const killedAt = Date.now();
    await leader.kill();
    const results: SwitchmanResult[] = [];
    try {
      while (Date.now() - killedAt < 25_000 && !readRecord(record).some((e) => e.kind === "start" && e.pid !== firstJob.pid)) {
        results.push(await startSwitchman(["-c", bConfig, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 1)], { host: HOST }).done);
        await sleep(200);
      }
    } finally {
      leader.start();
    }
    const firstDone = firstResult ?? (await first.done);
    assert.equal(firstDone.code, 70, firstDone.stderr);
    const events = readRecord(record);
    const firstTerm = events.find((e) => e.kind === "term" && e.pid === firstJob.pid);
    assert.ok(firstTerm, "stopped cleanly: SIGTERM");
    const next = events.find((e) => e.kind === "start" && e.pid !== firstJob.pid);
    assert.ok(next, `the rest of the ensemble hands the lock on; exits: ${results.map((r) => r.code).join(",")}`);
    assert.ok(next.at > firstTerm.at, "never two holders");
    assert.deepEqual(overlaps(intervals(events, Date.now())), []);
    t.diagnostic(noteTiming("ensemble, leader killed, no failover possible: kill → SIGTERM in child", `${(firstTerm.at - killedAt).toFixed(0)} ms`));
    t.diagnostic(noteTiming("ensemble, leader killed, no failover possible: kill → next holder starts", `${(next.at - killedAt).toFixed(0)} ms`));
    await zk.waitServing();
  });
});
