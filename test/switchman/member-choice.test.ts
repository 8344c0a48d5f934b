// Which member a reconnect goes to (src/switchman/zookeeper/member-choice.ts), with a fake probe:
// only a member that has just granted at least the floor, never one that grants less, never
// after stop(). The same against real servers is in test/system/switchman/zookeeper/faults.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConnectionManagerInternals } from "node-zookeeper-client";
import { MemberChoice, memberName } from "../../src/switchman/zookeeper/member-choice.js";

const A = { host: "127.0.0.1", port: 2001 };
const B = { host: "127.0.0.1", port: 2002 };
const C = { host: "::1", port: 2003 };

type Grants = Map<number, number | undefined | "never">;

/** A connection manager with the library's own choice (always the first server) and a call log. */
function manager(): ConnectionManagerInternals & { own: number } {
  const fake = {
    state: 0,
    servers: [A, B, C],
    sessionTimeout: 20_000,
    own: 0,
    findNextServer(callback: (server: { host: string; port: number | string }) => void): void {
      fake.own++;
      setImmediate(() => callback(A));
    },
  };
  return fake as unknown as ConnectionManagerInternals & { own: number };
}

/** A probe answering from `grants` by port: a number (granted ms), undefined (no answer) or "never" (pending for ever). */
function probe(grants: Grants, asked: { port: number; requestMs: number }[]) {
  return (server: { host: string; port: number }, requestMs: number): Promise<number | undefined> => {
    asked.push({ port: server.port, requestMs });
    const granted = grants.get(server.port);
    if (granted === "never") return new Promise(() => undefined);
    return new Promise((resolve) => setTimeout(() => resolve(granted), server.port % 10));
  };
}

function next(m: ConnectionManagerInternals, timeoutMs = 2000): Promise<{ host: string; port: number | string } | "none"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("none"), timeoutMs);
    m.findNextServer((server) => {
      clearTimeout(timer);
      resolve(server);
    });
  });
}

test("before the session exists, the client library's own choice stands, unasked", async () => {
  const asked: { port: number; requestMs: number }[] = [];
  const m = manager();
  new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 100, log: () => undefined, probe: probe(new Map(), asked) }).install(m);
  assert.deepEqual(await next(m), A);
  assert.equal(m.own, 1);
  assert.deepEqual(asked, []);
});

test("after the floor is set, a reconnect goes to a member that grants at least the floor, asked with the timeout the reconnect asks", async () => {
  const asked: { port: number; requestMs: number }[] = [];
  const logs: string[] = [];
  const m = manager();
  const grants: Grants = new Map<number, number | undefined | "never">([
    [A.port, 6000],
    [B.port, undefined],
    [C.port, 20_000],
  ]);
  const choice = new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 100, log: (level, message) => logs.push(`${level}: ${message}`), probe: probe(grants, asked) });
  choice.install(m);
  choice.setFloor(20_000);
  assert.deepEqual(await next(m), C);
  assert.equal(m.own, 0, "the library's own choice is not used any more");
  assert.ok(asked.length >= 1 && asked.every((a) => a.requestMs === 20_000), "asked with the client's next request");
  if (asked.some((a) => a.port === A.port)) {
    assert.ok(logs.some((l) => /^warning: ZooKeeper member 127\.0\.0\.1:2001 grants only 6 s sessions, less than the 20 s/.test(l)), logs.join("\n"));
  }
});

test("members are asked one after the other: a healthy first member is the only one asked; a failed one hands on at once", async () => {
  const asked: { port: number; requestMs: number }[] = [];
  const m = manager();
  const grants: Grants = new Map<number, number | undefined | "never">([
    [A.port, undefined],
    [B.port, 6000],
    [C.port, 20_000],
  ]);
  const inOrder = (order: typeof A[]) => () => order;
  const first = new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 100, log: () => undefined, probe: probe(grants, asked), order: inOrder([C, A, B]) });
  first.install(m);
  first.setFloor(20_000);
  assert.deepEqual(await next(m), C);
  assert.deepEqual(asked.map((a) => a.port), [C.port], "one throwaway session for a failover to a healthy member");
  asked.length = 0;
  const m2 = manager();
  const failing = new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 100, log: () => undefined, probe: probe(grants, asked), order: inOrder([A, B, C]) });
  failing.install(m2);
  failing.setFloor(20_000);
  const started = Date.now();
  assert.deepEqual(await next(m2), C);
  assert.deepEqual(asked.map((a) => a.port), [A.port, B.port, C.port]);
  assert.ok(Date.now() - started < 140, "no waiting for the hedge when the member before has already failed");
});

test("a member that grants less is never chosen; rounds go on until one qualifies; the warning comes once per member", async () => {
  const asked: { port: number; requestMs: number }[] = [];
  const logs: string[] = [];
  const m = manager();
  const grants: Grants = new Map<number, number | undefined | "never">([
    [A.port, 6000],
    [B.port, undefined],
    [C.port, undefined],
  ]);
  const choice = new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 100, log: (level, message) => logs.push(`${level}: ${message}`), probe: probe(grants, asked) });
  choice.install(m);
  choice.setFloor(20_000);
  const chosen = next(m, 5000);
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.ok(asked.length >= 6, `several rounds so far: ${asked.length} probes`);
  grants.set(B.port, 30_000); // more than the floor is fine
  assert.deepEqual(await chosen, B);
  assert.equal(logs.filter((l) => l.startsWith("warning:")).length, 1, logs.join("\n"));
});

test("the first member that qualifies wins without waiting for silent ones", async () => {
  const m = manager();
  const grants: Grants = new Map<number, number | undefined | "never">([
    [A.port, "never"],
    [B.port, 20_000],
    [C.port, "never"],
  ]);
  const choice = new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 60_000, log: () => undefined, probe: probe(grants, []), order: () => [A, C, B] });
  choice.install(m);
  choice.setFloor(20_000);
  const started = Date.now();
  assert.deepEqual(await next(m), B);
  const took = Date.now() - started;
  assert.ok(took >= 290 && took < 1000, `two silent members cost two hedges (150 ms each), not a probe timeout: ${took} ms`);
});

test("after stop() no member is handed to the client", async () => {
  const m = manager();
  const grants: Grants = new Map<number, number | undefined | "never">([
    [A.port, 20_000],
    [B.port, 20_000],
    [C.port, 20_000],
  ]);
  const choice = new MemberChoice({ servers: [A, B, C], probeTimeoutMs: 100, log: () => undefined, probe: probe(grants, []) });
  choice.install(m);
  choice.setFloor(20_000);
  const chosen = next(m, 300);
  choice.stop();
  assert.equal(await chosen, "none");
});

test("member names are written as in zkhosts, IPv6 in brackets", () => {
  assert.equal(memberName(A), "127.0.0.1:2001");
  assert.equal(memberName(C), "[::1]:2003");
});
