// Bounded stress test of the invariant (SPEC 8.3): rounds of concurrent switchman starters on
// one lock against a 3-node ensemble, then rounds with random kill -STOP / kill -9 of servers.
// Every job appends its own start and end (or SIGTERM) with one clock; no two runs may overlap.
//
// The size by default: CRONMETA_STRESS_ROUNDS (default 20) rounds of
// CRONMETA_STRESS_STARTERS (default 30) starters, and CRONMETA_STRESS_FAULT_ROUNDS (default 6)
// fault rounds (about 2.5 minutes on 2 quiet cores; lower the rounds on a busy machine).
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import { join } from "node:path";
import { startEnsemble, TestZk, sleep, type ZkCluster, useZooKeeper } from "../../../helpers/zookeeper.js";
import { prng } from "../../../helpers/prng.js";
import {
  intervals,
  jobCommand,
  noteTiming,
  overlaps,
  readRecord,
  startSwitchman,
  tempDir,
  writeConfig,
  type SwitchmanResult,
} from "../../../helpers/switchman.js";

const HOST = "box1.example.org";
const ROUNDS = Number(process.env.CRONMETA_STRESS_ROUNDS ?? 20);
const STARTERS = Number(process.env.CRONMETA_STRESS_STARTERS ?? 30);
const FAULT_ROUNDS = Number(process.env.CRONMETA_STRESS_FAULT_ROUNDS ?? 6);

describe("switchman stress: never two holders", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  const seed = Number(process.env.CRONMETA_STRESS_SEED ?? Date.now() % 100_000);
  const random = prng(seed);

  useZooKeeper(() => startEnsemble(3), async (cluster, c) => {
    zk = cluster;
    client = c;
    await c.setPrefix("/stress", { groups: { g: HOST } });
  });

  after(() => {
    tmp.cleanup();
  });

  it(`${ROUNDS} rounds of ${STARTERS} concurrent starters on one lock: zero overlapping runs`, async (t: TestContext) => {
    const config = writeConfig(tmp.path, "contention", {
      zkhosts: zk.connectString,
      prefix: "/stress",
      session_timeout: 7,
      termination_timeout: 1,
      connect_timeout: 10,
    });
    const record = join(tmp.path, "contention-record");
    const codes = new Map<number | null, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(
        Array.from({ length: STARTERS }, () =>
          startSwitchman(["-c", config, "-g", "g", "--lockname", "contended", "--", ...jobCommand(record, 0.6)], { host: HOST }).done,
        ),
      );
      for (const r of results) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    }
    const events = readRecord(record);
    const runs = intervals(events, Date.now());
    t.diagnostic(
      noteTiming(
        `stress contention (${ROUNDS}×${STARTERS})`,
        `${runs.length} runs, exit codes ${JSON.stringify(Object.fromEntries(codes))}, overlaps ${overlaps(runs).length}`,
      ),
    );
    assert.deepEqual(overlaps(runs), []);
    assert.ok(runs.length >= ROUNDS, "at least one run per round");
    assert.deepEqual([...codes.keys()].filter((c) => c !== 0), [], "every starter ran or skipped");
    assert.equal(await client.exists("/stress/locks/contended"), null);
  });

  it(`${FAULT_ROUNDS} rounds with random kill -STOP / kill -9 of servers: zero overlapping runs`, async (t: TestContext) => {
    t.diagnostic(`seed ${seed} (CRONMETA_STRESS_SEED replays it)`);
    // Half the starters know the whole ensemble (and can ride out a fault by reconnecting), half
    // only one member (and must stop their job in time when that member freezes or dies).
    const configs = [zk.connectString, ...zk.servers.map((s) => s.address)].map((zkhosts, i) =>
      writeConfig(tmp.path, `faults${i}`, { zkhosts, prefix: "/stress", session_timeout: 7, termination_timeout: 1, connect_timeout: 3 }),
    );
    const pickConfig = (): string => (random() < 0.5 ? configs[0] : configs[1 + Math.floor(random() * 3)]) as string;
    const record = join(tmp.path, "faults-record");
    const all: SwitchmanResult[] = [];
    const faults: string[] = [];
    for (let round = 0; round < FAULT_ROUNDS; round++) {
      const victim = zk.servers[Math.floor(random() * zk.servers.length)];
      assert.ok(victim);
      const freeze = random() < 0.5;
      const faultAt = 500 + random() * 1500;
      const faultLength = freeze ? 1000 + random() * 7000 : 1000 + random() * 3000;
      faults.push(`${freeze ? "STOP" : "KILL"} server ${victim.id} at +${faultAt.toFixed(0)} ms for ${faultLength.toFixed(0)} ms`);
      const round0 = Date.now();
      const fault = (async () => {
        await sleep(faultAt);
        if (freeze) victim.freeze();
        else await victim.kill();
        await sleep(faultLength);
        if (freeze) victim.thaw();
        else victim.start();
      })();
      // Starters every 250 ms for ~8 s, jobs of 0.6-4 s (some longer than the 3.75 s budget, so a
      // fault can force a stop): runs hand the lock on while the fault hits.
      const pending: Promise<SwitchmanResult>[] = [];
      while (Date.now() - round0 < 8000) {
        pending.push(
          startSwitchman(["-c", pickConfig(), "-g", "g", "--lockname", "faulty", "--", ...jobCommand(record, 0.6 + random() * 3.4)], { host: HOST }).done,
        );
        await sleep(250);
      }
      all.push(...(await Promise.all(pending)));
      await fault;
      await zk.waitServing();
    }
    const codes = new Map<number | null, number>();
    for (const r of all) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    const runs = intervals(readRecord(record), Date.now());
    t.diagnostic(
      noteTiming(
        `stress faults (${FAULT_ROUNDS} rounds, seed ${seed})`,
        `${all.length} starters, ${runs.length} runs, exit codes ${JSON.stringify(Object.fromEntries(codes))}, overlaps ${overlaps(runs).length}; faults: ${faults.join("; ")}`,
      ),
    );
    assert.deepEqual(overlaps(runs), []);
    assert.deepEqual(
      [...codes.keys()].filter((c) => c !== 0 && c !== 70 && c !== 75),
      [],
      `exit codes are run/skip (0), stopped (70) or unreachable (75): ${all.filter((r) => ![0, 70, 75].includes(r.code ?? -1)).map((r) => r.stderr).join(" | ")}`,
    );
    assert.ok(runs.length >= FAULT_ROUNDS, "jobs ran despite the faults");
  });
});
