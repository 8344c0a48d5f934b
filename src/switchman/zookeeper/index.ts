/**
 * switchman's ZooKeeper back end (SPEC 8.2, 8.3): group check and lock at start, then a guard
 * that calls onLost early enough for the child to be dead before the session could expire.
 */
import zookeeper from "node-zookeeper-client";
import { SAFETY_MARGIN_S, isTimingSafe } from "../budget.js";
import { SwitchmanError, type AcquireRequest, type Coordinator, type Decision, type LossReport } from "../coordinator.js";
import { parsePrefixData } from "../groups.js";
import { LockGuard } from "./guard.js";
import { takeLock } from "./lock.js";
import { membership } from "./membership.js";
import { checkLockname, checkPrefix, lockData, lockPath } from "./paths.js";
import { ZkCallError, ZkSession } from "./session.js";

const { Exception } = zookeeper;

/** At most this long to close the session on exit, ms (then the socket is dropped). */
const CLOSE_TIMEOUT_MS = 1500;
/** Bounds of the per-server handshake timeout, ms. */
const HANDSHAKE_MIN_MS = 1000;
const HANDSHAKE_MAX_MS = 3000;

/** Settings of the ZooKeeper back end (from the switchman config). */
export interface ZooKeeperCoordinatorOptions {
  /** Connect string `host:port,host:port`. */
  zkhosts: string;
  /** Znode holding the groups; locks live under `<prefix>/locks`. */
  prefix: string;
  /** Requested session timeout, seconds. */
  sessionTimeoutS: number;
  /** Seconds to get a session at start before giving up (exit 75). */
  connectTimeoutS: number;
  /** Seconds between SIGTERM and SIGKILL; part of the safety budget. */
  terminationTimeoutS: number;
  log: (level: "debug" | "info" | "warning" | "critical", message: string) => void;
}

/** The ZooKeeper coordinator: one session per switchman run. */
export function createZooKeeperCoordinator(options: ZooKeeperCoordinatorOptions): Coordinator {
  let session: ZkSession | undefined;
  let guard: LockGuard | undefined;
  let held: { path: string; data: Buffer; provenAt: number } | undefined;
  let group: { name: string; host: string } | undefined;
  let closing: Promise<void> | undefined;
  const connectTimeoutMs = options.connectTimeoutS * 1000;

  async function acquire(request: AcquireRequest): Promise<Decision> {
    // Everything that can be checked locally is checked before any connection (exit 2, no write).
    checkPrefix(options.prefix);
    if (request.lockname !== undefined) checkLockname(request.lockname);
    const servers = options.zkhosts.split(",").length;
    const opened = await ZkSession.open(
      {
        zkhosts: options.zkhosts,
        sessionTimeoutMs: options.sessionTimeoutS * 1000,
        handshakeTimeoutMs: Math.min(HANDSHAKE_MAX_MS, Math.max(HANDSHAKE_MIN_MS, connectTimeoutMs / servers)),
      },
      connectTimeoutMs,
    );
    if (closing) {
      await opened.close(CLOSE_TIMEOUT_MS);
      throw new SwitchmanError("switchman is stopping", 75);
    }
    session = opened;
    const negotiatedS = opened.negotiatedTimeoutMs / 1000;
    options.log("debug", `ZooKeeper session 0x${opened.sessionId.toString("hex")}, timeout ${negotiatedS} s`);
    if (!isTimingSafe(options.terminationTimeoutS, negotiatedS)) {
      throw new SwitchmanError(
        `ZooKeeper granted a session timeout of ${negotiatedS} s (session_timeout asks ${options.sessionTimeoutS} s; ` +
          `see the servers' minSessionTimeout/maxSessionTimeout), too short to stop the command safely with ` +
          `termination_timeout ${options.terminationTimeoutS} s`,
        2,
      );
    }
    const deadline = Date.now() + connectTimeoutMs;
    const data = await readPrefix(opened, options.prefix, deadline);
    if (request.group === undefined) {
      parsePrefixData(data ? data.toString("utf8") : ""); // broken prefix data is an error all the same
    } else {
      const found = membership(data, request.group, request.host);
      if (!found.member) {
        if (found.why === "not-in-group") return { run: false, reason: "not-in-group", detail: found.detail };
        throw new SwitchmanError(found.detail, 2);
      }
      group = { name: request.group, host: request.host };
    }
    if (request.lockname === undefined) return { run: true };
    const path = lockPath(options.prefix, request.lockname);
    const body = lockData(request.host, request.pid);
    const outcome = await takeLock(opened, {
      prefix: options.prefix,
      lockname: request.lockname,
      data: body,
      deadline,
      log: options.log,
    });
    if (!outcome.held) {
      return { run: false, reason: "lock-held", detail: `lock ${path} is held by ${outcome.owner || "another session"}` };
    }
    held = { path, data: body, provenAt: outcome.provenAt };
    options.log("debug", `took lock ${path}`);
    return { run: true };
  }

  function watch(onLost: (loss: LossReport) => void): void {
    if (!session || guard || closing) return;
    guard = new LockGuard({
      session,
      prefix: options.prefix,
      lock: held,
      group,
      terminationTimeoutMs: options.terminationTimeoutS * 1000,
      log: options.log,
    });
    guard.start(onLost);
  }

  function close(): Promise<void> {
    // Closing the session makes the server delete our ephemeral lock node in the same step,
    // and only ours: a delete of the path could hit a node an operator's delete let another
    // session create meanwhile.
    closing ??= (async () => {
      guard?.stop();
      await session?.close(CLOSE_TIMEOUT_MS);
    })();
    return closing;
  }

  /**
   * Time left before the server could expire the session, less the margin: the supervisor's
   * guard process kills CMD when switchman itself stops beating (stopped, blocked) for that long.
   * undefined without a lock (--no-lock: nothing exclusive to protect).
   */
  function remainingMs(): number | undefined {
    if (!session || !held) return undefined;
    const provenAt = guard?.lastProof ?? held.provenAt;
    return provenAt + session.negotiatedTimeoutMs - SAFETY_MARGIN_S * 1000 - performance.now();
  }

  return { acquire, watch, close, remainingMs };
}

/** The prefix node's data; SwitchmanError 2 when the node is missing, 75 when ZooKeeper does not answer. */
async function readPrefix(session: ZkSession, prefix: string, deadline: number): Promise<Buffer | undefined> {
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new SwitchmanError(`cannot read ${prefix}: ZooKeeper did not answer in time`, 75);
    try {
      return (await session.getData(prefix, remaining)).data;
    } catch (error) {
      if (!(error instanceof ZkCallError)) throw error;
      if (error.code === Exception.NO_NODE) {
        throw new SwitchmanError(`prefix node ${prefix} does not exist (switchman never creates it)`, 2);
      }
      if (error.code === Exception.NO_AUTH) throw new SwitchmanError(`cannot read ${prefix}: ${error.message}`, 2);
      if (error.code !== "TIMEOUT" && error.code !== Exception.CONNECTION_LOSS) {
        throw new SwitchmanError(`cannot read ${prefix}: ${error.message}`, 75);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
