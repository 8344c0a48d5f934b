/**
 * switchman's ZooKeeper back end (SPEC 8.2, 8.3): group check and lock at start, then a lock
 * watch that calls onLost early enough for the child to be dead before the session could expire.
 */
import zookeeper from "node-zookeeper-client";
import { DETECTION_BUDGET_S, SAFETY_MARGIN_S, isTimingSafe } from "../budget.js";
import { SwitchmanError, type AcquireRequest, type Coordinator, type Decision, type LossReport } from "../coordinator.js";
import { parsePrefixData } from "../groups.js";
import { LockWatch } from "./lock-watch.js";
import { takeLock } from "./lock.js";
import { membership } from "./membership.js";
import { checkLockname, checkPrefix, lockData, lockPath } from "./paths.js";
import { runRecordAccess } from "../records/zk-store.js";
import { ZkCallError, ZkSession, type SessionOptions } from "./session.js";

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
  /** Made once the decision is "run"; started by watch(). */
  let lockWatch: LockWatch | undefined;
  /** With --concurrency replace, once the lock is ours: a newer run's request stops CMD. */
  let replaceWatch: { start(): void; stop(): void } | undefined;
  let startReplaceWatch: ((onLost: (loss: LossReport) => void) => void) | undefined;
  let watching = false;
  let closing: Promise<void> | undefined;
  /** The fleet run record's session calls, once the lock is held (records/zk-store.ts). */
  let records: ReturnType<typeof runRecordAccess> | undefined;
  /** Aborted by close(): a start-up still connecting or waiting for answers ends at once. */
  const stopping = new AbortController();
  const connectTimeoutMs = options.connectTimeoutS * 1000;

  async function acquire(request: AcquireRequest): Promise<Decision> {
    // Everything that can be checked locally is checked before any connection (exit 2, no write).
    checkPrefix(options.prefix);
    if (request.lockname !== undefined) checkLockname(request.lockname);
    const servers = options.zkhosts.split(",").length;
    const sessionOptions: SessionOptions = {
      zkhosts: options.zkhosts,
      sessionTimeoutMs: options.sessionTimeoutS * 1000,
      handshakeTimeoutMs: Math.min(HANDSHAKE_MAX_MS, Math.max(HANDSHAKE_MIN_MS, connectTimeoutMs / servers)),
      log: options.log,
    };
    const opened = await ZkSession.open(
      sessionOptions,
      connectTimeoutMs,
      stopping.signal,
    );
    if (closing) {
      await opened.close(CLOSE_TIMEOUT_MS);
      throw new SwitchmanError("switchman is stopping", 75);
    }
    session = opened;
    const negotiatedS = opened.negotiatedTimeoutMs / 1000;
    options.log("debug", `ZooKeeper session 0x${opened.sessionId.toString("hex")}, timeout ${negotiatedS} s`);
    if (negotiatedS < options.sessionTimeoutS) {
      options.log(
        "warning",
        `ZooKeeper granted a session timeout of ${negotiatedS} s, less than the ${options.sessionTimeoutS} s of session_timeout ` +
          "(the member's maxSessionTimeout): the safety budget rests on " +
          `${negotiatedS} s, and members that grant less are not used; every member must allow session_timeout`,
      );
    }
    if (!isTimingSafe(options.terminationTimeoutS, (opened.floorMs ?? opened.negotiatedTimeoutMs) / 1000)) {
      throw new SwitchmanError(
        `ZooKeeper granted a session timeout of ${negotiatedS} s (session_timeout asks ${options.sessionTimeoutS} s; ` +
          `see the servers' minSessionTimeout/maxSessionTimeout), too short to stop the command safely with ` +
          `termination_timeout ${options.terminationTimeoutS} s (needs termination_timeout + ${DETECTION_BUDGET_S + SAFETY_MARGIN_S})`,
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
    }
    const group = request.group === undefined ? undefined : { name: request.group, host: request.host };
    const body = lockData(request.host, request.pid);
    const run = async (lock?: { path: string; data: Buffer; provenAt: number }): Promise<Decision> => {
      let leases: { paths: string[]; provenAt: number } | undefined;
      if (request.leases !== undefined && request.leases.list.length > 0) {
        // Loaded only for a run with leases: the skip path and plain locks never pay for it.
        const { acquireZkLeases, proveHeld } = await import("./semaphore.js");
        const waitUntil = request.waitS === undefined ? undefined : (request.startedAt ?? performance.now()) + request.waitS * 1000;
        const outcome = await acquireZkLeases({
          session: opened,
          prefix: options.prefix,
          lockname: request.leases.name,
          data: body,
          leases: request.leases.list,
          waitUntil,
          troubleBudgetMs: connectTimeoutMs,
          signal: stopping.signal,
          log: options.log,
        });
        if (!outcome.held) {
          return { run: false, reason: "wait-timeout", detail: `${outcome.waited} (--wait ${request.waitS ?? "-"} s)` };
        }
        const provenAt = await proveHeld(opened, [...(lock ? [lock.path] : []), ...outcome.paths], connectTimeoutMs);
        if (lock) lock = { ...lock, provenAt };
        leases = { paths: outcome.paths, provenAt };
        options.log("debug", `holding ${outcome.paths.join(", ")}`);
      }
      lockWatch = new LockWatch({
        session: opened,
        prefix: options.prefix,
        ...(lock ? { lock } : {}),
        ...(leases ? { leases } : {}),
        ...(group ? { group } : {}),
        terminationTimeoutMs: options.terminationTimeoutS * 1000,
        log: options.log,
      });
      return { run: true };
    };
    if (request.lockname === undefined) return run();
    const path = lockPath(options.prefix, request.lockname);
    let outcome = await takeLock(opened, {
      prefix: options.prefix,
      lockname: request.lockname,
      data: body,
      deadline,
      log: options.log,
    });
    const waitUntil = request.waitS === undefined ? undefined : (request.startedAt ?? performance.now()) + request.waitS * 1000;
    if (request.replace === true) {
      // Loaded only with --concurrency replace.
      const { replaceHolder, replacePath, ReplaceWatch } = await import("./replace.js");
      if (!outcome.held) {
        const taken = await replaceHolder({ session: opened, prefix: options.prefix, lockname: request.lockname, lockPath: path, data: body, waitUntil, troubleBudgetMs: connectTimeoutMs, signal: stopping.signal, log: options.log });
        if (!taken.held) return { run: false, reason: taken.why === "wait-timeout" ? "wait-timeout" : "lock-held", detail: taken.detail };
        outcome = taken;
      }
      const requestPath = replacePath(options.prefix, request.lockname);
      startReplaceWatch = (onLost) => {
        replaceWatch = new ReplaceWatch(opened, requestPath, onLost, options.log);
        replaceWatch.start();
      };
    }
    if (!outcome.held) {
      return { run: false, reason: "lock-held", detail: `lock ${path} is held by ${outcome.owner || "another session"}` };
    }
    options.log("debug", `took lock ${path}`);
    // Only a lock holder writes the fleet record (`<prefix>/runs/<lockname>`, never under locks).
    records = runRecordAccess(opened, sessionOptions, options.prefix);
    return run({ path, data: body, provenAt: outcome.provenAt });
  }

  function watch(onLost: (loss: LossReport) => void): void {
    if (!lockWatch || watching || closing) return;
    watching = true;
    let lost = false;
    const once = (loss: LossReport): void => {
      if (lost) return;
      lost = true;
      onLost(loss);
    };
    // A replace request stops CMD like a loss, but the lock watch goes on protecting it until it is dead.
    lockWatch.start((loss) => {
      replaceWatch?.stop();
      once(loss);
    });
    startReplaceWatch?.(once);
  }

  function close(): Promise<void> {
    // Closing the session makes the server delete our ephemeral lock node in the same step,
    // and only ours: a delete of the path could hit a node an operator's delete let another
    // session create meanwhile.
    closing ??= (async () => {
      stopping.abort();
      lockWatch?.stop();
      replaceWatch?.stop();
      // A fresh session a late FINISH opened (after expiry) goes too, at the same time.
      await Promise.all([session?.close(CLOSE_TIMEOUT_MS), records?.close()]);
    })();
    return closing;
  }

  /**
   * Time left before the server could expire the session, less the margin: the supervisor's
   * guard process kills CMD when switchman itself stops beating (stopped, blocked) for that long.
   * undefined without a lock (--no-lock: nothing exclusive to protect).
   */
  function remainingMs(): number | undefined {
    return lockWatch?.remainingMs();
  }

  return { acquire, watch, close, remainingMs, runRecords: () => records };
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
      if (error.code === "CLOSED") throw new SwitchmanError("switchman is stopping", 75);
      if (error.code !== "TIMEOUT" && error.code !== Exception.CONNECTION_LOSS) {
        throw new SwitchmanError(`cannot read ${prefix}: ${error.message}`, 75);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
