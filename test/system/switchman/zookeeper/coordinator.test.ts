// The ZooKeeper coordinator in-process against a real standalone server: what the executable
// tests cannot see directly (the ambiguous create, the exact moment onLost fires, a brief
// outage ridden out, a bounded close on a frozen server), plus the local checks done before
// any connection.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HEARTBEAT_INTERVAL_S, KILL_LEAD_S, SAFETY_MARGIN_S } from "../../../../src/switchman/budget.js";
import { SwitchmanError, type LossReport } from "../../../../src/switchman/coordinator.js";
import { createZooKeeperCoordinator } from "../../../../src/switchman/zookeeper/index.js";
import { takeLock } from "../../../../src/switchman/zookeeper/lock.js";
import { checkLockname, checkPrefix, lockData } from "../../../../src/switchman/zookeeper/paths.js";
import { checkZkhosts, ZkSession } from "../../../../src/switchman/zookeeper/session.js";
import { startStandalone, TestZk, sleep, type ZkCluster, useZooKeeper } from "../../../helpers/zookeeper.js";

const HOST = "box1.example.org";

describe("checks done before connecting", () => {
  const exit2 = (fn: () => void): void => assert.throws(fn, (e: unknown) => e instanceof SwitchmanError && e.exitCode === 2);

  it("lock names: 1-512 of [A-Za-z0-9._-], not . or ..", () => {
    for (const good of ["a", "foo.pl-mod-2-rem-0", "A_b.c-d", "x".repeat(512), "..."]) checkLockname(good);
    for (const bad of ["", ".", "..", "a/b", "a b", "x".repeat(513), "ü", "a\n"]) exit2(() => checkLockname(bad));
  });

  it("prefix: /segments, no . or .., not under /zookeeper, no control characters", () => {
    for (const good of ["/a", "/myproject/switchman", "/a.b/c-d"]) checkPrefix(good);
    for (const bad of ["", "/", "a", "/a/", "//a", "/a//b", "/a/./b", "/a/..", "/zookeeper/x", "/a\u0001"]) exit2(() => checkPrefix(bad));
  });

  it("zkhosts: host:port[,host:port], host a name, IPv4 or [IPv6]; no chroot", () => {
    for (const good of ["127.0.0.1:2181", "zk1.example.org:2181,zk2.example.org:2182", "[::1]:2181"]) checkZkhosts(good);
    for (const bad of ["", "zk1", "zk1:2181/chroot", "zk1:2181,", "zk1:99999", "::1:2181", "[::1]", "zk1:21a"]) exit2(() => checkZkhosts(bad));
  });
});

describe("ZooKeeper coordinator in-process", () => {
  let zk: ZkCluster;
  let client: TestZk;
  let seq = 0;

  async function prefix(): Promise<string> {
    seq++;
    const path = `/coordinator/p${seq}`;
    await client.setPrefix(path, { groups: { g: HOST } });
    return path;
  }

  function coordinator(prefixPath: string, sessionTimeoutS: number, messages: string[] = []) {
    return createZooKeeperCoordinator({
      zkhosts: zk.connectString,
      prefix: prefixPath,
      sessionTimeoutS,
      connectTimeoutS: 5,
      terminationTimeoutS: 1,
      log: (level, message) => messages.push(`${level}: ${message}`),
    });
  }

  useZooKeeper(startStandalone, (cluster, c) => {
    zk = cluster;
    client = c;
  });


  it("an ambiguous create is resolved by the ephemeral owner: our own node means the lock is ours", async () => {
    const p = await prefix();
    const session = await ZkSession.open({ zkhosts: zk.connectString, sessionTimeoutMs: 6000, handshakeTimeoutMs: 2000 }, 5000);
    const other = await ZkSession.open({ zkhosts: zk.connectString, sessionTimeoutMs: 6000, handshakeTimeoutMs: 2000 }, 5000);
    try {
      const request = { prefix: p, lockname: "amb", data: lockData(HOST, 1), deadline: Date.now() + 5000, log: () => undefined };
      const first = await takeLock(session, request);
      assert.equal(first.held, true);
      // The same create again (as after a connection loss) meets NODE_EXISTS with our session as owner.
      const again = await takeLock(session, request);
      assert.equal(again.held, true);
      const theirs = await takeLock(other, { ...request, data: lockData("box2.example.org", 2) });
      assert.deepEqual(theirs, { held: false, owner: `${HOST} 1` });
      const node = await client.get(`${p}/locks/amb`);
      assert.equal(node?.ownerHex, session.sessionId.toString("hex"));
    } finally {
      await session.close(1500);
      await other.close(1500);
    }
    assert.equal(await client.exists(`${p}/locks/amb`), null, "closing the session removes the lock at once");
  });

  it("onLost fires once, with lock-lost, when an operator deletes the lock; close() is idempotent", async () => {
    const p = await prefix();
    const c = coordinator(p, 7);
    const losses: LossReport[] = [];
    try {
      assert.deepEqual(await c.acquire({ group: "g", lockname: "del", host: HOST, pid: 7 }), { run: true });
      c.watch((loss) => losses.push(loss));
      await sleep(1500);
      assert.equal(losses.length, 0, "nothing lost yet");
      await client.remove(`${p}/locks/del`);
      await sleep(1500);
      assert.equal(losses.length, 1);
      assert.equal(losses[0]?.reason, "lock-lost");
    } finally {
      await c.close();
      await c.close();
    }
  });

  it("a frozen server: onLost (session-unsafe) fires at the last proof + session - termination - margin; close() stays bounded", async () => {
    const p = await prefix();
    const sessionS = 7; // the smallest the config accepts with termination_timeout 1
    const budgetMs = (sessionS - SAFETY_MARGIN_S - 1 - KILL_LEAD_S) * 1000;
    const c = coordinator(p, sessionS);
    const server = zk.servers[0];
    assert.ok(server);
    const seen: { at?: number; loss?: LossReport; remaining?: number | undefined } = {};
    try {
      await c.acquire({ group: "g", lockname: "frozen", host: HOST, pid: 8 });
      c.watch((l) => {
        seen.at ??= Date.now();
        seen.loss ??= l;
        seen.remaining ??= c.remainingMs?.();
      });
      await sleep(2500);
      // Steady state: a proof at most about a heartbeat ago, so nearly session − margin left.
      const healthy = c.remainingMs?.();
      const full = (sessionS - SAFETY_MARGIN_S) * 1000;
      assert.ok(healthy !== undefined && healthy <= full && healthy > full - 2000, `remainingMs ${healthy} while healthy`);
      const frozenAt = Date.now();
      server.freeze();
      while (seen.at === undefined && Date.now() - frozenAt < 10_000) await sleep(20);
      const { at: lostAt, loss } = seen;
      assert.ok(lostAt !== undefined && loss, "onLost must fire");
      assert.equal(loss.reason, "session-unsafe");
      // The last proof was sent at most one heartbeat interval (plus an answer's latency) before the freeze.
      const after = lostAt - frozenAt;
      assert.ok(after <= budgetMs + 800, `onLost ${after} ms after the freeze, budget ${budgetMs} ms`);
      assert.ok(after >= budgetMs - HEARTBEAT_INTERVAL_S * 1000 - 500, `onLost too early: ${after} ms`);
      // onLost comes termination_timeout (1 s) and the kill lead before the guard process's deadline.
      assert.ok(seen.remaining !== undefined && Math.abs(seen.remaining - 1250) < 500, `remainingMs at onLost: ${seen.remaining}`);
      const closing = Date.now();
      await c.close();
      assert.ok(Date.now() - closing < 2500, "close() is bounded even when the server does not answer");
    } finally {
      server.thaw();
      await c.close();
    }
  });

  it("a brief outage (4 s, budget 6.75 s) that heals with the same session is ridden out", async () => {
    const p = await prefix();
    const messages: string[] = [];
    const c = coordinator(p, 10, messages);
    const server = zk.servers[0];
    assert.ok(server);
    const losses: LossReport[] = [];
    try {
      await c.acquire({ group: "g", lockname: "brief", host: HOST, pid: 9 });
      c.watch((l) => losses.push(l));
      await sleep(1500);
      // Longer than the heartbeat stall limit (1.5 s), well within the 6.75 s budget.
      server.freeze();
      await sleep(4000);
      server.thaw();
      await sleep(4000);
      assert.deepEqual(losses, [], messages.join("\n"));
      assert.ok(
        messages.some((m) => /healed .* the lock is still ours/.test(m)),
        `expected a "healed" message:\n${messages.join("\n")}`,
      );
      const node = await client.get(`${p}/locks/brief`);
      assert.equal(node?.data, `${HOST} 9`);
    } finally {
      await c.close();
    }
    assert.equal(await client.exists(`${p}/locks/brief`), null);
  });
});
