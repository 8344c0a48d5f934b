// switchman against a real standalone ZooKeeper: the decisions taken before CMD runs
// (issue 4 scenarios 1, 2, 3, 4 and 12), each checked in ZooKeeper and on the child.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSilentServer, startStandalone, freePorts, TestZk, sleep, type ZkCluster, useZooKeeper } from "../../../helpers/zookeeper.js";
import { jobCommand, readRecord, runSwitchman, startSwitchman, tempDir, waitFor, writeConfig, type SwitchmanResult } from "../../../helpers/switchman.js";

const HOST = "box1.example.org";

describe("switchman on ZooKeeper: decisions before the command runs", () => {
  let zk: ZkCluster;
  let client: TestZk;
  const tmp = tempDir();
  let seq = 0;

  /** A fresh prefix holding `groups`, and a config pointing at it. */
  async function setup(
    groups: Record<string, string | string[]> | string | null,
    extra: Record<string, unknown> = {},
  ): Promise<{ prefix: string; config: string; record: string }> {
    seq++;
    const prefix = `/decisions/p${seq}`;
    if (groups !== null) await client.setPrefix(prefix, typeof groups === "string" ? groups : { groups });
    const config = writeConfig(tmp.path, `c${seq}`, {
      zkhosts: zk.connectString,
      prefix,
      session_timeout: 7,
      termination_timeout: 1,
      connect_timeout: 5,
      ...extra,
    });
    return { prefix, config, record: join(tmp.path, `record${seq}`) };
  }

  useZooKeeper(startStandalone, (cluster, c) => {
    zk = cluster;
    client = c;
  });

  after(() => {
    tmp.cleanup();
  });

  it("1: not in the group → exit 0, child never started, no znode created, nothing on stderr", async () => {
    const { prefix, config, record } = await setup({ scripts1: ["box2.example.org", "box3.example.org"] });
    const result = await runSwitchman(["-c", config, "--group", "scripts1", "--lockname", "job", "--", ...jobCommand(record, 0)], {
      host: HOST,
    });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, "");
    assert.equal(existsSync(record), false, "the child must not have started");
    assert.deepEqual(await client.tree(prefix), [prefix], "nothing may be created under the prefix");
  });

  it("2: nested and cyclic groups resolve; a group name shadows a host name; a missing group is exit 2", async () => {
    const groups = {
      top: ["middle", "box9.example.org"],
      middle: "leaf",
      leaf: [HOST],
      cycleA: ["cycleB"],
      cycleB: ["cycleA", HOST],
      emptyCycle1: "emptyCycle2",
      emptyCycle2: "emptyCycle1",
    };
    const { prefix, config, record } = await setup(groups);
    const run = (group: string, cfg = config): Promise<{ code: number | null; stderr: string }> =>
      runSwitchman(["-c", cfg, "--group", group, "--lockname", `l-${group}`, "--", ...jobCommand(record, 0)], { host: HOST });

    assert.equal((await run("top")).code, 0);
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 1, "nested group: runs");
    assert.equal((await run("cycleA")).code, 0);
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 2, "cyclic group with the host: runs");
    const emptyCycle = await run("emptyCycle1");
    assert.equal(emptyCycle.code, 0);
    assert.equal(emptyCycle.stderr, "");
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 2, "cycle without the host: not run");

    // Here "box1.example.org" is also a group, so as a member it means that group (whose only host is other).
    const shadowing = await setup({ [HOST]: "other.example.org", shadowed: [HOST] });
    const shadow = await run("shadowed", shadowing.config);
    assert.equal(shadow.code, 0);
    assert.equal(shadow.stderr, "");
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 2, "a group name shadows the host name: not run");
    assert.deepEqual(await client.tree(shadowing.prefix), [shadowing.prefix]);

    const missing = await run("nosuchgroup");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /group nosuchgroup is not defined/);
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 2);
    // Only the two runs that ran created lock nodes (ephemeral, gone again) under <prefix>/locks,
    // and their run records (issue 15) under <prefix>/runs; the skips and the error nothing.
    assert.deepEqual((await client.tree(prefix)).sort(), [prefix, `${prefix}/locks`, `${prefix}/runs`, `${prefix}/runs/l-cycleA`, `${prefix}/runs/l-top`]);
  });

  it("3: lock free → runs holding the lock; exit codes 0, 3, 255 passed through; 128+N on signal N", async () => {
    const { prefix, config, record } = await setup({ g: HOST });
    const lock = `${prefix}/locks/job3`;
    // While the job runs, the lock is an ephemeral node with data "<fqdn> <switchman pid>".
    const running = startSwitchman(["-c", config, "-g", "g", "--lockname", "job3", "--", ...jobCommand(record, 2)], { host: HOST });
    let seen: Awaited<ReturnType<TestZk["get"]>> = null;
    for (let i = 0; i < 50 && seen === null; i++) {
      await sleep(100);
      seen = await client.get(lock);
    }
    assert.ok(seen, "the lock node must exist while the job runs");
    assert.equal(seen.data, `${HOST} ${running.child.pid}`);
    assert.notEqual(seen.ownerHex, "0000000000000000", "the lock node must be ephemeral");
    const result = await running.done;
    assert.equal(result.code, 0);
    assert.deepEqual(
      readRecord(record).map((e) => e.kind),
      ["start", "end"],
    );
    assert.equal(await client.exists(lock), null, "the session is closed on exit, so the lock is gone at once");

    for (const code of [3, 255]) {
      const r = await runSwitchman(["-c", config, "-g", "g", "--", "/bin/sh", "-c", `exit ${code}`], { host: HOST });
      assert.equal(r.code, code);
    }
    const signalled = await runSwitchman(["-c", config, "-g", "g", "--", "/bin/sh", "-c", "kill -USR1 $$"], { host: HOST });
    assert.equal(signalled.code, 128 + 10);
  });

  it("4: lock held → exit 0, child never started, the holder's node untouched", async () => {
    const { prefix, config, record } = await setup({ g: HOST });
    const holder = await TestZk.connect(zk.connectString);
    try {
      await holder.createPath(`${prefix}/locks/busy`, "box7.example.org 4242", 1 /* EPHEMERAL */);
      const result = await runSwitchman(["-c", config, "-g", "g", "--lockname", "busy", "--", ...jobCommand(record, 0)], { host: HOST });
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.equal(existsSync(record), false);
      const node = await client.get(`${prefix}/locks/busy`);
      assert.equal(node?.data, "box7.example.org 4242");
      assert.equal(node?.ownerHex, holder.sessionIdHex);
    } finally {
      await holder.close();
    }
  });

  it("4: 50 switchman processes started at once for one lock → exactly one child runs", async () => {
    const { prefix, config, record } = await setup({ g: HOST });
    // The winner's job runs until the 49 others have exited, so no late starter can follow it.
    const release = `${record}.release`;
    const runs = Array.from({ length: 50 }, () =>
      startSwitchman(["-c", config, "-g", "g", "--lockname", "crowd", "--", ...jobCommand(record, 120, { untilFile: release })], {
        host: HOST,
      }),
    );
    const finished: SwitchmanResult[] = [];
    const results = await Promise.all(
      runs.map((r) =>
        r.done.then((result) => {
          finished.push(result);
          if (finished.length === 49) writeFileSync(release, "");
          return result;
        }),
      ),
    );
    const starts = readRecord(record).filter((e) => e.kind === "start");
    const codes = results.map((r) => r.code);
    assert.equal(starts.length, 1, `exactly one child may run; exit codes: ${codes.join(",")}`);
    assert.deepEqual(
      codes.filter((c) => c !== 0),
      [],
      `all exit 0 (one ran, 49 skipped); stderr: ${results.map((r) => r.stderr).join("")}`,
    );
    assert.equal(await client.exists(`${prefix}/locks/crowd`), null);
  });

  it("--no-lock: runs without creating any znode; two at once both run; the group still applies", async () => {
    const { prefix, config, record } = await setup({ g: HOST });
    const release = `${record}.release`;
    const both = [0, 1].map(() =>
      startSwitchman(["-c", config, "-g", "g", "--no-lock", "--", ...jobCommand(record, 30, { untilFile: release })], { host: HOST }),
    );
    await waitFor("both jobs to start", () => (readRecord(record).filter((e) => e.kind === "start").length === 2 ? true : undefined));
    assert.deepEqual(await client.tree(prefix), [prefix], "no lock node, not even <prefix>/locks");
    writeFileSync(release, "");
    for (const run of both) assert.equal((await run.done).code, 0);
    const elsewhere = await runSwitchman(["-c", config, "-g", "g", "--no-lock", "--", ...jobCommand(record, 0)], {
      host: "box2.example.org",
    });
    assert.equal(elsewhere.code, 0);
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 2, "not in the group: not run");
  });

  it("12: ZooKeeper unreachable → exit 75 within connect_timeout, nothing run", async () => {
    const [port] = await freePorts(1);
    const { config, record } = await setup({ g: HOST }, { zkhosts: `127.0.0.1:${port}`, connect_timeout: 2 });
    const result = await runSwitchman(["-c", config, "-g", "g", "--", ...jobCommand(record, 0)], { host: HOST });
    assert.equal(result.code, 75);
    assert.match(result.stderr, /ZooKeeper/);
    // connect_timeout plus generous room for node start-up on a loaded machine.
    assert.ok(result.ms < 2000 + 3000, `took ${Math.round(result.ms)} ms`);
    assert.ok(result.ms >= 1900, `gave up after ${Math.round(result.ms)} ms, before connect_timeout`);
    assert.equal(existsSync(record), false);
  });

  it("12: a member that accepts TCP but never answers → exit 75 within connect_timeout; with a live member too → runs", async () => {
    const silent = await startSilentServer();
    try {
      const { prefix, config, record } = await setup({ g: HOST }, { zkhosts: silent.address, connect_timeout: 2 });
      const result = await runSwitchman(["-c", config, "-g", "g", "--", ...jobCommand(record, 0)], { host: HOST });
      assert.equal(result.code, 75);
      assert.ok(silent.connections() >= 1, "switchman must have tried the silent member");
      // connect_timeout plus generous room for node start-up on a loaded machine.
      assert.ok(result.ms < 2000 + 3000, `took ${Math.round(result.ms)} ms`);
      assert.equal(existsSync(record), false);

      // The client shuffles the servers; whichever it tries first, the silent one must not hold it up.
      const mixed = writeConfig(tmp.path, "mixed", {
        zkhosts: `${silent.address},${zk.servers[0]?.address}`,
        prefix,
        session_timeout: 7,
        termination_timeout: 1,
        connect_timeout: 6,
      });
      for (let i = 0; i < 3; i++) {
        const r = await runSwitchman(["-c", mixed, "-g", "g", "--lockname", "mixed", "--", ...jobCommand(record, 0)], { host: HOST });
        assert.equal(r.code, 0, r.stderr);
      }
      assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 3);
    } finally {
      await silent.close();
    }
  });

  it("12: bad lockname, no command, bad prefix, missing prefix node, broken prefix data → exit 2, no znode written", async () => {
    const { prefix, config, record } = await setup({ g: HOST });
    const before = await client.tree("/");
    const cases: [string, string[], RegExp][] = [
      ["bad lockname", ["-c", config, "-g", "g", "--lockname", "../x", "--", "true"], /lock ?name/i],
      ["no command", ["-c", config, "-g", "g", "--lockname", "x"], /command/i],
      ["bad prefix", ["-c", writeConfig(tmp.path, "badprefix", { zkhosts: zk.connectString, prefix: "sm/x" }), "--", "true"], /prefix/],
    ];
    for (const [name, args, message] of cases) {
      const r = await runSwitchman(args, { host: HOST });
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, message, name);
    }
    const missing = writeConfig(tmp.path, "missingprefix", { zkhosts: zk.connectString, prefix: "/nowhere/switchman", termination_timeout: 1, session_timeout: 7 });
    const noPrefix = await runSwitchman(["-c", missing, "-g", "g", "--", ...jobCommand(record, 0)], { host: HOST });
    assert.equal(noPrefix.code, 2);
    assert.match(noPrefix.stderr, /does not exist/);
    assert.deepEqual(await client.tree("/"), before, "no znode may appear");

    await client.setPrefix(prefix, "{not json");
    const broken = await runSwitchman(["-c", config, "-g", "g", "--", ...jobCommand(record, 0)], { host: HOST });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /not valid JSON/);
    assert.equal(existsSync(record), false);
    assert.deepEqual(await client.tree(prefix), [prefix]);
  });

  it("refuses (exit 2, nothing created) when the server grants a session timeout too short for termination_timeout", async () => {
    const strict = await startStandalone({ maxSessionTimeout: 4000 });
    try {
      const own = await TestZk.connect(strict.connectString);
      try {
        await own.setPrefix("/strict", { groups: { g: HOST } });
        const config = writeConfig(tmp.path, "strict", {
          zkhosts: strict.connectString,
          prefix: "/strict",
          session_timeout: 11,
          termination_timeout: 5,
          connect_timeout: 5,
        });
        const record = join(tmp.path, "strict-record");
        const result = await runSwitchman(["-c", config, "-g", "g", "--", ...jobCommand(record, 0)], { host: HOST });
        assert.equal(result.code, 2);
        assert.match(result.stderr, /granted a session timeout of 4 s/);
        assert.equal(existsSync(record), false);
        assert.deepEqual(await own.tree("/strict"), ["/strict"]);
      } finally {
        await own.close();
      }
    } finally {
      await strict.stop();
    }
  });
});
