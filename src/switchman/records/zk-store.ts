/**
 * switchman's ZooKeeper session (zookeeper/session.ts) as the record store and reader of
 * zookeeper-records.ts and status-read.ts: ZooKeeper's error codes become StoreError codes, and
 * a FINISH after the session expired gets a fresh session of its own (closed with the
 * coordinator). Never used on a skip.
 */
import zookeeper from "node-zookeeper-client";
import type { SwitchmanConfig } from "../config.js";
import { SwitchmanError } from "../coordinator.js";
import { ZkCallError, ZkSession, type SessionOptions } from "../zookeeper/session.js";
import type { FleetReader } from "./status-read.js";
import { StoreError, type RecordStore, type RunRecordAccess, type StoreErrorCode } from "./zookeeper-records.js";

const { CreateMode, Exception } = zookeeper;

/** How long closing a session of its own may take, ms (as the coordinator's close). */
const CLOSE_TIMEOUT_MS = 1500;

const CODES = new Map<number, StoreErrorCode>([
  [Exception.NO_NODE, "NO_NODE"],
  [Exception.NODE_EXISTS, "NODE_EXISTS"],
  [Exception.BAD_VERSION, "BAD_VERSION"],
  [Exception.NO_AUTH, "NO_AUTH"],
  [Exception.CONNECTION_LOSS, "CONNECTION_LOSS"],
  [Exception.SESSION_EXPIRED, "SESSION_EXPIRED"],
]);

function translated<T>(call: () => Promise<T>): Promise<T> {
  return call().catch((error: unknown) => {
    if (!(error instanceof ZkCallError)) throw error;
    const code: StoreErrorCode = typeof error.code === "number" ? (CODES.get(error.code) ?? "OTHER") : error.code;
    throw new StoreError(error.message, code);
  });
}

/**
 * The record calls on `session`. After the session expired they fail at once with
 * SESSION_EXPIRED (so that the FINISH moves to a fresh session): node-zookeeper-client leaves an
 * expired client DISCONNECTED and queues new requests for ever (lib/ConnectionManager.js
 * onSocketClosed), and a request queued when the expiry came is never answered either.
 */
export function sessionStore(session: ZkSession): RecordStore & FleetReader {
  let expired = false;
  session.onExpired(() => (expired = true));
  const call = <T>(request: () => Promise<T>): Promise<T> =>
    expired ? Promise.reject(new StoreError("the session expired", "SESSION_EXPIRED")) : translated(request);
  return {
    getData: (path, timeoutMs) =>
      call(async () => {
        const { data, stat } = await session.getData(path, timeoutMs);
        return { data, version: stat.version };
      }),
    create: (path, data, timeoutMs) => call(async () => void (await session.create(path, data, CreateMode.PERSISTENT, timeoutMs))),
    setData: (path, data, version, timeoutMs) => call(async () => (await session.setData(path, data, version, timeoutMs)).version),
    getChildren: (path, timeoutMs) => call(() => session.getChildren(path, timeoutMs)),
  };
}

/**
 * The run-record access of a coordinator holding `session`: its store, and for a FINISH after
 * expiry a fresh session opened with `options`; `close()` closes that one (if any).
 */
export function runRecordAccess(session: ZkSession, options: SessionOptions, prefix: string): RunRecordAccess & { close(): Promise<void> } {
  let fresh: Promise<ZkSession> | undefined;
  return {
    store: sessionStore(session),
    prefix,
    reopen: async (timeoutMs) => {
      fresh ??= ZkSession.open(options, timeoutMs);
      try {
        return sessionStore(await fresh);
      } catch (error) {
        fresh = undefined;
        throw new StoreError(`no fresh session for the record: ${(error as Error).message}`, "CONNECTION_LOSS");
      }
    },
    close: async () => {
      const opened = fresh;
      fresh = undefined;
      await opened?.then((s) => s.close(CLOSE_TIMEOUT_MS), () => undefined);
    },
  };
}

/** A session of its own for `switchman --status` (no lock, nothing written); close it when done. */
export async function openFleetReader(config: Extract<SwitchmanConfig, { mode: "zookeeper" }>): Promise<FleetReader & { close(): Promise<void> }> {
  const servers = config.zkhosts.split(",").length;
  const connectTimeoutMs = config.connect_timeout * 1000;
  const session = await ZkSession.open(
    {
      zkhosts: config.zkhosts,
      sessionTimeoutMs: config.session_timeout * 1000,
      handshakeTimeoutMs: Math.min(3000, Math.max(1000, connectTimeoutMs / servers)),
    },
    connectTimeoutMs,
  ).catch((error: unknown) => {
    if (error instanceof SwitchmanError) throw error;
    throw new SwitchmanError(`cannot reach ZooKeeper at ${config.zkhosts}: ${(error as Error).message}`, 75);
  });
  return { ...sessionStore(session), close: () => session.close(CLOSE_TIMEOUT_MS) };
}
