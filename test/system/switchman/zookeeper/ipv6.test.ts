// IPv6 literals in zkhosts, decided once (issue 10): supported end to end. A config with
// `"zkhosts": "[::1]:PORT"` loads, and switchman connects through it: a real ZooKeeper that
// listens on ::1 only (clientPortAddress=::1), a job run under the lock, a competitor skipped,
// the lock gone at exit. And a [::1] address where nothing listens is "unreachable" (75), never a
// config error (2): load and connect agree.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zookeeper, { type Client, type Stat } from "node-zookeeper-client";
import { validateConfig } from "../../../../src/switchman/config.js";
import { testOutputDir } from "../../../helpers/paths.js";
import { jobCommand, readRecord, runSwitchman, startSwitchman, tempDir, waitFor, writeConfig } from "../../../helpers/switchman.js";
import { fourLetterWord, requireZooKeeper, sleep, ZkCluster, ZkServer } from "../../../helpers/zookeeper.js";

const HOST = "box1.example.org";
const PREFIX = "/ipv6/switchman";

/** Fails (never skips) on a machine without ::1 on its loopback interface. */
function requireIpv6Loopback(): void {
  const lines = existsSync("/proc/net/if_inet6") ? readFileSync("/proc/net/if_inet6", "utf8").split("\n") : [];
  if (!lines.some((line) => /^0{31}1 .* lo$/.test(line.trim()))) {
    throw new Error("this machine has no ::1 on lo (/proc/net/if_inet6): enable IPv6 on the loopback interface (sysctl net.ipv6.conf.lo.disable_ipv6=0)");
  }
}

/** A TCP port that is free on ::1 (bound, then released). */
async function freePortOnIpv6Loopback(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True when something accepts TCP at host:port within 1 s. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A standalone server listening on ::1 only (clientPortAddress=::1), started. */
function startServerOnIpv6Loopback(port: number): { server: ZkServer; dataRoot: string; logFile: string } {
  const dataRoot = mkdtempSync(join(tmpdir(), "cronmeta-zk-ipv6-"));
  const dataDir = join(dataRoot, "server1");
  mkdirSync(dataDir);
  const configFile = join(dataDir, "zoo.cfg");
  writeFileSync(
    configFile,
    [
      "tickTime=500",
      `dataDir=${dataDir}`,
      `clientPort=${port}`,
      "clientPortAddress=::1",
      "admin.enableServer=false",
      "4lw.commands.whitelist=srvr",
      "minSessionTimeout=1000",
      "maxSessionTimeout=60000",
      "",
    ].join("\n"),
  );
  mkdirSync(join(testOutputDir, "zookeeper"), { recursive: true });
  const logFile = join(testOutputDir, "zookeeper", `server-ipv6-${port}.log`);
  const server = new ZkServer(1, port, configFile, logFile);
  server.start();
  return { server, dataRoot, logFile };
}

/**
 * Waits until the server answers `srvr` on [::1]:port (the harness's own probe speaks IPv4):
 * ZooKeeper itself, serving, not merely something that accepts TCP there (the port found free
 * may have been taken by another test's listener before the JVM bound it, and then exits).
 */
async function waitServing(server: ZkServer, port: number, timeoutMs: number): Promise<"serving" | "exited" | "timeout"> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!server.isRunning) return "exited";
    if ((await fourLetterWord(port, "srvr", 1000, "::1")).includes("Zookeeper version")) return "serving";
    await sleep(100);
  }
  return "timeout";
}

/**
 * The test's own client on [::1]. node-zookeeper-client cannot parse `[::1]:PORT` itself, so the
 * test sets its server list by hand (the same internal switchman uses, see session.ts); this only
 * arranges and inspects znodes.
 */
async function ipv6Client(port: number): Promise<Client> {
  const client = zookeeper.createClient(`localhost:${port}`, { sessionTimeout: 30_000, spinDelay: 100 });
  client.connectionManager.servers = [{ host: "::1", port }];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A client left reconnecting would keep this test file's process alive for ever.
      client.close();
      client.connectionManager.socket?.destroy();
      setTimeout(() => client.connectionManager.socket?.destroy(), 300).unref(); // a retry already under way
      reject(new Error(`test client: no session with [::1]:${port} within 60 s`));
    }, 60_000);
    client.once("connected", () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  return client;
}

function call<T>(start: (cb: (error: Error | null, result: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(result))));
}

describe("zkhosts with an IPv6 literal: [::1]:PORT loads and connects", () => {
  const tmp = tempDir();
  let cluster: ZkCluster;
  let client: Client;
  let port: number;

  before(async () => {
    requireZooKeeper();
    requireIpv6Loopback();
    // A port found free on ::1 may be taken by the time the JVM binds it: then the server exits,
    // and it is started again on another port.
    for (let attempt = 1; ; attempt++) {
      port = await freePortOnIpv6Loopback();
      const server = startServerOnIpv6Loopback(port);
      cluster = new ZkCluster([server.server], server.dataRoot);
      const outcome = await waitServing(server.server, port, 60_000);
      if (outcome === "serving") break;
      await cluster.stop();
      if (outcome === "timeout" || attempt === 3) {
        throw new Error(`ZooKeeper on [::1]:${port} ${outcome === "timeout" ? "not serving after 60 s" : "exited at start"} (log: ${server.logFile})`);
      }
    }
    client = await ipv6Client(port);
    await call<string>((cb) => client.create("/ipv6", null, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
    const data = Buffer.from(JSON.stringify({ groups: { g: HOST } }));
    await call<string>((cb) => client.create(PREFIX, data, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
  });

  after(async () => {
    client?.close();
    await sleep(50);
    client?.connectionManager.socket?.destroy();
    await cluster?.stop();
    tmp.cleanup();
  });

  it("the server is reachable over ::1 only: a session could not have come over IPv4", async () => {
    assert.equal(await accepts("::1", port), true);
    assert.equal(await accepts("127.0.0.1", port), false);
  });

  it("a config with zkhosts [::1]:PORT loads, and switchman runs the job under the lock through it", async () => {
    const settings = { zkhosts: `[::1]:${port}`, prefix: PREFIX, session_timeout: 7, termination_timeout: 1, connect_timeout: 5 };
    assert.ok("config" in validateConfig(settings), "config load accepts it");
    const config = writeConfig(tmp.path, "ipv6", settings);
    const record = join(tmp.path, "record");
    const until = join(tmp.path, "release");
    const holder = startSwitchman(["-c", config, "-g", "g", "--lockname", "v6job", "--", ...jobCommand(record, 20, { untilFile: until })], { host: HOST });
    await waitFor("the job to start", () => readRecord(record).some((e) => e.kind === "start"), 15_000);
    const lock = await call<[Buffer | undefined, Stat]>((cb) => client.getData(`${PREFIX}/locks/v6job`, (e, d, s) => cb(e, [d, s])));
    assert.equal(lock[0]?.toString("utf8"), `${HOST} ${holder.pid}`, "the ephemeral lock node, written over ::1");
    assert.notEqual(lock[1].ephemeralOwner.toString("hex"), "0000000000000000");

    const competitor = await runSwitchman(["-c", config, "-g", "g", "--lockname", "v6job", "--", "true"], { host: HOST });
    assert.equal(competitor.code, 0, competitor.stderr);
    assert.equal(competitor.stderr, "");

    writeFileSync(until, "");
    const result = await holder.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readRecord(record).filter((e) => e.kind === "start").length, 1, "the competitor never ran the job");
    const gone = await call<Stat | null>((cb) => client.exists(`${PREFIX}/locks/v6job`, cb));
    assert.equal(gone, null, "the session was closed at exit: the lock is free at once");
  });

  it("[::1] where nothing listens is unreachable (exit 75), not a configuration error", async () => {
    const closed = await freePortOnIpv6Loopback();
    const config = writeConfig(tmp.path, "ipv6-closed", { zkhosts: `[::1]:${closed}`, prefix: PREFIX, connect_timeout: 1, session_timeout: 7, termination_timeout: 1 });
    const result = await runSwitchman(["-c", config, "--", "true"], { host: HOST });
    assert.equal(result.code, 75, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot reach ZooKeeper at \\[::1\\]:${closed}`));
  });
});
