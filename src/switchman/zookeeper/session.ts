/**
 * One ZooKeeper session through node-zookeeper-client, made safe to rely on:
 *
 * - the client has no read timeout, so every request here is a promise with its own timeout;
 * - it can drop the callbacks of requests queued while disconnected (lib/ConnectionManager.js
 *   only fails the *sent* ones on socket close), which the timeouts also cover;
 * - it throws synchronously on a bad path (lib/Path.js asserts), so those throws are caught
 *   and turned into a failed request;
 * - it waits forever for the handshake of a member that accepts TCP but never answers (the
 *   connect timer is cleared on TCP connect), so a watchdog drops such a socket, which makes
 *   the client move on to the next server;
 * - after expiry it is dead: every later request fails with SESSION_EXPIRED;
 * - its connect-string parser splits `host:port` at the first `:`, which garbles `[::1]:2181`,
 *   so the session hands it the server list parsed by src/syntax/zkhosts.ts (see useServers);
 * - it reconnects to whichever member comes next, and every member may grant another session
 *   timeout, which the leader then applies whether or not the answer reaches the client. The
 *   first answer sets the session's *floor*, min(asked, granted); from then on a reconnect goes
 *   only to a member that has just shown it grants at least the floor (member-choice.ts), and
 *   an answer that grants less all the same is reported at once (onShortened).
 */
import zookeeper from "node-zookeeper-client";
import type { Client, Stat, ZooKeeperException } from "node-zookeeper-client";
import { parseZkhosts, zkhostsProblem, type ZkServerAddress } from "../../syntax/zkhosts.js";
import { SwitchmanError } from "../coordinator.js";
import { MemberChoice, memberName } from "./member-choice.js";

/** Connection states of lib/ConnectionManager.js that matter here. */
const CM_CONNECTED = 2;
const CM_CLOSED = -2;

/** How often the handshake watchdog looks at the connection, ms. */
const WATCHDOG_TICK_MS = 200;
/** Random wait before another round over all servers (client option `spinDelay`), ms. */
const SPIN_DELAY_MS = 200;
/** A session granted just as switchman was told to stop is closed within this long, ms. */
const CLOSE_ON_ABORT_MS = 500;

/** A failed request: a ZooKeeper error code (negative, see lib/Exception.js) or a timeout. */
export class ZkCallError extends Error {
  override readonly name = "ZkCallError";
  constructor(
    message: string,
    /** ZooKeeper's error code, "TIMEOUT" when no answer came in time, "CLOSED" when the session was closed. */
    readonly code: number | "TIMEOUT" | "CLOSED",
  ) {
    super(message);
  }
}

/** What opening a session needs. */
export interface SessionOptions {
  /** Connect string `host:port,host:port`. */
  zkhosts: string;
  /** Requested session timeout, ms. */
  sessionTimeoutMs: number;
  /** Give up on a handshake (TCP accepted, no answer) after this long and try the next server, ms. */
  handshakeTimeoutMs: number;
  /** Members that grant too little are reported here (warning). */
  log?: (level: "debug" | "info" | "warning" | "critical", message: string) => void;
}

type Listener = () => void;
/** A reconnect answered with less than the floor: what was granted, and by which member. */
type ShortenedListener = (grantedMs: number, member: string) => void;

/** The servers of `zkhosts` (the config's own rule); SwitchmanError (exit 2) when it is not valid. */
export function checkZkhosts(zkhosts: string): ZkServerAddress[] {
  const servers = parseZkhosts(zkhosts);
  if (servers === undefined) {
    throw new SwitchmanError(`bad zkhosts ${JSON.stringify(zkhosts)}: ${zkhostsProblem(zkhosts) ?? "invalid"}`, 2);
  }
  return servers;
}

/**
 * node-zookeeper-client 1.1.3 connects with `net.connect(server)` to the `{ host, port }` entries
 * of `connectionManager.servers`, read afresh on every attempt (lib/ConnectionManager.js
 * findNextServer); net.connect takes IPv6 addresses as they are. Its own parser
 * (lib/ConnectionStringParser.js) splits each entry at the first `:`, so `[::1]:2181` would
 * become host `[`. switchman replaces the list with its own parse, in random order as the
 * library does (a fleet's sessions spread over the members). The client is pinned to 1.1.3
 * (package.json); a release whose manager lacks that list fails here, loudly, not in a connect.
 */
function useServers(client: Client, servers: ZkServerAddress[]): void {
  const manager = client.connectionManager;
  if (!Array.isArray(manager.servers) || manager.servers.length !== servers.length) {
    throw new Error("node-zookeeper-client: connectionManager.servers is not the list of 1.1.3");
  }
  const shuffled = [...servers];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as ZkServerAddress, shuffled[i] as ZkServerAddress];
  }
  manager.servers = shuffled;
}

/** A connected ZooKeeper session. Create with {@link ZkSession.open}. */
export class ZkSession {
  private readonly connectedListeners = new Set<Listener>();
  private readonly disconnectedListeners = new Set<Listener>();
  private readonly expiredListeners = new Set<Listener>();
  private readonly shortenedListeners = new Set<ShortenedListener>();
  private expired = false;
  private closed = false;
  private watchdog: NodeJS.Timeout | undefined;
  private watchedSocket: unknown;
  private watchedSince = 0;
  private floor: number | undefined;
  /** Requests not settled yet: close() fails them at once (the client may never call them back). */
  private readonly pending = new Set<() => void>();

  private constructor(
    private readonly client: Client,
    private readonly options: SessionOptions,
    private readonly members: MemberChoice,
  ) {
    client.on("connected", () => this.connected());
    client.on("disconnected", () => this.disconnectedListeners.forEach((l) => l()));
    client.on("expired", () => {
      this.expired = true;
      this.members.stop();
      this.expiredListeners.forEach((l) => l());
    });
  }

  /**
   * Connects and waits for a session. Throws SwitchmanError 75 when none is established within
   * `connectTimeoutMs` (servers down, silent, or the session refused) or when `signal` aborts
   * first (switchman is stopping: nothing is left behind), 2 for a bad connect string.
   */
  static async open(options: SessionOptions, connectTimeoutMs: number, signal?: AbortSignal): Promise<ZkSession> {
    const servers = checkZkhosts(options.zkhosts);
    const client = zookeeper.createClient(options.zkhosts, {
      sessionTimeout: options.sessionTimeoutMs,
      spinDelay: SPIN_DELAY_MS,
      retries: 0,
    });
    useServers(client, servers);
    const members = new MemberChoice({ servers, probeTimeoutMs: options.handshakeTimeoutMs, log: options.log ?? (() => undefined) });
    members.install(client.connectionManager);
    const session = new ZkSession(client, options, members);
    session.startWatchdog();
    const outcome = await new Promise<"connected" | "expired" | "auth" | "timeout" | "aborted">((resolve) => {
      const done = (result: "connected" | "expired" | "auth" | "timeout" | "aborted"): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", aborted);
        resolve(result);
      };
      const aborted = (): void => done("aborted");
      const timer = setTimeout(() => done("timeout"), connectTimeoutMs);
      if (signal?.aborted) {
        done("aborted");
        return;
      }
      signal?.addEventListener("abort", aborted);
      client.once("connected", () => done("connected"));
      client.once("expired", () => done("expired"));
      client.once("authenticationFailed", () => done("auth"));
      client.connect();
    });
    if (outcome !== "connected") {
      // A session that was granted meanwhile is closed properly: no lingering ephemeral owner.
      await session.close(outcome === "aborted" ? CLOSE_ON_ABORT_MS : 0);
      const why = {
        timeout: `no ZooKeeper session within ${connectTimeoutMs / 1000} s (connect_timeout)`,
        expired: "ZooKeeper refused the session",
        auth: "ZooKeeper authentication failed",
        aborted: "switchman is stopping",
      }[outcome];
      throw new SwitchmanError(`cannot reach ZooKeeper at ${options.zkhosts}: ${why}`, 75);
    }
    return session;
  }

  /** The session id (8 bytes), as found in the `ephemeralOwner` of the nodes we create. */
  get sessionId(): Buffer {
    return this.client.getSessionId();
  }

  /** The session timeout the member of the current (or last) connection granted, ms. */
  get negotiatedTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /**
   * The session timeout the safety budget may rest on, ms: min(asked, first granted). No member
   * that grants less is ever reconnected to; undefined until the session exists.
   */
  get floorMs(): number | undefined {
    return this.floor;
  }

  /** True while a connection with a live session is up. */
  get isConnected(): boolean {
    return !this.expired && !this.closed && this.client.connectionManager.state === CM_CONNECTED;
  }

  /** True when `stat` is an ephemeral node owned by this session. */
  owns(stat: Stat | null): boolean {
    return stat !== null && stat.ephemeralOwner.equals(this.sessionId);
  }

  onConnected(listener: Listener): void {
    this.connectedListeners.add(listener);
  }

  onDisconnected(listener: Listener): void {
    this.disconnectedListeners.add(listener);
  }

  onExpired(listener: Listener): void {
    this.expiredListeners.add(listener);
  }

  /** A reconnect was answered with less than the floor (a member's limits changed since it was asked). */
  onShortened(listener: ShortenedListener): void {
    this.shortenedListeners.add(listener);
  }

  /** Drops the current TCP connection: the client reconnects (to the next server) with the same session. */
  dropConnection(): void {
    if (!this.closed) this.client.connectionManager.socket?.destroy();
  }

  /** `getData` with a timeout; the watcher (if any) is armed only when the call succeeds. */
  getData(
    path: string,
    timeoutMs: number,
    watcher?: (event: { getType(): number }) => void,
  ): Promise<{ data: Buffer | undefined; stat: Stat }> {
    return this.call(`getData ${path}`, timeoutMs, (settle) => {
      const cb = (error: ZooKeeperException | null, data: Buffer | undefined, stat: Stat): void =>
        settle(error, { data, stat });
      if (watcher) this.client.getData(path, watcher, cb);
      else this.client.getData(path, cb);
    });
  }

  /** `exists` with a timeout: the node's stat, or null when there is none. */
  exists(path: string, timeoutMs: number, watcher?: (event: { getType(): number }) => void): Promise<Stat | null> {
    return this.call(`exists ${path}`, timeoutMs, (settle) => {
      if (watcher) this.client.exists(path, watcher, settle);
      else this.client.exists(path, settle);
    });
  }

  /** `create` with a timeout (open ACL, as App::switchman). */
  create(path: string, data: Buffer | null, mode: number, timeoutMs: number): Promise<string> {
    return this.call(`create ${path}`, timeoutMs, (settle) => {
      this.client.create(path, data, zookeeper.ACL.OPEN_ACL_UNSAFE, mode, settle);
    });
  }

  /**
   * `getChildren` with a timeout: the children's names (`switchman --status` lists `<prefix>/runs`).
   * With a watcher, the one-shot child watch is armed by this very read (leases wait on it).
   */
  getChildren(path: string, timeoutMs: number, watcher?: (event: { getType(): number }) => void): Promise<string[]> {
    return this.call(`getChildren ${path}`, timeoutMs, (settle) => {
      const cb = (error: ZooKeeperException | null, children: string[] | undefined): void => settle(error, children ?? []);
      if (watcher) this.client.getChildren(path, watcher, cb);
      else this.client.getChildren(path, cb);
    });
  }

  /** `delete` with a timeout (version -1: any); only ever used on nodes this session owns. */
  remove(path: string, timeoutMs: number): Promise<void> {
    return this.call(`delete ${path}`, timeoutMs, (settle) => {
      this.client.remove(path, -1, (error) => settle(error, undefined));
    });
  }

  /** {@link checkNode} for several paths in one multi request: one write, all or nothing. */
  checkNodes(paths: readonly string[], timeoutMs: number): Promise<void> {
    return this.call(`check ${paths.join(" ")}`, timeoutMs, (settle) => {
      let transaction = this.client.transaction();
      for (const path of paths) transaction = transaction.check(path, -1);
      transaction.commit((error) => settle(error, undefined));
    });
  }

  /** `setData` with a timeout: a write, so its answer comes from the quorum's leader. */
  setData(path: string, data: Buffer, version: number, timeoutMs: number): Promise<Stat> {
    return this.call(`setData ${path}`, timeoutMs, (settle) => {
      this.client.setData(path, data, version, settle);
    });
  }

  /**
   * A write that changes nothing: a multi request holding one `check` that `path` exists. It
   * goes through the leader like any write (answered only once committed) and fails with
   * NO_NODE when the node is gone; it never touches the node, whoever owns it.
   */
  checkNode(path: string, timeoutMs: number): Promise<void> {
    return this.call(`check ${path}`, timeoutMs, (settle) => {
      this.client.transaction().check(path, -1).commit((error) => settle(error, undefined));
    });
  }

  /**
   * Closes the session so that the server deletes our ephemeral nodes at once, waiting at most
   * `timeoutMs` for the server's answer; then drops the socket whatever happened, so a frozen
   * server cannot keep the process alive. Idempotent, never throws.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.members.stop();
    for (const fail of [...this.pending]) fail();
    if (this.watchdog) clearInterval(this.watchdog);
    const manager = this.client.connectionManager;
    const wasConnected = manager.state === CM_CONNECTED && !this.expired;
    try {
      this.client.close();
    } catch {
      // close() only queues a packet; nothing useful to report if the client is in a bad state.
    }
    if (wasConnected && timeoutMs > 0 && manager.state !== CM_CLOSED) {
      // Woken by the state change itself (the server answers the close and drops the socket
      // in a few ms): a 20 ms poll here cost every ZooKeeper run and skip about 20 ms of wall.
      await new Promise<void>((resolve) => {
        const onState = (state: number): void => {
          if (state === CM_CLOSED) done();
        };
        const done = (): void => {
          clearTimeout(timer);
          manager.removeListener("state", onState);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        manager.on("state", onState);
      });
    }
    // In state CLOSING a socket close does not reconnect (lib/ConnectionManager.js onSocketClosed).
    manager.socket?.destroy();
  }

  /** Every answered connect: the first sets the floor, a later one below it is reported. */
  private connected(): void {
    const granted = this.client.getSessionTimeout();
    if (this.floor === undefined) {
      this.floor = Math.min(granted, this.options.sessionTimeoutMs);
      this.members.setFloor(this.floor);
    } else if (granted < this.floor) {
      const manager = this.client.connectionManager;
      const member = manager.socket?.remoteAddress ? memberName({ host: manager.socket.remoteAddress, port: manager.socket.remotePort ?? "?" }) : "?";
      // The client would ask the lower figure from now on, which no member could then beat.
      manager.sessionTimeout = this.options.sessionTimeoutMs;
      this.shortenedListeners.forEach((l) => l(granted, member));
    }
    this.connectedListeners.forEach((l) => l());
  }

  private startWatchdog(): void {
    this.watchdog = setInterval(() => {
      const manager = this.client.connectionManager;
      if (manager.state === CM_CONNECTED || this.expired || this.closed) {
        this.watchedSocket = undefined;
        return;
      }
      const socket = manager.socket;
      if (socket !== this.watchedSocket) {
        this.watchedSocket = socket;
        this.watchedSince = Date.now();
      } else if (socket && Date.now() - this.watchedSince > this.options.handshakeTimeoutMs) {
        // TCP accepted but no handshake answer: node-zookeeper-client would wait forever.
        socket.destroy();
      }
    }, WATCHDOG_TICK_MS);
    this.watchdog.unref();
  }

  private call<T>(
    what: string,
    timeoutMs: number,
    start: (settle: (error: ZooKeeperException | null, result: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(closed);
        outcome();
      };
      const fail = (message: string, code: number | "TIMEOUT" | "CLOSED"): void =>
        finish(() => reject(new ZkCallError(`${what}: ${message}`, code)));
      const closed = (): void => fail("session closed", "CLOSED");
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`, "TIMEOUT"), timeoutMs);
      const settle = (error: ZooKeeperException | null, result: T): void =>
        finish(() => (error ? reject(new ZkCallError(`${what}: ${error.getName()}`, error.getCode())) : resolve(result)));
      if (this.closed) {
        closed();
        return;
      }
      this.pending.add(closed);
      try {
        start(settle);
      } catch (thrown) {
        // lib/Path.js and the argument checks throw synchronously.
        fail(thrown instanceof Error ? thrown.message : String(thrown), zookeeper.Exception.SYSTEM_ERROR);
      }
    });
  }
}
