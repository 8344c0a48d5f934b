// The grant probe (src/switchman/zookeeper/grant-probe.ts) against a loopback server that speaks
// the connect handshake of ZooKeeper's wire protocol: what it asks, what it reads back, that it
// closes the throwaway session, and that silence or a refusal is "no answer". Against real
// servers: test/system/switchman/zookeeper/faults.test.ts.
import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { probeGrant } from "../../src/switchman/zookeeper/grant-probe.js";

interface Seen {
  requestedMs?: number;
  sessionId?: string;
  closeType?: number;
}

/** A server that grants min(asked, maxMs) (0 = refuses the session), or never answers (silent). */
async function fakeMember(behaviour: { maxMs: number } | "silent"): Promise<{ port: number; seen: Seen; close: () => Promise<void> }> {
  const seen: Seen = {};
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    let buffer = Buffer.alloc(0);
    let connected = false;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= 4 + buffer.readInt32BE(0)) {
        const frame = buffer.subarray(4, 4 + buffer.readInt32BE(0));
        buffer = buffer.subarray(4 + frame.length);
        if (!connected) {
          connected = true;
          // ConnectRequest: protocolVersion int, lastZxidSeen long, timeOut int, sessionId long, passwd buffer.
          seen.requestedMs = frame.readInt32BE(12);
          seen.sessionId = frame.subarray(16, 24).toString("hex");
          if (behaviour === "silent") continue;
          const granted = Math.min(seen.requestedMs, behaviour.maxMs);
          const answer = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 16);
          answer.writeInt32BE(answer.length - 4, 0);
          answer.writeInt32BE(0, 4); // protocolVersion
          answer.writeInt32BE(granted, 8);
          answer.writeBigInt64BE(granted > 0 ? 0x1234n : 0n, 12);
          answer.writeInt32BE(16, 20);
          socket.write(answer);
        } else {
          seen.closeType = frame.readInt32BE(4); // RequestHeader: xid int, type int
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const until = async (check: () => boolean, timeoutMs = 2000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

test("asks with session id 0 and the given timeout, returns what the member grants, and closes the throwaway session", async () => {
  const member = await fakeMember({ maxMs: 6000 });
  try {
    assert.equal(await probeGrant({ host: "127.0.0.1", port: member.port }, 20_000, 1000), 6000);
    assert.equal(member.seen.requestedMs, 20_000);
    assert.equal(member.seen.sessionId, "0000000000000000", "a new session, never ours");
    await until(() => member.seen.closeType !== undefined);
    assert.equal(member.seen.closeType, -11, "CloseSession");
    assert.equal(await probeGrant({ host: "127.0.0.1", port: member.port }, 4000, 1000), 4000);
  } finally {
    await member.close();
  }
});

test("a refused session, a silent member and a closed port are all no answer", async () => {
  const refusing = await fakeMember({ maxMs: 0 });
  const silent = await fakeMember("silent");
  const closed = await fakeMember("silent");
  const closedPort = closed.port;
  await closed.close();
  try {
    assert.equal(await probeGrant({ host: "127.0.0.1", port: refusing.port }, 20_000, 1000), undefined);
    const started = Date.now();
    assert.equal(await probeGrant({ host: "127.0.0.1", port: silent.port }, 20_000, 300), undefined);
    assert.ok(Date.now() - started >= 290, "waited for the timeout");
    assert.equal(await probeGrant({ host: "127.0.0.1", port: closedPort }, 20_000, 1000), undefined);
  } finally {
    await refusing.close();
    await silent.close();
  }
});
