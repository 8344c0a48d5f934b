// switchman against a real 3-node ensemble under faults the test makes itself with loopback TCP
// proxies (test/helpers/tcp-proxy.ts), one per member switchman talks to (issue 11):
//
// - the overlap: members that grant different session limits (server 1: maxSessionTimeout 6 s,
//   the others 60 s), switchman asks 20 s with termination_timeout 5, and the answers of the
//   low-limit member never arrive. The command must be dead before the server frees the lock;
//   the margin (command dead → lock node gone) is measured and logged;
// - the heartbeat never writes into a lock node that another session created meanwhile;
// - a signal while connecting ends the start-up at once;
// - a command that ignores SIGTERM gets the whole termination_timeout, and FINISH says it was
//   SIGKILLed;
// - at the smallest session the config accepts, a silent member is failed over, not fatal.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it, type TestContext } from "node:test";
import zookeeper from "node-zookeeper-client";
import {
  alive,
  intervals,
  jobCommand,
  jobStarted,
  noteTiming,
  overlaps,
  readRecord,
  startSwitchman,
  tempDir,
  writeConfig,
  type SwitchmanProcess,
  type SwitchmanResult,
} from "../../../helpers/switchman.js";
import { DETECTION_BUDGET_S, SAFETY_MARGIN_S } from "../../../../src/switchman/budget.js";
import { TcpProxy } from "../../../helpers/tcp-proxy.js";
import { sleep, startEnsemble, useZooKeeper, type TestZk, type ZkCluster, type ZkServer } from "../../../helpers/zookeeper.js";

const HOST = "box1.example.org";
/** Server 1 grants at most this much (ms); servers 2 and 3 up to 60 s. */
const LOW_LIMIT_MS = 6000;

describe("switchman on a 3-node ensemble under proxy-made faults", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  const proxies: TcpProxy[] = [];
  let seq = 0;

  useZooKeeper(
    () => startEnsemble(3, { members: { 1: { maxSessionTimeout: LOW_LIMIT_MS } } }),
    (cluster, c) => {
      zk = cluster;
      client = c;
    },
  );

  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    tmp.cleanup();
  });

  const server = (id: number): ZkServer => zk.servers.find((s) => s.id === id) as ZkServer;

  async function proxyTo(member: ZkServer): Promise<TcpProxy> {
    const proxy = await TcpProxy.start(member.address);
    proxies.push(proxy);
    return proxy;
  }

  /** A prefix with group g = HOST, and a config writer for it. */
  async function setup(timing: { session: number; termination: number; connect?: number }) {
    seq++;
    const prefix = `/faults/p${seq}`;
    await client.setPrefix(prefix, { groups: { g: HOST } });
    const logfile = join(tmp.path, `switchman${seq}.log`);
    const config = (name: string, zkhosts: string, extra: Record<string, unknown> = {}): string =>
      writeConfig(tmp.path, `${name}${seq}`, {
        zkhosts,
        prefix,
        session_timeout: timing.session,
        termination_timeout: timing.termination,
        connect_timeout: timing.connect ?? 5,
        ...extra,
      });
    return { prefix, lock: `${prefix}/locks/job`, logfile, config, record: join(tmp.path, `record${seq}`) };
  }

  it("overlap (issue 11): the low-limit member's answers never arrive → CMD dead before the lock is freed", async (t: TestContext) => {
    const session = 20;
    const termination = 5;
    const low = server(1);
    const high = server(2);
    const other = server(3);
    const pLow = await proxyTo(low);
    const pHigh = await proxyTo(high);
    const { lock, logfile, config, record } = await setup({ session, termination });
    const holderConfig = config("holder", `${pLow.address},${pHigh.address}`, { logfile, loglevel: "debug" });
    const competitorConfig = config("competitor", other.address);

    // Start on the high-limit member: the low one refuses connections until the job runs.
    pLow.setMode("refuse");
    const holder = startSwitchman(["-c", holderConfig, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 120)], { host: HOST });
    const job = await jobStarted(record, holder);
    const node = await client.get(lock);
    assert.ok(node, "the lock node exists");
    const holderSession = node.ownerHex;
    assert.equal(pHigh.open, 1, "switchman is connected through the high-limit member");
    // From now on the low-limit member receives everything but its answers never arrive.
    pLow.setMode("hold-down");
    await sleep(1500);

    const faultAt = Date.now();
    pHigh.setMode("hold"); // silent partition from the member switchman uses, sockets kept open
    let childDeadAt: number | undefined;
    let lockGoneAt: number | undefined;
    let holderResult: SwitchmanResult | undefined;
    void holder.done.then((r) => (holderResult = r));
    const competitors: SwitchmanResult[] = [];
    let competitorRan = false;
    const competing = (async () => {
      while (!competitorRan && Date.now() - faultAt < 40_000) {
        const run: SwitchmanProcess = startSwitchman(
          ["-c", competitorConfig, "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 1)],
          { host: HOST },
        );
        competitors.push(await run.done);
        competitorRan = readRecord(record).some((e) => e.kind === "start" && e.pid !== job.pid);
        await sleep(250);
      }
    })();
    try {
      // A few seconds later the low-limit member's path drops everything, both ways.
      const lowSilentAt = faultAt + 3000;
      while ((childDeadAt === undefined || lockGoneAt === undefined) && Date.now() - faultAt < 40_000) {
        if (pLow.mode !== "hold" && Date.now() >= lowSilentAt) pLow.setMode("hold");
        if (childDeadAt === undefined && !alive(job.pid)) childDeadAt = Date.now();
        if (lockGoneAt === undefined) {
          const now = await client.get(lock);
          if (now === null || now.ownerHex !== holderSession) lockGoneAt = Date.now();
        }
        await sleep(20);
      }
      await competing;
    } finally {
      pLow.setMode("forward");
      pHigh.setMode("forward");
    }
    const done = holderResult ?? (await holder.done);
    assert.ok(childDeadAt !== undefined, "the holder's command must have been stopped");
    assert.ok(lockGoneAt !== undefined, "the session must have expired");
    const margin = lockGoneAt - childDeadAt;
    const events = readRecord(record);
    const term = events.find((e) => e.kind === "term" && e.pid === job.pid);
    const next = events.find((e) => e.kind === "start" && e.pid !== job.pid);
    t.diagnostic(
      noteTiming(
        `overlap scenario (members 6 s / 60 s, session ${session} s, termination_timeout ${termination} s)`,
        `fault → SIGTERM ${term ? Math.round(term.at - faultAt) : "-"} ms, → CMD dead ${childDeadAt - faultAt} ms, ` +
          `→ lock node gone ${lockGoneAt - faultAt} ms, → competitor start ${next ? Math.round(next.at - faultAt) : "-"} ms; ` +
          `margin (CMD dead → lock gone) ${margin} ms; holder exit ${done.code}`,
      ),
    );
    assert.deepEqual(overlaps(intervals(events, Date.now())), [], "never two holders");
    assert.ok(margin > 0, `CMD died ${-margin} ms after the server freed the lock\n${done.stderr}`);
    assert.equal(done.code, 70, done.stderr);
  });

  it("1: the heartbeat never writes into a lock node another session created during a partition", async (t: TestContext) => {
    const pHigh = await proxyTo(server(2));
    const { lock, logfile, config, record } = await setup({ session: 10, termination: 1 });
    const holder = startSwitchman(
      ["-c", config("holder", pHigh.address, { logfile, loglevel: "debug" }), "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60)],
      { host: HOST },
    );
    const job = await jobStarted(record, holder);
    await sleep(1500);
    pHigh.setMode("hold"); // about a second: shorter than the heartbeat stall limit
    const cutAt = Date.now();
    await client.remove(lock);
    await client.createPath(lock, "intruder 1", zookeeper.CreateMode.EPHEMERAL);
    await sleep(Math.max(0, cutAt + 1200 - Date.now()));
    pHigh.setMode("forward");
    const healedAt = Date.now();
    const result = await holder.done;
    await sleep(500); // anything the holder still had in flight has arrived by now
    const node = await client.get(lock);
    assert.ok(node, "the other session's lock node must still exist");
    assert.equal(node.data, "intruder 1", `the holder wrote into another session's node\n${readLog(logfile)}`);
    assert.equal(node.stat.version, 0, "nobody may have written to the new node");
    assert.equal(node.ownerHex, client.sessionIdHex);
    assert.equal(result.code, 70, result.stderr);
    assert.match(result.stderr, /lock-lost/);
    assert.ok(readRecord(record).some((e) => e.kind === "term" && e.pid === job.pid), "the holder's command was stopped");
    t.diagnostic(noteTiming("partition, lock node re-created by another session, heal → holder exits", `${Date.now() - healedAt} ms after the heal`));
    await client.remove(lock);
  });

  it("2: a signal while connecting ends the start-up at once, with nothing run", async (t: TestContext) => {
    const down = await TcpProxy.start(server(2).address, "refuse");
    const silent = await TcpProxy.start(server(3).address, "hold");
    proxies.push(down, silent);
    const { prefix, config, record } = await setup({ session: 10, termination: 1, connect: 8 });
    const run = startSwitchman(["-c", config("c", `${down.address},${silent.address}`), "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 5)], {
      host: HOST,
    });
    await sleep(1000);
    assert.equal(run.result, undefined, "still connecting");
    const signalledAt = Date.now();
    run.kill("SIGTERM");
    const result = await run.done;
    const after = Date.now() - signalledAt;
    t.diagnostic(noteTiming("SIGTERM while connecting (connect_timeout 8 s) → exit", `${after} ms`));
    assert.equal(result.code, 143, result.stderr);
    assert.ok(after < 1000, `switchman exited ${after} ms after the signal (connect_timeout 8 s)`);
    assert.deepEqual(readRecord(record), [], "nothing ran");
    assert.deepEqual(await client.children(`${prefix}/locks`), [], "no lock node");
  });

  it("3: a command that ignores SIGTERM gets the whole termination_timeout; FINISH says killed=SIGKILL", async (t: TestContext) => {
    const termination = 1;
    const session = termination + DETECTION_BUDGET_S + SAFETY_MARGIN_S;
    const pHigh = await proxyTo(server(2));
    const { lock, logfile, config, record } = await setup({ session, termination });
    const holder = startSwitchman(
      ["-c", config("holder", pHigh.address, { logfile, loglevel: "debug" }), "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 60, { ignoreTerm: true })],
      { host: HOST },
    );
    const job = await jobStarted(record, holder);
    const holderSession = (await client.get(lock))?.ownerHex;
    await sleep(1200);
    const cutAt = Date.now();
    pHigh.setMode("hold"); // silent: only the deadline can stop the command
    let deadAt: number | undefined;
    let lockGoneAt: number | undefined;
    try {
      while ((deadAt === undefined || lockGoneAt === undefined) && Date.now() - cutAt < session * 1000 + 10_000) {
        if (deadAt === undefined && !alive(job.pid)) deadAt = Date.now();
        if (lockGoneAt === undefined) {
          const now = await client.get(lock);
          if (now === null || now.ownerHex !== holderSession) lockGoneAt = Date.now();
        }
        await sleep(10);
      }
    } finally {
      pHigh.setMode("forward");
    }
    const result = await holder.done;
    const ignored = readRecord(record).find((e) => e.kind === "ignored" && e.pid === job.pid);
    assert.ok(ignored, "the command received SIGTERM");
    assert.ok(deadAt !== undefined && lockGoneAt !== undefined);
    const grace = deadAt - ignored.at;
    t.diagnostic(
      noteTiming(
        `SIGTERM ignored, deadline-driven stop (session ${session} s, termination_timeout ${termination} s)`,
        `SIGTERM → dead ${grace.toFixed(0)} ms; cut → dead ${deadAt - cutAt} ms, → lock gone ${lockGoneAt - cutAt} ms (margin ${lockGoneAt - deadAt} ms)`,
      ),
    );
    const log = readLog(logfile);
    assert.ok(grace >= termination * 1000 - 30, `SIGKILL came ${grace.toFixed(0)} ms after SIGTERM (termination_timeout ${termination} s)\n${log}`);
    assert.ok(lockGoneAt > deadAt, "the command is dead before the lock is freed");
    assert.equal(result.code, 70, result.stderr);
    assert.doesNotMatch(result.stderr, /stopped or blocked/);
    assert.match(log, /\tFINISH lockname=job signal=SIGKILL status=137 .*killed=SIGKILL/);
  });

  it("4: at the smallest session the config accepts, a silent member is failed over and the job runs on", async (t: TestContext) => {
    const termination = 1;
    const session = termination + DETECTION_BUDGET_S + SAFETY_MARGIN_S;
    const members = [await proxyTo(server(2)), await proxyTo(server(3))];
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      const { logfile, config, record } = await setup({ session, termination });
      const holder = startSwitchman(
        ["-c", config("holder", members.map((p) => p.address).join(","), { logfile, loglevel: "debug" }), "-g", "g", "--lockname", "job", "--", ...jobCommand(record, 7)],
        { host: HOST },
      );
      const job = await jobStarted(record, holder);
      // Anywhere within a heartbeat interval, the worst case included (just after an answer).
      await sleep(1500 + Math.floor(Math.random() * 1000));
      const used = members.find((p) => p.open > 0);
      assert.ok(used, "switchman is connected through one of the proxies");
      const cutAt = Date.now();
      used.setMode("hold");
      const result = await holder.done;
      used.setMode("forward");
      used.reset();
      const log = readLog(logfile);
      const healed = /connection healed after ([0-9.]+) s/.exec(log);
      t.diagnostic(noteTiming(`failover at the minimum budget (session ${session} s, termination_timeout ${termination} s)`, `round ${round + 1}: exit ${result.code}, healed after ${healed?.[1] ?? "-"} s (cut at +${Math.round(cutAt - job.at)} ms into the job)`));
      assert.equal(result.code, 0, `the job must ride out a silent member\n${result.stderr}\n${log}`);
      assert.ok(readRecord(record).some((e) => e.kind === "end" && e.pid === job.pid), "the job ended on its own");
    }
  });
});

function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}
