// What main() does when the coordinator reports a loss (SPEC 8.3): SIGTERM to CMD's group at
// once, SIGKILL termination_timeout later (at once when it is 0), warning on stderr and in the
// log, session closed, exit 70. Local locks cannot be lost, so the coordinator here loses on
// cue; the ZooKeeper scenarios (test/switchman/zk-*) cause real losses.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Coordinator, LossReport } from "../../../src/switchman/coordinator.js";
import { main } from "../../../src/switchman/main.js";
import { alive, readPids, requireTools, sandbox, waitFor, type Sandbox } from "../../helpers/switchman.js";

let box: Sandbox;
before(() => {
  requireTools();
  box = sandbox();
});
after(() => box.cleanup());

/** A coordinator that grants the lock and reports `loss` once `trigger` resolves. */
function losingCoordinator(trigger: Promise<void>, loss: LossReport) {
  const calls: string[] = [];
  const coordinator: Coordinator = {
    async acquire() {
      calls.push("acquire");
      return { run: true };
    },
    watch(onLost) {
      calls.push("watch");
      void trigger.then(() => onLost(loss));
    },
    async close() {
      calls.push("close");
    },
  };
  return { coordinator, calls };
}

async function runLosing(config: Record<string, unknown>, script: string, loss: LossReport) {
  box.writeConfig(config);
  const pidfile = join(box.dir, `pid-${Date.now()}`);
  let fire: () => void = () => {};
  const trigger = new Promise<void>((resolve) => (fire = resolve));
  const { coordinator, calls } = losingCoordinator(trigger, loss);
  const stderr: string[] = [];
  const exit = main(["--config", box.config, "--lockname", "lossy", "--", "sh", "-c", script, "job", pidfile], { SWITCHMAN_HOSTNAME: "box1.example.com", PATH: process.env.PATH }, { stdout: () => assert.fail("stdout"), stderr: (s) => stderr.push(s) }, { createCoordinator: () => coordinator });
  const [job] = await waitFor("the job", () => readPids(pidfile));
  const lostAt = Date.now();
  fire();
  const code = await exit;
  return { code, job: job as number, calls, stderr: stderr.join(""), elapsedS: (Date.now() - lostAt) / 1000 };
}

test("loss: SIGTERM to the group at once, exit 70, warning on stderr and in the log, session closed", async () => {
  const result = await runLosing({ termination_timeout: 5 }, 'trap "exit 0" TERM; echo $$ > "$1"; while :; do sleep 0.05; done', { reason: "lock-lost", detail: "lock node deleted" });
  assert.equal(result.code, 70);
  assert.ok(result.elapsedS < 3, `CMD stopped ${result.elapsedS} s after the loss`);
  assert.equal(alive(result.job), false);
  assert.deepEqual(result.calls, ["acquire", "watch", "close"]);
  assert.match(result.stderr, /switchman: warning: lock-lost: lock node deleted; stopping CMD/);
  assert.match(readFileSync(box.logfile, "utf8"), /\twarning\tlock-lost: lock node deleted; stopping CMD/);
});

test("loss with a CMD that ignores SIGTERM: SIGKILL after termination_timeout", async () => {
  const result = await runLosing({ termination_timeout: 1 }, `trap '' TERM; echo $$ > "$1"; exec sleep 100`, { reason: "group-changed", detail: "host removed" });
  assert.equal(result.code, 70);
  assert.ok(result.elapsedS >= 0.9 && result.elapsedS < 6, `killed ${result.elapsedS} s after the loss`);
  assert.equal(alive(result.job), false);
  assert.match(result.stderr, /SIGKILL/);
});

test("loss with termination_timeout 0: SIGKILL at once", async () => {
  const result = await runLosing({ termination_timeout: 0 }, `trap '' TERM; echo $$ > "$1"; exec sleep 100`, { reason: "session-unsafe", detail: "no heartbeat answer" });
  assert.equal(result.code, 70);
  assert.ok(result.elapsedS < 0.9, `killed ${result.elapsedS} s after the loss`);
  assert.equal(alive(result.job), false);
  assert.match(readFileSync(box.logfile, "utf8"), /FINISH lockname=lossy signal=SIGKILL status=137 .*killed=SIGKILL/);
});

test("a signal while the lock is being acquired: CMD never starts, the session is closed, exit 128+N", async () => {
  box.writeConfig({});
  const marker = join(box.dir, "must-not-exist");
  let grant: () => void = () => {};
  const granted = new Promise<void>((resolve) => (grant = resolve));
  const calls: string[] = [];
  const coordinator: Coordinator = {
    async acquire() {
      calls.push("acquire");
      await granted;
      return { run: true };
    },
    watch() {
      calls.push("watch");
    },
    async close() {
      calls.push("close");
    },
  };
  const stderr: string[] = [];
  const exit = main(["--config", box.config, "--", "touch", marker], { SWITCHMAN_HOSTNAME: "box1.example.com", PATH: process.env.PATH }, { stdout: () => assert.fail("stdout"), stderr: (s) => stderr.push(s) }, { createCoordinator: () => coordinator });
  await waitFor("acquire to start", () => calls.includes("acquire"));
  process.kill(process.pid, "SIGTERM"); // caught by main's handler, as a signal to switchman would be
  await new Promise((resolve) => setTimeout(resolve, 100));
  grant();
  assert.equal(await exit, 128 + 15);
  // close() at once when the signal came (the session must not wait for the connect), and again on the way out.
  assert.deepEqual(calls, ["acquire", "close", "close"]);
  assert.equal(existsSync(marker), false);
  assert.match(stderr.join(""), /received SIGTERM before CMD started: not running it/);
  assert.equal(process.listenerCount("SIGTERM"), 0, "main removes its signal handlers");
});
