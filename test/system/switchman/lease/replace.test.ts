// `--concurrency replace` against a real standalone ZooKeeper (issue 16): the new run asks the
// holder to stop and starts once the holder's CMD is dead, within termination_timeout + 2 s;
// never two at once, also when the holder's CMD ignores SIGTERM (SIGKILL after
// termination_timeout); of two runs asking at once, one takes over and the other skips.
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import { join } from "node:path";
import { startStandalone, type TestZk, type ZkCluster, useZooKeeper } from "../../../helpers/zookeeper.js";
import { noteTiming, startSwitchman, tempDir, waitFor, writeConfig, type SwitchmanProcess } from "../../../helpers/switchman.js";
import { concurrency, DeathWatch, journalJob, readJournal, starts } from "./journal.js";

const HOST = "box1.example.org";
const TERMINATION_S = 1;

describe("switchman --concurrency replace on ZooKeeper", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  let seq = 0;
  useZooKeeper(startStandalone, (cluster, c) => {
    zk = cluster;
    client = c;
  });
  after(() => tmp.cleanup());

  async function setup(): Promise<{ prefix: string; config: string; journal: string }> {
    seq++;
    const prefix = `/replace/p${seq}`;
    await client.setPrefix(prefix, { groups: { g: HOST } });
    const config = writeConfig(tmp.path, `c${seq}`, { zkhosts: zk.connectString, prefix, session_timeout: 7, termination_timeout: TERMINATION_S, connect_timeout: 5 });
    return { prefix, config, journal: join(tmp.path, `journal${seq}`) };
  }
  const start = (config: string, job: string[], more: string[] = []): SwitchmanProcess =>
    startSwitchman(["-c", config, "-g", "g", "--lockname", "nightly", "--concurrency", "replace", ...more, "--", ...job], { host: HOST });

  for (const ignoreTerm of [false, true]) {
    it(`the holder's CMD ${ignoreTerm ? "ignores SIGTERM (SIGKILLed after termination_timeout)" : "stops on SIGTERM"}: the new run starts after it is dead, never alongside`, async (t: TestContext) => {
      const { prefix, config, journal } = await setup();
      const deaths = new DeathWatch(journal);
      const old = start(config, journalJob(journal, 60, { ignoreTerm }));
      await waitFor("the old job", () => starts(readJournal(journal)).length === 1);
      const asked = performance.now();
      const askedAt = Date.now();
      const fresh = start(config, journalJob(journal, 0.5));
      await waitFor("the new job", () => starts(readJournal(journal)).length === 2, 15_000);
      const handOver = performance.now() - asked;
      const oldResult = await old.done;
      const freshResult = await fresh.done;
      const events = deaths.stop();
      assert.deepEqual(concurrency(events, 1).over, [], "never two at once");
      assert.equal(freshResult.code, 0, freshResult.stderr);
      assert.equal(oldResult.code, 70, oldResult.stderr);
      assert.match(oldResult.stderr, /replaced/);
      const [first, second] = starts(events);
      const oldEnd = events.find((e) => e.pid === first?.pid && (e.kind === "term" || e.kind === "dead" || e.kind === "end"));
      const gap = (second?.at ?? 0) - (oldEnd?.at ?? 0);
      t.diagnostic(
        noteTiming(
          `replace hand-over (${ignoreTerm ? "SIGTERM ignored" : "SIGTERM obeyed"}, termination_timeout ${TERMINATION_S} s)`,
          `new run spawned -> its CMD started ${(handOver / 1000).toFixed(2)} s; old CMD dead -> new CMD started ${(gap / 1000).toFixed(3)} s; old CMD's end ${((oldEnd?.at ?? 0) - askedAt) / 1000} s after the ask`,
        ),
      );
      assert.ok(gap >= 0, "the new CMD started after the old one was dead");
      assert.ok(handOver <= (TERMINATION_S + 2 + 1) * 1000, `hand-over ${handOver} ms (termination_timeout + 2 s, + 1 s for switchman's own start)`);
      assert.equal(await client.exists(`${prefix}/replace/nightly`), null, "the request is gone");
    });
  }

  it("two runs ask at once: one takes over; the other skips while that one asks, or replaces it in turn; never two at once", async () => {
    const { config, journal } = await setup();
    const deaths = new DeathWatch(journal);
    const old = start(config, journalJob(journal, 60));
    await waitFor("the old job", () => starts(readJournal(journal)).length === 1);
    const [a, b] = await Promise.all([start(config, journalJob(journal, 0.5)).done, start(config, journalJob(journal, 0.5)).done]);
    await old.done;
    const events = deaths.stop();
    const results = [a, b].filter((r) => r !== undefined).sort((x, y) => (x.code ?? -1) - (y.code ?? -1));
    const codes = results.map((r) => r.code);
    assert.ok(codes[0] === 0 && (codes[1] === 0 || codes[1] === 70), `exit codes ${codes.join(" ")}`);
    if (codes[1] === 0) {
      // One skipped while the other asked: the old run and the one that took over.
      assert.equal(starts(events).length, 2);
    } else {
      // The later one asked after the first had taken over, and replaced it in turn. The replaced
      // run's CMD may have been stopped before its first line (SIGTERM before `note start`), so
      // its start is in the journal or not: 2 or 3 starts, and the 70 says why.
      assert.match(results[1]?.stderr ?? "", /replaced/);
      assert.ok([2, 3].includes(starts(events).length), `${starts(events).length} starts`);
    }
    assert.deepEqual(concurrency(events, 1).over, []);
  });

  it("--wait bounds the wait for a holder that does not stop (no replace policy): exit 69", async () => {
    const { config, journal } = await setup();
    const old = startSwitchman(["-c", config, "-g", "g", "--lockname", "nightly", "--", ...journalJob(journal, 4)], { host: HOST });
    await waitFor("the old job", () => starts(readJournal(journal)).length === 1);
    const fresh = await start(config, journalJob(journal, 0.1), ["--wait", "1s"]).done;
    assert.equal(fresh.code, 69, fresh.stderr);
    assert.equal((await old.done).code, 0, "a holder without the replace policy is never stopped");
    assert.equal(starts(readJournal(journal)).length, 1);
  });
});
