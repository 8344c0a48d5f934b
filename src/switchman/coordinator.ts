/**
 * The contract between switchman's supervisor and its two coordination back ends:
 * ZooKeeper (src/switchman/zookeeper/) and local mode (src/switchman/local/).
 */

import type { LeaseRequest } from "./lease/types.js";
import type { RunRecordAccess } from "./records/zookeeper-records.js";

/** What switchman asks for before it runs the command. */
export interface AcquireRequest {
  /** `--group`; undefined = no group check. */
  group?: string;
  /** `--lockname` (or the command's base name); undefined with `--no-lock`. */
  lockname?: string;
  /** This host's FQDN (or SWITCHMAN_HOSTNAME). */
  host: string;
  /** switchman's pid, written into the lock as `"<fqdn> <pid>"`. */
  pid: number;
  /**
   * `--lease`s, evaluated on this host (issue 16, lease/): held for CMD's whole life, under the
   * lock's heartbeat and budget. `name` labels the queue entries: the lock name, or with
   * `--no-lock` CMD's base name.
   */
  leases?: { list: LeaseRequest[]; name: string };
  /** `--concurrency replace`: a held lock is asked to stop, and taken once its holder's CMD is dead. */
  replace?: boolean;
  /** `--wait`, seconds: the longest to wait for the lock (replace) and the leases; undefined = no limit. */
  waitS?: number;
  /** performance.now() at switchman's start: `--wait` counts from there. */
  startedAt?: number;
}

/** The decision taken before the command runs. */
export type Decision =
  | { run: true }
  | { run: false; reason: "not-in-group" | "lock-held" | "wait-timeout"; detail: string };

/** Why a running command must be stopped. */
export interface LossReport {
  reason: "lock-lost" | "lease-lost" | "group-changed" | "session-unsafe" | "replaced";
  detail: string;
}

/**
 * A coordination back end. `acquire` runs once, `watch` once after a `{ run: true }`,
 * `close` always (idempotent). Errors are thrown as SwitchmanError with the exit code.
 */
export interface Coordinator {
  acquire(request: AcquireRequest): Promise<Decision>;
  /**
   * Starts watching the lock, the group and the session. `onLost` is called at most once,
   * early enough that SIGTERM + `termination_timeout` + SIGKILL completes before any other
   * process could be granted the same lock (SPEC 8.3).
   */
  watch(onLost: (loss: LossReport) => void): void;
  /** Releases the lock and closes the session so the lock disappears at once; a second call does nothing more. */
  close(): Promise<void>;
  /**
   * Optional, after a `{ run: true }`: milliseconds from now until CMD must be dead unless the
   * lock is proven again (last proof + negotiated session timeout − SAFETY_MARGIN_S − now);
   * undefined = no limit (local mode: the kernel keeps a flock for as long as switchman lives).
   * The supervisor hands it to a guard process outside switchman every second, so that a
   * stopped or blocked switchman (SIGSTOP, a hung write) cannot outlive its lock.
   */
  remainingMs?(): number | undefined;
  /**
   * Optional, after a `{ run: true }`: an open file descriptor that holds the lock for as long
   * as any copy of it is open (local mode: the flock'd file). The guard process keeps a copy
   * until CMD's group is dead, so that a `kill -9` of switchman cannot free the lock while
   * CMD or its children still run.
   */
  lockFd?(): number | undefined;
  /**
   * Optional, while CMD runs: what a signal forwarded to switchman means to the back end. A loss
   * when the signal is the back end's own request (local mode's `--concurrency replace`: a newer
   * run leaves a request naming this switchman, then SIGTERMs it), so CMD is stopped as for any
   * loss (exit 70); undefined for an ordinary signal, which goes on to CMD's group.
   */
  lossForSignal?(signal: NodeJS.Signals): LossReport | undefined;
  /** Optional, after a `{ run: true }`: descriptors holding the leases (local mode), kept by the guard like lockFd. */
  leaseFds?(): number[];
  /**
   * Optional, after a `{ run: true }` with a lock: the session calls that the fleet run record
   * (`<prefix>/runs/<lockname>`, records/zookeeper-records.ts) is written with; undefined when
   * the back end keeps none (local mode, `--no-lock`, config `run_records: false`).
   */
  runRecords?(): RunRecordAccess | undefined;
}

/** switchman's own failures, with the exit status SPEC 8.3 gives them. */
export class SwitchmanError extends Error {
  override readonly name = "SwitchmanError";
  constructor(
    message: string,
    /** 2 usage/config, 75 ZooKeeper unreachable at start, 70 lock or group lost. */
    readonly exitCode: 2 | 70 | 75,
  ) {
    super(message);
  }
}
