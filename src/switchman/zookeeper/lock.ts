/**
 * Taking the lock: the ephemeral znode `<prefix>/locks/<lockname>` (App::switchman's layout),
 * parents created on demand, and the ambiguous create (a connection loss after the request
 * was sent) resolved by the node's ephemeral owner, as SPEC 8.2 asks.
 */
import zookeeper from "node-zookeeper-client";
import { SwitchmanError } from "../coordinator.js";
import { lockPath, locksPath } from "./paths.js";
import { ZkCallError, type ZkSession } from "./session.js";

const { Exception, CreateMode } = zookeeper;

/** Pause before retrying after a connection loss, ms (the client reconnects meanwhile). */
const RETRY_PAUSE_MS = 100;

/** The result of one attempt to take the lock. */
export type LockOutcome =
  /** Ours; `provenAt` is the `performance.now()` at which the proving request was sent. */
  | { held: true; provenAt: number }
  /** Someone else's; `owner` is the lock's data (`"<fqdn> <pid>"`) when it could be read. */
  | { held: false; owner: string };

/** Where and how to take the lock. */
export interface LockRequest {
  prefix: string;
  lockname: string;
  data: Buffer;
  /** Date.now() after which taking the lock is given up (SwitchmanError 75). */
  deadline: number;
  log: (level: "debug" | "info" | "warning" | "critical", message: string) => void;
}

/** Creates the lock node, or finds who holds it. Throws SwitchmanError 75/2 (nothing run). */
export async function takeLock(session: ZkSession, request: LockRequest): Promise<LockOutcome> {
  const path = lockPath(request.prefix, request.lockname);
  for (;;) {
    const remaining = request.deadline - Date.now();
    if (remaining <= 0) {
      throw new SwitchmanError(`cannot take lock ${path}: ZooKeeper did not answer in time`, 75);
    }
    const sentAt = performance.now();
    try {
      await session.create(path, request.data, CreateMode.EPHEMERAL, remaining);
      return { held: true, provenAt: sentAt };
    } catch (error) {
      if (!(error instanceof ZkCallError)) throw error;
      if (error.code === Exception.NO_NODE) {
        await createParent(session, request);
        continue;
      }
      if (error.code === Exception.NODE_EXISTS) {
        const existing = await whoHolds(session, path, request.deadline);
        if (existing === "gone") continue; // released between our create and our read
        if (existing.ours) {
          request.log("debug", `lock ${path} already ours (an earlier create answered late)`);
          // The failed create was a write the leader answered: its send time proves the session.
          // (The read that found the owner may have come from a follower, which proves less.)
          return { held: true, provenAt: sentAt };
        }
        return { held: false, owner: existing.owner };
      }
      failUnlessRetryable(error, path);
      // CONNECTION_LOSS or no answer: the create may or may not have happened. Retrying it
      // ends in success or NODE_EXISTS, which the ephemeral owner resolves.
      request.log("debug", `lock create ambiguous (${error.message}); retrying`);
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
  }
}

/** `<prefix>/locks`, persistent, tolerating a concurrent creator. */
async function createParent(session: ZkSession, request: LockRequest): Promise<void> {
  const parent = locksPath(request.prefix);
  try {
    await session.create(parent, null, CreateMode.PERSISTENT, Math.max(1, request.deadline - Date.now()));
    request.log("debug", `created ${parent}`);
  } catch (error) {
    if (!(error instanceof ZkCallError)) throw error;
    if (error.code === Exception.NODE_EXISTS) return;
    if (error.code === Exception.NO_NODE) {
      // switchman never creates the prefix itself (SPEC 8.2).
      throw new SwitchmanError(`prefix node ${request.prefix} does not exist`, 2);
    }
    failUnlessRetryable(error, parent);
  }
}

type Holder = "gone" | { ours: true } | { ours: false; owner: string };

async function whoHolds(session: ZkSession, path: string, deadline: number): Promise<Holder> {
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new SwitchmanError(`cannot check lock ${path}: ZooKeeper did not answer in time`, 75);
    try {
      const { data, stat } = await session.getData(path, remaining);
      if (session.owns(stat)) return { ours: true };
      return { ours: false, owner: data ? data.toString("utf8") : "" };
    } catch (error) {
      if (!(error instanceof ZkCallError)) throw error;
      if (error.code === Exception.NO_NODE) return "gone";
      failUnlessRetryable(error, path);
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
  }
}

/** Connection trouble is retried; anything else ends the start-up (nothing has run). */
function failUnlessRetryable(error: ZkCallError, path: string): void {
  if (error.code === "TIMEOUT" || error.code === Exception.CONNECTION_LOSS) return;
  if (error.code === Exception.NO_AUTH || error.code === Exception.NO_CHILDREN_FOR_EPHEMERALS) {
    throw new SwitchmanError(`cannot create ${path}: ${error.message} (check the ACLs and node types under the prefix)`, 2);
  }
  throw new SwitchmanError(`cannot take lock ${path}: ${error.message}`, 75);
}
