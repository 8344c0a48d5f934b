// The fault proxy of the ZooKeeper system tests (test/helpers/tcp-proxy.ts), against a loopback
// echo server: forwarding, held directions with the sockets kept open, release in order, refuse
// and reset.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { TcpProxy } from "./tcp-proxy.js";

/** An echo server that records what it received. */
async function echoServer(): Promise<{ port: number; received: () => string; close: () => Promise<void> }> {
  let received = "";
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => received,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A client connection through the proxy that collects what comes back. */
async function connect(proxy: TcpProxy): Promise<{ socket: net.Socket; got: () => string; closed: () => boolean }> {
  let got = "";
  let closed = false;
  const socket = net.connect(proxy.port, "127.0.0.1");
  socket.on("error", () => undefined);
  socket.on("data", (chunk: Buffer) => (got += chunk.toString("utf8")));
  socket.on("close", () => (closed = true));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, got: () => got, closed: () => closed };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("TcpProxy (loopback fault proxy)", () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  before(async () => {
    echo = await echoServer();
  });
  after(async () => {
    await echo.close();
  });

  it("forwards both ways and counts connections and bytes", async () => {
    const proxy = await TcpProxy.start(`127.0.0.1:${echo.port}`);
    try {
      const c = await connect(proxy);
      c.socket.write("ping");
      await until("the echo", () => c.got() === "ping");
      assert.equal(proxy.accepted, 1);
      assert.equal(proxy.open, 1);
      assert.deepEqual(proxy.bytes, { up: 4, down: 4 });
      c.socket.destroy();
      await until("the pair to close", () => proxy.open === 0);
    } finally {
      await proxy.close();
    }
  });

  it("hold-down: requests arrive, answers are held with the socket open, and arrive in order on release", async () => {
    const proxy = await TcpProxy.start({ host: "127.0.0.1", port: echo.port });
    try {
      const c = await connect(proxy);
      const before = echo.received().length;
      proxy.setMode("hold-down");
      c.socket.write("a1");
      c.socket.write("a2");
      await until("the server to receive the requests", () => echo.received().length === before + 4);
      await sleep(300);
      assert.equal(c.got(), "", "no answer may reach the client while held");
      assert.equal(c.closed(), false, "the connection stays open");
      proxy.setMode("forward");
      await until("the held answers", () => c.got() === "a1a2");
      c.socket.destroy();
    } finally {
      await proxy.close();
    }
  });

  it("hold: nothing passes either way, new connections included; the close of a held side is held too", async () => {
    const proxy = await TcpProxy.start(`127.0.0.1:${echo.port}`, "hold");
    try {
      const before = echo.received().length;
      const c = await connect(proxy);
      c.socket.write("b1");
      await sleep(300);
      assert.equal(echo.received().length, before, "the server must not see held requests");
      assert.equal(c.got(), "");
      assert.equal(proxy.open, 1);
      c.socket.destroy();
      await sleep(100);
      assert.equal(proxy.open, 1, "the server side does not see the client's close through a partition");
      proxy.setMode("forward");
      await until("held data and the close to be delivered", () => proxy.open === 0 && echo.received().length === before + 2);
    } finally {
      await proxy.close();
    }
  });

  it("hold-up: the server sees nothing until release", async () => {
    const proxy = await TcpProxy.start(`127.0.0.1:${echo.port}`);
    try {
      const c = await connect(proxy);
      proxy.setMode("hold-up");
      const before = echo.received().length;
      c.socket.write("c1");
      await sleep(300);
      assert.equal(echo.received().length, before);
      proxy.setMode("forward");
      await until("the echo after release", () => c.got() === "c1");
      c.socket.destroy();
    } finally {
      await proxy.close();
    }
  });

  it("refuse closes new connections at once and keeps open ones; reset drops open ones", async () => {
    const proxy = await TcpProxy.start(`127.0.0.1:${echo.port}`);
    try {
      const kept = await connect(proxy);
      proxy.setMode("refuse");
      const refused = await connect(proxy);
      await until("the refused connection to close", () => refused.closed());
      assert.equal(proxy.accepted, 2);
      kept.socket.write("d1");
      await until("the kept connection to still work", () => kept.got() === "d1");
      proxy.reset();
      await until("the kept connection to be reset", () => kept.closed());
      assert.equal(proxy.open, 0);
    } finally {
      await proxy.close();
    }
  });
});
