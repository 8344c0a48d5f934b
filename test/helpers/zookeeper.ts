/**
 * Real ZooKeeper servers for tests, from Debian's `zookeeper` package: standalone servers and
 * 3-node ensembles on 127.0.0.1 with random free ports and temporary data directories. Every
 * server runs under `setpriv --pdeathsig KILL`, so it dies with the test process even when that
 * is killed; `stop()` (call it in an `after` hook) and a process exit handler kill the rest.
 * Also: a plain test client (node-zookeeper-client with a timeout on every call) to arrange and
 * inspect znodes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { after, before } from "node:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zookeeper from "node-zookeeper-client";
import type { Client, Stat, ZooKeeperException } from "node-zookeeper-client";
import { testOutputDir } from "./paths.js";

const ZOOKEEPER_JAR = "/usr/share/java/zookeeper.jar";
const CLASSPATH = `/etc/zookeeper/conf:${ZOOKEEPER_JAR}:/usr/share/java/*`;
const SERVE_TIMEOUT_MS = 60_000;

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** Fails with the Debian package to install when ZooKeeper or setpriv is missing. */
export function requireZooKeeper(): void {
  if (!existsSync(ZOOKEEPER_JAR)) {
    throw new Error(`${ZOOKEEPER_JAR} is missing: install Debian package zookeeper (apt-get install zookeeper)`);
  }
  if (!existsSync("/usr/bin/setpriv")) throw new Error("setpriv is missing: install Debian package util-linux");
}

/** Timing knobs of a test server. */
export interface ZkServerSettings {
  /** ms; short so that session expiry and elections are quick. Default 500. */
  tickTime?: number;
  /** ms; the server clamps requested session timeouts into [min, max]. Defaults 1000 and 60000. */
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /**
   * Overrides for single members of an ensemble, by server id (1-based): members that grant
   * different session limits, as a rolling configuration change leaves them for hours.
   */
  members?: Record<number, Omit<ZkServerSettings, "members">>;
}

/** One ZooKeeper server process. */
export class ZkServer {
  private child: ChildProcess | undefined;
  private frozen = false;

  constructor(
    readonly id: number,
    readonly clientPort: number,
    private readonly configFile: string,
    private readonly logFile: string,
  ) {}

  /** `127.0.0.1:<clientPort>`. */
  get address(): string {
    return `127.0.0.1:${this.clientPort}`;
  }

  /** The java process id (undefined when not running). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server process (does not wait until it serves). */
  start(): void {
    if (this.child) return;
    const log = openSync(this.logFile, "a");
    const child = spawn(
      "/usr/bin/setpriv",
      [
        "--pdeathsig",
        "KILL",
        "--",
        "java",
        "-Xmx96m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        CLASSPATH,
        "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        this.configFile,
      ],
      { stdio: ["ignore", log, log] },
    );
    closeSync(log);
    live.add(child);
    this.child = child;
    this.frozen = false;
    child.on("exit", () => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
    });
  }

  /** `kill -STOP`: the process keeps its sockets but answers nothing. */
  freeze(): void {
    if (this.child?.pid) {
      process.kill(this.child.pid, "SIGSTOP");
      this.frozen = true;
    }
  }

  /** `kill -CONT`. */
  thaw(): void {
    if (this.child?.pid && this.frozen) {
      process.kill(this.child.pid, "SIGCONT");
      this.frozen = false;
    }
  }

  /** `kill -9`, and waits until the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await gone;
    this.frozen = false;
  }

  /** The `Mode:` line of the `srvr` four-letter word, or undefined when the server does not answer. */
  async mode(timeoutMs = 1000): Promise<string | undefined> {
    const out = await fourLetterWord(this.clientPort, "srvr", timeoutMs);
    return /^Mode: (\S+)/m.exec(out)?.[1];
  }

  /** Waits until the server serves clients (standalone, leader or follower). */
  async waitServing(timeoutMs = SERVE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mode = await this.mode();
      if (mode === "standalone" || mode === "leader" || mode === "follower") return;
      await sleep(100);
    }
    throw new Error(`ZooKeeper server ${this.id} on port ${this.clientPort} not serving after ${timeoutMs} ms (log: ${this.logFile})`);
  }
}

/** A set of servers started together (one standalone, or an ensemble). */
export class ZkCluster {
  constructor(
    readonly servers: ZkServer[],
    private readonly dataRoot: string,
  ) {}

  /** Connect string over all servers. */
  get connectString(): string {
    return this.servers.map((s) => s.address).join(",");
  }

  /** The server that is currently the leader (ensembles only). */
  async leader(): Promise<ZkServer> {
    const deadline = Date.now() + SERVE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      for (const server of this.servers) {
        if (server.isRunning && (await server.mode()) === "leader") return server;
      }
      await sleep(100);
    }
    throw new Error("no leader elected");
  }

  /** Waits until every running server serves. */
  async waitServing(): Promise<void> {
    await Promise.all(this.servers.filter((s) => s.isRunning).map((s) => s.waitServing()));
  }

  /** Kills every server (thawing frozen ones first is not needed: SIGKILL works on stopped processes) and removes the data. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.kill()));
    rmSync(this.dataRoot, { recursive: true, force: true });
  }
}

/** Starts one standalone server and waits until it serves. */
export async function startStandalone(settings: ZkServerSettings = {}): Promise<ZkCluster> {
  return startServers(1, settings);
}

/** Starts an ensemble of `size` servers (default 3) and waits until all serve. */
export async function startEnsemble(size = 3, settings: ZkServerSettings = {}): Promise<ZkCluster> {
  return startServers(size, settings);
}

async function startServers(size: number, settings: ZkServerSettings): Promise<ZkCluster> {
  requireZooKeeper();
  const dataRoot = mkdtempSync(join(tmpdir(), "cronmeta-zk-"));
  const logDir = join(testOutputDir, "zookeeper");
  mkdirSync(logDir, { recursive: true });
  const ports = await freePorts(size === 1 ? 1 : size * 3);
  const quorumLines =
    size === 1
      ? []
      : Array.from({ length: size }, (_, i) => `server.${i + 1}=127.0.0.1:${ports[size + 2 * i]}:${ports[size + 2 * i + 1]}`);
  const servers: ZkServer[] = [];
  for (let i = 0; i < size; i++) {
    const id = i + 1;
    const dataDir = join(dataRoot, `server${id}`);
    mkdirSync(dataDir);
    const clientPort = ports[i] as number;
    const own = { ...settings, ...settings.members?.[id] };
    const cfg = [
      `tickTime=${own.tickTime ?? 500}`,
      `dataDir=${dataDir}`,
      `clientPort=${clientPort}`,
      "clientPortAddress=127.0.0.1",
      "admin.enableServer=false",
      "4lw.commands.whitelist=srvr,stat,ruok,cons,mntr",
      `minSessionTimeout=${own.minSessionTimeout ?? 1000}`,
      `maxSessionTimeout=${own.maxSessionTimeout ?? 60000}`,
      ...(size === 1 ? [] : ["initLimit=20", "syncLimit=4", ...quorumLines]),
      "",
    ].join("\n");
    const configFile = join(dataDir, "zoo.cfg");
    writeFileSync(configFile, cfg);
    if (size > 1) writeFileSync(join(dataDir, "myid"), `${id}\n`);
    const logFile = join(logDir, `server-${clientPort}.log`);
    writeFileSync(logFile, "");
    servers.push(new ZkServer(id, clientPort, configFile, logFile));
  }
  const cluster = new ZkCluster(servers, dataRoot);
  try {
    servers.forEach((s) => s.start());
    await cluster.waitServing();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** `count` distinct free TCP ports on 127.0.0.1 (bound, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    ports.push((server.address() as net.AddressInfo).port);
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Sends a four-letter word and returns the whole answer ("" when none within the timeout). */
export function fourLetterWord(port: number, word: string, timeoutMs = 1000, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    const socket = net.connect(port, host);
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("connect", () => socket.write(word));
    socket.on("data", (d) => (out += d.toString("utf8")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/**
 * A loopback TCP server that accepts connections and never answers: a ZooKeeper member that
 * "accepts TCP but never answers".
 */
export async function startSilentServer(): Promise<{ address: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    connections: () => accepted,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    },
  };
}

/** A test's own ZooKeeper client (not switchman's code), every call bounded by a timeout. */
export class TestZk {
  private constructor(private readonly client: Client) {}

  /** Connects to `connectString` within `timeoutMs`. */
  static async connect(connectString: string, timeoutMs = 15_000, sessionTimeoutMs = 30_000): Promise<TestZk> {
    const client = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, spinDelay: 100 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        client.connectionManager.socket?.destroy();
        reject(new Error(`test client: no session with ${connectString} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.once("connected", () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    return new TestZk(client);
  }

  /** The session id as hex (compare with a node's ephemeralOwner). */
  get sessionIdHex(): string {
    return this.client.getSessionId().toString("hex");
  }

  /** Creates `path` (persistent unless `mode` says otherwise), parents included. */
  async createPath(path: string, data = "", mode: number = zookeeper.CreateMode.PERSISTENT): Promise<void> {
    const parts = path.split("/").slice(1);
    for (let i = 1; i < parts.length; i++) {
      const parent = "/" + parts.slice(0, i).join("/");
      await this.call<string>((cb) =>
        this.client.create(parent, null, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb),
      ).catch((e: unknown) => {
        if (!isCode(e, zookeeper.Exception.NODE_EXISTS)) throw e;
      });
    }
    await this.call<string>((cb) =>
      this.client.create(path, Buffer.from(data), zookeeper.ACL.OPEN_ACL_UNSAFE, mode, cb),
    );
  }

  /** Creates or overwrites the switchman prefix node with `{"groups": groups}` (or raw text). */
  async setPrefix(prefix: string, content: { groups: Record<string, string | string[]> } | string): Promise<void> {
    const text = typeof content === "string" ? content : JSON.stringify(content);
    const stat = await this.exists(prefix);
    if (stat === null) await this.createPath(prefix, text);
    else await this.call<Stat>((cb) => this.client.setData(prefix, Buffer.from(text), -1, cb));
  }

  /** The node's stat, or null. */
  exists(path: string): Promise<Stat | null> {
    return this.call<Stat | null>((cb) => this.client.exists(path, cb));
  }

  /** The node's data as text and its stat, or null when there is no node. */
  async get(path: string): Promise<{ data: string; stat: Stat; ownerHex: string } | null> {
    try {
      const [data, stat] = await this.call<[Buffer | undefined, Stat]>((cb) =>
        this.client.getData(path, (error, d, st) => cb(error, [d, st])),
      );
      return { data: data?.toString("utf8") ?? "", stat, ownerHex: stat.ephemeralOwner.toString("hex") };
    } catch (e) {
      if (isCode(e, zookeeper.Exception.NO_NODE)) return null;
      throw e;
    }
  }

  /** Children names, or [] when the node does not exist. */
  async children(path: string): Promise<string[]> {
    try {
      return await this.call<string[]>((cb) => this.client.getChildren(path, cb));
    } catch (e) {
      if (isCode(e, zookeeper.Exception.NO_NODE)) return [];
      throw e;
    }
  }

  /** Deletes a node (an operator's `delete`); NO_NODE is fine. */
  async remove(path: string): Promise<void> {
    try {
      await this.call<null>((cb) => this.client.remove(path, -1, (error) => cb(error, null)));
    } catch (e) {
      if (!isCode(e, zookeeper.Exception.NO_NODE)) throw e;
    }
  }

  /** Every node under `root` (depth first), `root` included, or [] when it does not exist. */
  async tree(root: string): Promise<string[]> {
    if ((await this.exists(root)) === null) return [];
    const out = [root];
    for (const child of await this.children(root)) out.push(...(await this.tree(`${root === "/" ? "" : root}/${child}`)));
    return out;
  }

  /** Closes the session (its ephemeral nodes go at once). */
  async close(): Promise<void> {
    this.client.close();
    await sleep(50);
    this.client.connectionManager.socket?.destroy();
  }

  /**
   * One request with a timeout, retried on CONNECTION_LOSS (a test may freeze or kill the server
   * this client talks to) until 15 s have passed.
   */
  private async call<T>(start: (cb: (error: ZooKeeperException | null, result: T) => void) => void): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        return await new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("test client: ZooKeeper call timed out")), 5_000);
          start((error, result) => {
            clearTimeout(timer);
            if (error) reject(error);
            else resolve(result);
          });
        });
      } catch (e) {
        const retryable = isCode(e, zookeeper.Exception.CONNECTION_LOSS) || (e instanceof Error && /timed out/.test(e.message));
        if (!retryable || Date.now() > deadline) throw e;
        await sleep(100);
      }
    }
  }
}

function isCode(error: unknown, code: number): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

/** Promise-based sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The ZooKeeper fixture of a suite: starts a cluster (`start`, e.g. `startStandalone` or
 * `() => startEnsemble(3)`) before the suite's tests with a connected {@link TestZk}, hands both
 * to `ready`, and after the tests thaws every server, closes the client and stops the cluster.
 */
export function useZooKeeper(start: () => Promise<ZkCluster>, ready: (zk: ZkCluster, client: TestZk) => void | Promise<void>): void {
  let zk: ZkCluster | undefined;
  let client: TestZk | undefined;
  before(async () => {
    zk = await start();
    client = await TestZk.connect(zk.connectString);
    await ready(zk, client);
  });
  after(async () => {
    zk?.servers.forEach((server) => server.thaw());
    await client?.close();
    await zk?.stop();
  });
}
