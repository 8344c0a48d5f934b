// Supervision of CMD with real processes: signals forwarded (scenario 11), SIGKILL after
// termination_timeout, the whole process group terminated (scenario 10), and CMD never
// outliving switchman, even after `kill -9` (scenario 9).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { alive, findProcesses, groupMembers, killAll, readPids, requireTools, runSwitchman, sandbox, startSwitchman, waitFor, type Sandbox } from "../../helpers/switchman.js";

let box: Sandbox;
const leftovers = new Set<number>();
before(() => {
  requireTools();
  box = sandbox();
});
after(() => {
  for (const pgid of [...leftovers]) killAll(groupMembers(pgid));
  killAll(leftovers);
  box.cleanup();
});

let counter = 0;
function files(): { pidfile: string; out: string } {
  counter += 1;
  return { pidfile: join(box.dir, `pid-${counter}`), out: join(box.dir, `out-${counter}`) };
}

/** Starts switchman on `script` (sh -c), waits until the job wrote its pid; returns both. */
async function startJob(script: string, extraArgs: string[] = []) {
  const { pidfile, out } = files();
  const switchman = startSwitchman(["--config", box.config, ...extraArgs, "--", "sh", "-c", script, "job", pidfile, out]);
  switchman.stdin?.end();
  leftovers.add(switchman.pid as number);
  const [jobPid] = await waitFor("the job to start", () => readPids(pidfile));
  leftovers.add(jobPid as number);
  return { switchman, job: jobPid as number, out };
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"] as const) {
  test(`${signal} to switchman is forwarded to CMD, then switchman exits with CMD's status`, async () => {
    const name = signal.slice(3);
    const { switchman, job, out } = await startJob(`trap 'echo got-${name} > "$2"; exit 7' ${name}; echo $$ > "$1"; while :; do sleep 0.05; done`, [
      "--lockname",
      `forward-${name}`,
    ]);
    switchman.kill(signal);
    const result = await switchman.done;
    assert.equal(result.code, 7, result.stderr);
    assert.equal(readFileSync(out, "utf8"), `got-${name}\n`);
    assert.equal(alive(job), false);
    assert.deepEqual(groupMembers(job), []);
    assert.equal(result.stdout, "");
  });
}

test("CMD ignoring SIGTERM is SIGKILLed termination_timeout later, with a warning", async () => {
  box.writeConfig({ termination_timeout: 1 });
  try {
    const { switchman, job } = await startJob(`trap '' TERM; echo $$ > "$1"; exec sleep 100`, ["--lockname", "ignores-term"]);
    const sentAt = Date.now();
    switchman.kill("SIGTERM");
    const result = await switchman.done;
    const elapsed = (Date.now() - sentAt) / 1000;
    assert.equal(result.code, 128 + 9);
    // The scenario is about timing: SIGKILL comes after termination_timeout (1 s), not before, and not much later.
    assert.ok(elapsed >= 0.9 && elapsed < 6, `SIGKILL after ${elapsed} s`);
    assert.match(result.stderr, /switchman: warning: .*SIGKILL/);
    assert.match(box.log(), /\twarning\t.*SIGKILL/);
    assert.match(box.log(), /FINISH lockname=ignores-term signal=SIGKILL status=137 .*killed=SIGKILL/);
    assert.equal(alive(job), false);
  } finally {
    box.writeConfig({});
  }
});

test("termination reaches grandchildren: sh -c 'sleep 100 | cat' leaves nothing behind", async () => {
  const { switchman, job } = await startJob(`echo $$ > "$1"; sleep 100 | cat`, ["--lockname", "pipeline"]);
  const members = await waitFor("sleep and cat to start", () => {
    const pids = groupMembers(job);
    return pids.length >= 3 ? pids : undefined;
  });
  members.forEach((pid) => leftovers.add(pid));
  switchman.kill("SIGTERM");
  const result = await switchman.done;
  assert.equal(result.code, 128 + 15);
  for (const pid of members) assert.equal(alive(pid), false, `process ${pid} of the pipeline survived`);
  assert.deepEqual(groupMembers(job), []);
});

test("processes CMD leaves in its group when it exits are terminated (they would run unlocked)", async () => {
  const { pidfile } = files();
  const result = await runSwitchman(["--config", box.config, "--lockname", "leaves-behind", "--", "sh", "-c", 'echo $$ > "$1"; sleep 100 | cat & exit 0', "job", pidfile]);
  const [job] = readPids(pidfile) ?? [];
  assert.ok(job !== undefined);
  leftovers.add(job);
  assert.equal(result.code, 0);
  assert.deepEqual(groupMembers(job), []);
  assert.match(result.stderr, /switchman: warning: CMD exited but left 2 process\(es\) in its process group/);
});

test("kill -9 of switchman: CMD and its grandchildren die at once, and the lock is free at once", async () => {
  const { switchman, job } = await startJob(`echo $$ > "$1"; sleep 100 | cat`, ["--lockname", "kill9"]);
  const members = await waitFor("the pipeline", () => {
    const pids = groupMembers(job);
    return pids.length >= 3 ? pids : undefined;
  });
  members.forEach((pid) => leftovers.add(pid));
  const killedAt = Date.now();
  switchman.kill("SIGKILL");
  try {
    await waitFor("the whole group to die", () => groupMembers(job).length === 0, 5000);
  } catch (error) {
    const state = groupMembers(job).map((pid) => readFileSync(`/proc/${pid}/stat`, "utf8").trim());
    const guards = findProcesses("switchman-guard", String(switchman.pid));
    throw new Error(`${(error as Error).message}; left: ${JSON.stringify(state)}; guards: ${guards.join(" ")}; stderr: ${(await switchman.done).stderr}`);
  }
  const goneAfterMs = Date.now() - killedAt;
  assert.ok(goneAfterMs < 5000, `group gone after ${goneAfterMs} ms`);
  await switchman.done;
  // The kernel released the flock with switchman's death: the next run gets the lock at once.
  const next = await runSwitchman(["--config", box.config, "--lockname", "kill9", "--", "sh", "-c", "echo ran"]);
  assert.equal(next.code, 0, next.stderr);
  assert.equal(next.stdout, "ran\n");
});

test("kill -9 of switchman with the guard gone: PDEATHSIG alone kills CMD", async () => {
  const { switchman, job } = await startJob(`echo $$ > "$1"; exec sleep 100`, ["--lockname", "pdeathsig"]);
  const guards = await waitFor("the guard process", () => {
    const pids = findProcesses("switchman-guard", String(switchman.pid));
    return pids.length > 0 ? pids : undefined;
  });
  killAll(guards);
  await waitFor("the guard to die", () => guards.every((pid) => !alive(pid)));
  assert.equal(alive(job), true, "killing the guard must not touch CMD");
  switchman.kill("SIGKILL");
  await waitFor("CMD to die by PDEATHSIG", () => !alive(job), 3000);
  await switchman.done;
});

test("no guard or CMD process is left after a normal run", async () => {
  const { pidfile } = files();
  const switchman = startSwitchman(["--config", box.config, "--", "sh", "-c", 'echo $$ > "$1"', "job", pidfile]);
  switchman.stdin?.end();
  const result = await switchman.done;
  assert.equal(result.code, 0);
  const [job] = readPids(pidfile) ?? [];
  assert.ok(job !== undefined);
  assert.deepEqual(groupMembers(job), []);
  await waitFor("the guard to be retired", () => findProcesses("switchman-guard", String(switchman.pid)).length === 0, 3000);
});
