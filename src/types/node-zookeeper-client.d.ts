/**
 * Type declarations for node-zookeeper-client 1.1.3 (pure JavaScript, ships no types).
 * Only what cronmeta uses is declared; names and shapes follow the package's index.js and
 * lib/*.js. `connectionManager` is internal to the package: switchman reaches into it for
 * the things the public API cannot do (drop a socket to a silent server, connect to IPv6
 * addresses, choose the member of each reconnect; see src/switchman/zookeeper/session.ts and
 * member-choice.ts). `lib/jute` is the package's wire encoding, used by grant-probe.ts.
 */
declare module "node-zookeeper-client" {
  import type { EventEmitter } from "node:events";
  import type { Socket } from "node:net";

  /** lib/Exception.js: every error a request callback receives. */
  export interface ZooKeeperException extends Error {
    readonly code: number;
    getCode(): number;
    getName(): string;
    getPath(): string | undefined;
  }

  /** lib/Exception.js: the error codes (negative, as on the wire). */
  export const Exception: {
    readonly OK: 0;
    readonly SYSTEM_ERROR: -1;
    readonly CONNECTION_LOSS: -4;
    readonly OPERATION_TIMEOUT: -7;
    readonly NO_NODE: -101;
    readonly NO_AUTH: -102;
    readonly BAD_VERSION: -103;
    readonly NO_CHILDREN_FOR_EPHEMERALS: -108;
    readonly NODE_EXISTS: -110;
    readonly NOT_EMPTY: -111;
    readonly SESSION_EXPIRED: -112;
    readonly AUTH_FAILED: -115;
  };

  /** lib/CreateMode.js */
  export const CreateMode: {
    readonly PERSISTENT: 0;
    readonly EPHEMERAL: 1;
    readonly PERSISTENT_SEQUENTIAL: 2;
    readonly EPHEMERAL_SEQUENTIAL: 3;
  };

  /** lib/Event.js: a fired (one-shot) watch. */
  export interface Event {
    getType(): number;
    getName(): string;
    getPath(): string;
  }

  /** lib/Event.js: event types. */
  export const Event: {
    readonly NODE_CREATED: 1;
    readonly NODE_DELETED: 2;
    readonly NODE_DATA_CHANGED: 3;
    readonly NODE_CHILDREN_CHANGED: 4;
  };

  /** jute data.Stat; `long` fields are 8-byte big-endian Buffers. */
  export interface Stat {
    czxid: Buffer;
    mzxid: Buffer;
    ctime: Buffer;
    mtime: Buffer;
    version: number;
    cversion: number;
    aversion: number;
    /** Session id of the owner of an ephemeral node; all zero for a persistent node. */
    ephemeralOwner: Buffer;
    dataLength: number;
    numChildren: number;
    pzxid: Buffer;
  }

  /** lib/ACL.js (opaque here). */
  export interface ACL {
    readonly perms: number;
  }
  export const ACL: { readonly OPEN_ACL_UNSAFE: ACL[] };

  export interface ClientOptions {
    /** Requested session timeout in milliseconds (the server may negotiate another). */
    sessionTimeout?: number;
    /** Upper bound of the random wait before another round over all servers, ms. */
    spinDelay?: number;
    /** Retries on CONNECTION_LOSS; 0 = none. */
    retries?: number;
  }

  /** lib/ConnectionManager.js STATES (internal). */
  export interface ConnectionManagerInternals {
    /** DISCONNECTED 0, CONNECTING 1, CONNECTED 2, READ_ONLY 3, CLOSING -1, CLOSED -2, EXPIRED -3, AUTH_FAILED -4. */
    state: number;
    /** The current TCP connection (replaced on every connect attempt). */
    socket?: Socket;
    /** The servers to connect to, in the order tried (net.connect options). */
    servers: { host: string; port: number | string }[];
    /** The timeout the next connect request asks for, ms: the last one granted. */
    sessionTimeout: number;
    /** Picks the server of the next connect attempt and calls back with it (asynchronously). */
    findNextServer(callback: (server: { host: string; port: number | string }) => void): void;
    /** lib/ConnectionManager.js setState: emitted with the new state on every change (the manager is an EventEmitter). */
    on(event: "state", listener: (state: number) => void): this;
    removeListener(event: "state", listener: (state: number) => void): this;
  }

  /** lib/Transaction.js: a multi request. */
  export interface Transaction {
    check(path: string, version?: number): Transaction;
    commit(callback: (error: ZooKeeperException | null, results: unknown[]) => void): void;
  }

  type Callback<T> = (error: ZooKeeperException | null, result: T) => void;
  type Watcher = (event: Event) => void;

  export interface Client extends EventEmitter {
    connect(): void;
    close(): void;
    getSessionId(): Buffer;
    /** Negotiated session timeout in ms, valid once connected. */
    getSessionTimeout(): number;
    /** Internal, see the module comment. */
    readonly connectionManager: ConnectionManagerInternals;

    on(event: "connected" | "disconnected" | "expired" | "authenticationFailed", listener: () => void): this;
    once(event: "connected" | "disconnected" | "expired" | "authenticationFailed", listener: () => void): this;

    create(path: string, data: Buffer | null, acls: ACL[], mode: number, callback: Callback<string>): void;
    create(path: string, data: Buffer | null, mode: number, callback: Callback<string>): void;
    create(path: string, callback: Callback<string>): void;
    remove(path: string, version: number, callback: (error: ZooKeeperException | null) => void): void;
    exists(path: string, watcher: Watcher, callback: Callback<Stat | null>): void;
    exists(path: string, callback: Callback<Stat | null>): void;
    getData(
      path: string,
      watcher: Watcher,
      callback: (error: ZooKeeperException | null, data: Buffer | undefined, stat: Stat) => void,
    ): void;
    getData(path: string, callback: (error: ZooKeeperException | null, data: Buffer | undefined, stat: Stat) => void): void;
    setData(path: string, data: Buffer, version: number, callback: Callback<Stat>): void;
    getChildren(path: string, callback: (error: ZooKeeperException | null, children: string[], stat: Stat) => void): void;
    getChildren(
      path: string,
      watcher: Watcher,
      callback: (error: ZooKeeperException | null, children: string[], stat: Stat) => void,
    ): void;
    transaction(): Transaction;
  }

  export function createClient(connectionString: string, options?: ClientOptions): Client;

  const zookeeper: {
    createClient: typeof createClient;
    Exception: typeof Exception;
    CreateMode: typeof CreateMode;
    Event: typeof Event;
    ACL: typeof ACL;
  };
  export default zookeeper;
}

/** lib/jute: the package's encoding of ZooKeeper's wire records (only what cronmeta uses). */
declare module "node-zookeeper-client/lib/jute/index.js" {
  interface JuteRecord {
    byteLength(): number;
    serialize(buffer: Buffer, offset: number): number;
    deserialize(buffer: Buffer, offset: number): number;
  }
  interface ConnectRequest extends JuteRecord {
    timeOut: number;
  }
  interface ConnectResponse extends JuteRecord {
    protocolVersion: number;
    timeOut: number;
    sessionId: Buffer;
    passwd: Buffer;
  }
  const jute: {
    PROTOCOL_VERSION: number;
    OP_CODES: { readonly CLOSE_SESSION: number };
    /** A request: `toBuffer()` prefixes the records with their length. */
    Request: new (header: JuteRecord | null, payload: JuteRecord | null) => { toBuffer(): Buffer };
    protocol: {
      ConnectRequest: new (protocolVersion: number, lastZxidSeen: Buffer, timeOut: number, sessionId: Buffer, passwd: Buffer) => ConnectRequest;
      ConnectResponse: new () => ConnectResponse;
      RequestHeader: new (xid: number, type: number) => JuteRecord;
    };
  };
  export default jute;
}
