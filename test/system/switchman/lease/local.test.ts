// Leases in local mode (issue 16): kernel flocks in the job user's own lock directory. At most
// TOTAL jobs at once, FIFO, a waiter that burns no CPU (it blocks in flock(2)), --wait giving up
// with exit 69, and a holder's kill -9 freeing its lease only once its CMD is dead.
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { noteTiming, requireTools, sandbox, startSwitchman, waitFor, type SwitchmanProcess } from "../../../helpers/switchman.js";
import { concurrency, DeathWatch, fifoViolations, journalJob, queueOrder, readJournal, starts } from "./journal.js";

const HOST = "box1.example.com";

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

describe("switchman leases in local mode", () => {
  requireTools();
  const box = sandbox();
  box.writeConfig({ groups: { g: HOST }, termination_timeout: 1 });
  after(() => box.cleanup());
  let n = 0;
  const journal = (): string => join(box.dir, `journal${++n}`);
  const start = (name: string, lease: string, job: string[], more: string[] = []): SwitchmanProcess =>
    startSwitchman(["-c", box.config, "-g", "g", "--lockname", name, "--lease", lease, ...more, "--", ...job], { host: HOST });

  it("TOTAL 3, 9 jobs at once: never more than 3, all ran, FIFO; files in the user's own directory, none left", async (t: TestContext) => {
    const j = journal();
    const deaths = new DeathWatch(j);
    const runs = Array.from({ length: 9 }, (_, i) => start(`local${i}`, "db=1:3", journalJob(j, 0.8)));
    const results = await Promise.all(runs.map((r) => r.done));
    const events = deaths.stop();
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const { max, over } = concurrency(events, 3);
    assert.deepEqual(over, []);
    assert.equal(max, 3);
    assert.equal(starts(events).length, 9);
    const order = queueOrder(box.log());
    assert.equal(order.length, 9);
    assert.deepEqual(fifoViolations(order), []);
    const dir = join(box.lockdir, String(process.getuid?.() ?? 0), "lease:db");
    assert.ok(existsSync(dir));
    assert.deepEqual(readdirSync(dir).filter((f) => f !== "mutex"), [], "tickets and holder files are removed");
    t.diagnostic(noteTiming("local leases 9 jobs TOTAL 3", `max ${max} running, FIFO kept`));
  });

  it("a waiter blocks in the kernel: no CPU while its predecessor stays", async (t: TestContext) => {
    const j = journal();
    const holder = start("lholder", "net=1:1", journalJob(j, 5));
    await waitFor("the holder", () => starts(readJournal(j)).length === 1);
    const waiter = start("lwaiter", "net=1:1", journalJob(j, 0.1));
    await waitFor("the waiter to queue", () => /queued for net/.test(box.log()) && box.log().includes(`[${waiter.pid}]`));
    await new Promise((r) => setTimeout(r, 500));
    const before = cpuTicks(waiter.pid ?? 0);
    await new Promise((r) => setTimeout(r, 3000));
    const later = cpuTicks(waiter.pid ?? 0);
    t.diagnostic(noteTiming("local lease waiter CPU in 3 s", `${later - before} ticks`));
    assert.ok(later - before <= 2, `the waiter used ${later - before} ticks while waiting`);
    assert.equal((await holder.done).code, 0);
    assert.equal((await waiter.done).code, 0);
  });

  it("--wait: gives up with exit 69 and a warning; nothing ran", async () => {
    const j = journal();
    const holder = start("lslow", "cpu=2:2", journalJob(j, 3));
    await waitFor("the holder", () => starts(readJournal(j)).length === 1);
    const begin = performance.now();
    const late = await start("llate", "cpu=1:2", journalJob(j, 0.1), ["--wait", "1s"]).done;
    assert.equal(late.code, 69, late.stderr);
    assert.match(late.stderr, /wait-timeout/);
    assert.ok(performance.now() - begin < 3000);
    assert.equal(starts(readJournal(j)).length, 1);
    assert.equal((await holder.done).code, 0);
  });

  it("kill -9 of a holder: the next job starts only after the holder's CMD is dead", async (t: TestContext) => {
    const j = journal();
    const deaths = new DeathWatch(j);
    const holder = start("lvictim", "io=1:1", journalJob(j, 30));
    await waitFor("the holder", () => starts(readJournal(j)).length === 1);
    const next = start("lnext", "io=1:1", journalJob(j, 0.2));
    await waitFor("the waiter to queue", () => box.log().includes(`[${next.pid}]`) && /queued for io/.test(box.log()));
    const killed = performance.now();
    holder.kill("SIGKILL");
    await waitFor("the next job", () => starts(readJournal(j)).length === 2, 10_000);
    const handOver = performance.now() - killed;
    assert.equal((await next.done).code, 0);
    const events = deaths.stop();
    assert.deepEqual(concurrency(events, 1).over, []);
    t.diagnostic(noteTiming("local lease hand-over after kill -9", `${handOver.toFixed(0)} ms`));
  });
});

describe("switchman --concurrency replace in local mode", () => {
  requireTools();
  const box = sandbox();
  box.writeConfig({ groups: { g: HOST }, termination_timeout: 1 });
  after(() => box.cleanup());
  let n = 0;
  const journal = (): string => join(box.dir, `rjournal${++n}`);
  const start = (job: string[], more: string[] = ["--concurrency", "replace"]): SwitchmanProcess =>
    startSwitchman(["-c", box.config, "-g", "g", "--lockname", "nightly", ...more, "--", ...job], { host: HOST });

  for (const ignoreTerm of [false, true]) {
    it(`the holder's CMD ${ignoreTerm ? "ignores SIGTERM" : "obeys SIGTERM"}: the new run starts once it is dead, within termination_timeout + 2 s`, async (t: TestContext) => {
      const j = journal();
      const deaths = new DeathWatch(j);
      const old = start(journalJob(j, 60, { ignoreTerm }));
      await waitFor("the old job", () => starts(readJournal(j)).length === 1);
      const asked = performance.now();
      const fresh = start(journalJob(j, 0.3));
      await waitFor("the new job", () => starts(readJournal(j)).length === 2, 10_000);
      const handOver = performance.now() - asked;
      const oldResult = await old.done;
      assert.equal((await fresh.done).code, 0);
      assert.equal(oldResult.code, 70, `the old run was stopped as replaced (as in ZooKeeper mode): ${oldResult.stderr}`);
      assert.match(oldResult.stderr, /replaced: a newer run \(switchman \d+\) asks to replace this one/);
      assert.deepEqual(readdirSync(join(box.lockdir, String(process.getuid?.()))).filter((f) => f.startsWith("replace:")), [], "the request is gone");
      const events = deaths.stop();
      assert.deepEqual(concurrency(events, 1).over, [], "never two at once");
      t.diagnostic(noteTiming(`local replace hand-over (${ignoreTerm ? "SIGTERM ignored" : "SIGTERM obeyed"}, termination_timeout 1 s)`, `${(handOver / 1000).toFixed(2)} s, old run exit ${oldResult.code}`));
      assert.ok(handOver <= 4000, `hand-over ${handOver} ms`);
    });
  }

  it("a SIGTERM that no newer run asked for (or a request left for another pid) is forwarded to CMD as any signal: exit 143, not 70", async () => {
    const j = journal();
    const old = start(journalJob(j, 60));
    await waitFor("the job", () => starts(readJournal(j)).length === 1);
    // A request a dead asker left for an earlier holder (another pid): not this holder's.
    const stale = join(box.lockdir, String(process.getuid?.()), "replace:nightly");
    writeFileSync(stale, `${process.pid} 1\n`);
    old.kill("SIGTERM");
    const result = await old.done;
    rmSync(stale);
    assert.equal(result.code, 143, result.stderr);
    assert.doesNotMatch(result.stderr, /replaced/);
  });

  it("a holder without the replace policy is never signalled; --wait gives up with 69", async () => {
    const j = journal();
    const old = start(journalJob(j, 3), []);
    await waitFor("the old job", () => starts(readJournal(j)).length === 1);
    const fresh = await start(journalJob(j, 0.1), ["--concurrency", "replace", "--wait", "1s"]).done;
    assert.equal(fresh.code, 69, fresh.stderr);
    assert.equal((await old.done).code, 0);
    assert.equal(starts(readJournal(j)).length, 1);
  });
});
