// Leases against a real standalone ZooKeeper (issue 16): App::switchman's layout, at most TOTAL
// holders, FIFO, no polling while waiting (the requests a waiter sends, from the server's own
// `cons`), --wait giving up (exit 69 and the skip record), a killed holder's lease gone within
// a session timeout, TOTALs that disagree, and the lease lost while CMD runs.
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fourLetterWord, startStandalone, sleep, type TestZk, type ZkCluster, useZooKeeper } from "../../../helpers/zookeeper.js";
import { noteTiming, startSwitchman, tempDir, waitFor, writeConfig, type SwitchmanProcess } from "../../../helpers/switchman.js";
import { concurrency, DeathWatch, fifoViolations, journalJob, lastClientXids, queueOrder, readJournal, starts } from "./journal.js";

const HOST = "box1.example.org";
const SESSION_S = 7;

describe("switchman leases on ZooKeeper", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  let seq = 0;

  useZooKeeper(startStandalone, (cluster, c) => {
    zk = cluster;
    client = c;
  });
  after(() => tmp.cleanup());

  async function setup(extra: Record<string, unknown> = {}): Promise<{ prefix: string; config: string; journal: string; logfile: string }> {
    seq++;
    const prefix = `/leases/p${seq}`;
    await client.setPrefix(prefix, { groups: { g: HOST } });
    const logfile = join(tmp.path, `log${seq}`);
    const config = writeConfig(tmp.path, `c${seq}`, {
      zkhosts: zk.connectString,
      prefix,
      session_timeout: SESSION_S,
      termination_timeout: 1,
      connect_timeout: 5,
      logfile,
      loglevel: "debug",
      ...extra,
    });
    return { prefix, config, journal: join(tmp.path, `journal${seq}`), logfile };
  }

  const start = (config: string, name: string, lease: string, job: string[], more: string[] = []): SwitchmanProcess =>
    startSwitchman(["-c", config, "-g", "g", "--lockname", name, "--lease", lease, ...more, "--", ...job], { host: HOST });

  it("App::switchman's layout: queue entry <lockname>-<seq>, lease <count>_<total>_<seq> with \"<fqdn> <pid>\", all gone at exit", async () => {
    const { prefix, config, journal } = await setup();
    const run = start(config, "layout-job", "db=2:5", journalJob(journal, 1.5));
    await waitFor("the job", () => starts(readJournal(journal)).length === 1);
    const leases = await client.children(`${prefix}/semaphores/db/leases`);
    assert.equal(leases.length, 1);
    assert.match(leases[0] ?? "", /^2_5_\d{10}$/);
    const node = await client.get(`${prefix}/semaphores/db/leases/${leases[0]}`);
    assert.equal(node?.data, `${HOST} ${run.pid}`);
    assert.notEqual(node?.ownerHex, "0000000000000000", "ephemeral");
    assert.deepEqual(await client.children(`${prefix}/queues/db`), [], "the queue entry is left once the lease is held");
    assert.deepEqual(await client.children(`${prefix}/semaphores/db/lock`), [], "the semaphore's lock is let go");
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await client.children(`${prefix}/semaphores/db/leases`), []);
    assert.equal(await client.exists(`${prefix}/locks/layout-job`), null);
  });

  it("TOTAL 3, 9 jobs at once: never more than 3 running, all 9 ran, leases taken in queue order (FIFO)", async (t: TestContext) => {
    const { prefix, config, journal, logfile } = await setup();
    const deaths = new DeathWatch(journal);
    const runs = Array.from({ length: 9 }, (_, i) => start(config, `job${i}`, "db=1:3", journalJob(journal, 1)));
    const results = await Promise.all(runs.map((r) => r.done));
    const events = deaths.stop();
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const { max, over } = concurrency(events, 3);
    assert.deepEqual(over, []);
    assert.equal(max, 3);
    assert.equal(starts(events).length, 9);
    const order = queueOrder(readFileSync(logfile, "utf8"));
    assert.equal(order.filter((o) => o.leased !== undefined).length, 9);
    assert.deepEqual(fifoViolations(order), []);
    assert.deepEqual(await client.children(`${prefix}/semaphores/db/leases`), []);
    t.diagnostic(noteTiming("leases 9 jobs TOTAL 3", `max ${max} running, ${starts(events).length} runs, FIFO kept`));
  });

  it("a waiter sends no request while its predecessor stays (counted by the server's cons)", async (t: TestContext) => {
    const { prefix, config, journal } = await setup();
    const holder = start(config, "holder", "db=1:1", journalJob(journal, 7));
    await waitFor("the holder's job", () => starts(readJournal(journal)).length === 1);
    const waiter = start(config, "waiter", "db=1:1", journalJob(journal, 0.2));
    const entry = await waitFor("the waiter's queue entry", async () => (await client.children(`${prefix}/queues/db`))[0]);
    const owner = (await client.get(`${prefix}/queues/db/${entry}`))?.ownerHex;
    assert.ok(owner);
    await sleep(800); // its getChildren and exists of the predecessor are sent by now
    const before = lastClientXids(await fourLetterWord(zk.servers[0]?.clientPort ?? 0, "cons")).get(owner);
    await sleep(4000);
    const later = lastClientXids(await fourLetterWord(zk.servers[0]?.clientPort ?? 0, "cons")).get(owner);
    assert.ok(before !== undefined && later !== undefined, "the waiter's connection is listed");
    t.diagnostic(noteTiming("lease waiter requests in 4 s", `${later - before} (xid ${before} -> ${later})`));
    assert.equal(later - before, 0, "no request while waiting (a 1 s poll would send 4 or more)");
    assert.equal((await holder.done).code, 0);
    assert.equal((await waiter.done).code, 0);
    assert.equal(starts(readJournal(journal)).length, 2);
  });

  it("--wait: a run that cannot get its lease in time exits 69 with a warning, records the skip wait-timeout, and leaves nothing behind", async () => {
    const stateDir = join(tmp.path, `state${seq + 1}`);
    const { prefix, config, journal } = await setup({ state_dir: stateDir });
    const holder = start(config, "long", "db=1:1", journalJob(journal, 5));
    await waitFor("the holder's job", () => starts(readJournal(journal)).length === 1);
    const begin = performance.now();
    const waiter = await start(config, "impatient", "db=1:1", journalJob(journal, 0.1), ["--wait", "1s"]).done;
    const took = performance.now() - begin;
    assert.equal(waiter.code, 69, waiter.stderr);
    assert.match(waiter.stderr, /wait-timeout/);
    assert.ok(took < 4000, `gave up after ${took} ms`);
    assert.equal(starts(readJournal(journal)).length, 1, "the impatient job never started");
    assert.deepEqual(await client.children(`${prefix}/queues/db`), []);
    assert.equal(await client.exists(`${prefix}/locks/impatient`), null);
    const records = join(stateDir, String(process.getuid?.() ?? 0));
    const journalFile = existsSync(join(records, "journal.jsonl")) ? readFileSync(join(records, "journal.jsonl"), "utf8") : "";
    assert.match(journalFile, /"event":"skip".*"reason":"wait-timeout"/);
    assert.equal((await holder.done).code, 0);
  });

  it("kill -9 of a holder: its lease is gone within one session timeout, and the next waiter runs then", async (t: TestContext) => {
    const { prefix, config, journal } = await setup();
    const holder = start(config, "victim", "db=1:1", journalJob(journal, 30));
    await waitFor("the holder's job", () => starts(readJournal(journal)).length === 1);
    const waiter = start(config, "next", "db=1:1", journalJob(journal, 0.2));
    await waitFor("the waiter's queue entry", async () => (await client.children(`${prefix}/queues/db`)).length === 1);
    const killedAt = performance.now();
    holder.kill("SIGKILL");
    const dir = `${prefix}/semaphores/db/leases`;
    const victim = `${HOST} ${holder.pid}`;
    await waitFor(
      "the victim's lease to go",
      async () => {
        for (const name of await client.children(dir)) if ((await client.get(`${dir}/${name}`))?.data === victim) return false;
        return true;
      },
      (SESSION_S + 3) * 1000,
      50,
    );
    const freed = performance.now() - killedAt;
    await waitFor("the waiter's job", () => starts(readJournal(journal)).length === 2, 5000);
    const ran = performance.now() - killedAt;
    t.diagnostic(noteTiming("lease freed after kill -9 (session 7 s)", `${(freed / 1000).toFixed(2)} s; next job started after ${(ran / 1000).toFixed(2)} s`));
    assert.ok(freed <= (SESSION_S + 1) * 1000, `lease left ${freed} ms after its holder died`);
    assert.equal((await waiter.done).code, 0);
  });

  it("TOTALs that disagree: the smallest among the holders and the newcomer applies, nobody crashes", async () => {
    const { prefix, config, journal } = await setup();
    const deaths = new DeathWatch(journal);
    const a = start(config, "a", "db=1:2", journalJob(journal, 2.5));
    await waitFor("a", () => starts(readJournal(journal)).length === 1);
    const b = start(config, "b", "db=1:1", journalJob(journal, 0.5)); // its own TOTAL 1: must wait for a
    await sleep(1200);
    assert.equal(starts(readJournal(journal)).length, 1, "b (TOTAL 1) waits while a holds 1");
    const results = await Promise.all([a.done, b.done]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const c = start(config, "c", "db=1:2", journalJob(journal, 2.5));
    await waitFor("c", () => starts(readJournal(journal)).length === 3);
    const d = start(config, "d", "db=1:10", journalJob(journal, 2)); // TOTAL 10, but c says 2: fits (1 + 1 <= 2)
    await waitFor("d", () => starts(readJournal(journal)).length === 4);
    const e = start(config, "e", "db=1:10", journalJob(journal, 0.5), ["--wait", "1s"]); // 1 + 1 + 1 > 2: waits, gives up
    const [rc, rd, re] = await Promise.all([c.done, d.done, e.done]);
    assert.equal(rc.code, 0);
    assert.equal(rd.code, 0, rd.stderr);
    assert.equal(re.code, 69, re.stderr);
    const events = deaths.stop();
    assert.equal(starts(events).length, 4);
    assert.deepEqual(concurrency(events, 2).over, []);
    assert.deepEqual(await client.children(`${prefix}/semaphores/db/leases`), []);
  });

  it("a lease node deleted while CMD runs stops CMD (exit 70, lease-lost)", async () => {
    const { prefix, config, journal } = await setup();
    const run = start(config, "deleted", "db=1:3", journalJob(journal, 20));
    await waitFor("the job", () => starts(readJournal(journal)).length === 1);
    const [lease] = await client.children(`${prefix}/semaphores/db/leases`);
    await client.remove(`${prefix}/semaphores/db/leases/${lease}`);
    const result = await run.done;
    assert.equal(result.code, 70, result.stderr);
    assert.match(result.stderr, /lease-lost/);
    assert.ok(readJournal(journal).some((e) => e.kind === "term"));
  });

  it("two resources, taken in one order: two jobs that both need db and net never deadlock", async () => {
    const { config, journal } = await setup();
    const deaths = new DeathWatch(journal);
    const runs = Array.from({ length: 4 }, (_, i) =>
      startSwitchman(["-c", config, "-g", "g", "--lockname", `two${i}`, "--lease", i % 2 ? "net=1:1" : "db=1:1", "--lease", i % 2 ? "db=1:1" : "net=1:1", "--wait", "20s", "--", ...journalJob(journal, 0.5)], { host: HOST }),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const events = deaths.stop();
    assert.equal(starts(events).length, 4);
    assert.deepEqual(concurrency(events, 1).over, []);
  });

  it("--no-lock with a lease: no lock node, the lease alone keeps two runs apart", async () => {
    const { prefix, config, journal } = await setup();
    const deaths = new DeathWatch(journal);
    const runs = [0, 1].map(() => startSwitchman(["-c", config, "-g", "g", "--no-lock", "--lease", "solo=1:1", "--", ...journalJob(journal, 1)], { host: HOST }));
    await waitFor("a job", () => starts(readJournal(journal)).length === 1);
    assert.deepEqual(await client.children(`${prefix}/locks`), [], "no lock taken");
    const [queued] = await client.children(`${prefix}/queues/solo`);
    assert.match(queued ?? "", /^sh-\d{10}$/, "queued under CMD's base name");
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const events = deaths.stop();
    assert.equal(starts(events).length, 2);
    assert.deepEqual(concurrency(events, 1).over, []);
  });

  it("a bad lease on this host is exit 2 naming it; nothing is created", async () => {
    const { prefix, config, journal } = await setup();
    const result = await start(config, "bad", "db=CPU*0+1:MEMMB-MEMMB", journalJob(journal, 0.1)).done;
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--lease "db=CPU\*0\+1:MEMMB-MEMMB"/);
    assert.equal(await client.exists(`${prefix}/queues`), null);
  });
});
