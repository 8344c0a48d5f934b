/**
 * The fleet record in ZooKeeper (record.ts, FleetRecord): `<prefix>/runs/<lockname>`, a
 * persistent znode, at most two writes per run.
 *
 * - START (while CMD starts, never before it): read the record, write it back with this run's
 *   start, conditional on the version read (a concurrent FINISH of an older run makes it read
 *   and try again). The version it wrote is kept. The first read is sent when the writer is
 *   made — once the lock is held, before CMD is spawned — so that its round trip overlaps CMD's
 *   start and the START itself is one write; a record changed since that read fails the
 *   write's version check and is read again, as before. Nothing is written before CMD starts.
 * - FINISH (before the session is closed, so the lock still excludes the next run): write the
 *   finish conditional on the version written at START. `BAD_VERSION` means another run wrote
 *   the record since — a newer holder, when this one was partitioned or lost its lock — and
 *   this run's finish is dropped with a warning that it lost the race: a stale holder never
 *   overwrites a newer run's record. A FINISH whose START was never written is not written
 *   either (there is no version to make it safe).
 * - Never at the job's expense: each phase has one deadline (`timeoutMs`) for all its requests,
 *   every request its own timeout within it, and no failure is thrown: it is logged at warning
 *   and the run goes on. A session that expired meanwhile is replaced by a fresh one for the
 *   FINISH (within the same deadline), since the version check alone keeps that write safe.
 * - Ambiguous answers (connection lost, timeout) are resolved by reading the record back: a
 *   START or FINISH that landed carries this run's id.
 * - No request is ever made on a skip, and nothing here is under `<prefix>/locks`.
 *
 * Pure logic over {@link RecordStore}, the few session calls it needs (zk-store.ts adapts the
 * switchman session to it).
 */
import {
  emptyFleetRecord,
  parseFleetRecord,
  serializeFleetRecord,
  withFinish,
  withStart,
  type FleetRecord,
  type RunFinish,
  type StartFacts,
} from "./record.js";

/** Why a store request failed, in ZooKeeper's terms (plus the session's own TIMEOUT and CLOSED). */
export type StoreErrorCode =
  | "NO_NODE"
  | "NODE_EXISTS"
  | "BAD_VERSION"
  | "NO_AUTH"
  | "CONNECTION_LOSS"
  | "SESSION_EXPIRED"
  | "TIMEOUT"
  | "CLOSED"
  | "OTHER";

/** A failed store request. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    message: string,
    readonly code: StoreErrorCode,
  ) {
    super(message);
  }
}

/** The session calls the record needs; every call has its own timeout and fails with StoreError. */
export interface RecordStore {
  getData(path: string, timeoutMs: number): Promise<{ data: Buffer | undefined; version: number }>;
  /** Creates a persistent node with open ACL. */
  create(path: string, data: Buffer, timeoutMs: number): Promise<void>;
  /** Writes `data` if the node's version is `version`; resolves to the new version. */
  setData(path: string, data: Buffer, version: number, timeoutMs: number): Promise<number>;
}

/** What a coordinator that keeps fleet records offers (ZooKeeper mode, after a lock was taken). */
export interface RunRecordAccess {
  store: RecordStore;
  /** A fresh session's store, for a FINISH after the session expired. */
  reopen?: (timeoutMs: number) => Promise<RecordStore>;
  prefix: string;
}

/** `<prefix>/runs`, the parent of every fleet record. */
export function runsPath(prefix: string): string {
  return `${prefix}/runs`;
}

/** `<prefix>/runs/<lockname>`. */
export function runPath(prefix: string, lockname: string): string {
  return `${runsPath(prefix)}/${lockname}`;
}

/** What the fleet record writer needs. */
export interface FleetRecordOptions {
  store: RecordStore;
  /** A fresh session's store, for a FINISH after the session expired; undefined = none. */
  reopen?: (timeoutMs: number) => Promise<RecordStore>;
  prefix: string;
  lockname: string;
  /** Deadline of each phase (START, FINISH), ms: config `record_timeout`. */
  timeoutMs: number;
  log: (level: "debug" | "warning", message: string) => void;
  /** Monotonic clock, ms (tests). */
  now?: () => number;
}

/** A read of the record, settled. */
type Read = { answer: { data: Buffer | undefined; version: number } } | { error: unknown };

/** Where START left the record. */
type StartState =
  | { state: "written"; version: number; record: FleetRecord }
  /** The last write's answer was lost: it may have landed; FINISH reads the record back. */
  | { state: "unknown" }
  | { state: "failed" };

/** Bounds of one request's own timeout, ms (see remaining()). */
const REQUEST_MIN_MS = 500;
const REQUEST_MAX_MS = 2000;
/** Retry pause after an ambiguous or racing answer, ms. */
const RETRY_PAUSE_MS = 20;

/** The fleet record of one run: call start() once, then finish() once. Never throws. */
export class FleetRecordWriter {
  private readonly path: string;
  private readonly now: () => number;
  private startFacts: StartFacts | undefined;
  private started: Promise<StartState> | undefined;
  private store: RecordStore;
  /** Set once finish() returned: a late answer changes nothing and says nothing any more. */
  private abandoned = false;
  /** The record as read when the writer was made: START's first read (settled, never rejects). */
  private prefetched: Promise<Read> | undefined;

  /** Sends the first read of the record at once (see the module comment): make the writer only under the lock. */
  constructor(private readonly options: FleetRecordOptions) {
    this.path = runPath(options.prefix, options.lockname);
    this.now = options.now ?? (() => performance.now());
    this.store = options.store;
    this.prefetched = this.read(this.requestTimeout(options.timeoutMs));
  }

  /** Writes this run's START; resolves when it is done or given up (never rejects). */
  start(facts: StartFacts): Promise<void> {
    this.startFacts = facts;
    this.started = this.writeStart(facts, this.now() + this.options.timeoutMs).catch((error: unknown) => {
      this.warn(`START not recorded: ${describe(error)}`);
      return { state: "failed" } as const;
    });
    return this.started.then(() => undefined);
  }

  /**
   * Writes this run's FINISH, conditional on the version written at START; resolves within
   * `timeoutMs` whatever ZooKeeper does (never rejects).
   */
  async finish(finish: RunFinish): Promise<void> {
    const deadline = this.now() + this.options.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), this.options.timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.writeFinish(finish, deadline), limit]);
      if (outcome === "late") this.warnNotConfirmed();
    } catch (error) {
      if (error instanceof StoreError && retryable(error)) this.warnNotConfirmed(describe(error));
      else this.warn(`FINISH not recorded: ${describe(error)}`);
    } finally {
      clearTimeout(timer);
      this.abandoned = true;
    }
  }

  /** Out of time with a request already sent: the server may still apply it when it answers again. */
  private warnNotConfirmed(lastError?: string): void {
    const detail = lastError === undefined ? "" : ` (${lastError})`;
    this.warn(`FINISH not confirmed: no answer within ${this.options.timeoutMs} ms (record_timeout); a request already sent may still land${detail}`);
  }

  private warn(message: string): void {
    if (!this.abandoned) this.options.log("warning", `run record ${this.path}: ${message}`);
  }

  /**
   * The timeout of the next request: what is left of the phase's deadline, but at most a
   * quarter of it (0.5-2 s), so that a request lost in a dead connection is retried on the
   * reconnected (or fresh) session within the same deadline.
   */
  private remaining(deadline: number): number {
    if (this.abandoned) throw new StoreError("given up", "OTHER");
    const left = Math.floor(deadline - this.now());
    if (left <= 0) throw new StoreError(`no answer within ${this.options.timeoutMs} ms (record_timeout)`, "TIMEOUT");
    return this.requestTimeout(left);
  }

  private requestTimeout(left: number): number {
    return Math.min(left, Math.max(REQUEST_MIN_MS, Math.min(REQUEST_MAX_MS, this.options.timeoutMs / 4)));
  }

  /** One read of the record, settled: its answer or its error. */
  private read(timeoutMs: number): Promise<Read> {
    return this.store.getData(this.path, timeoutMs).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    );
  }

  private async writeStart(facts: StartFacts, deadline: number): Promise<StartState> {
    let ambiguous = false;
    for (;;) {
      let current: { data: Buffer | undefined; version: number } | undefined;
      try {
        const prefetched = this.prefetched;
        this.prefetched = undefined;
        const read = await (prefetched ?? this.read(this.remaining(deadline)));
        if ("error" in read) throw read.error;
        current = read.answer;
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        if (error.code === "NO_NODE") current = undefined;
        else if (retryable(error) && this.now() < deadline) {
          await pause();
          continue;
        } else if (ambiguous) {
          this.warn(`START may not be recorded: ${error.message}`);
          return { state: "unknown" };
        } else throw error;
      }
      const previous = current === undefined ? undefined : parseFleetRecord(current.data);
      if (ambiguous && previous?.start?.run === facts.run && current !== undefined) {
        return { state: "written", version: current.version, record: previous };
      }
      const record = withStart(previous ?? emptyFleetRecord(), facts);
      const data = serializeFleetRecord(record);
      try {
        if (current === undefined) {
          await this.createRecord(data, deadline);
          return { state: "written", version: 0, record };
        }
        const version = await this.store.setData(this.path, data, current.version, this.remaining(deadline));
        return { state: "written", version, record };
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        if (error.code === "BAD_VERSION" || error.code === "NODE_EXISTS") continue; // raced a FINISH or a first START: read again
        if (!retryable(error)) throw error;
        ambiguous = true; // the write may have landed: the next read tells
        if (this.now() >= deadline) return { state: "unknown" };
        await pause();
      }
    }
  }

  /** Creates the record node, and `<prefix>/runs` first when it is missing. */
  private async createRecord(data: Buffer, deadline: number): Promise<void> {
    try {
      await this.store.create(this.path, data, this.remaining(deadline));
    } catch (error) {
      if (!(error instanceof StoreError) || error.code !== "NO_NODE") throw error;
      try {
        await this.store.create(runsPath(this.options.prefix), Buffer.alloc(0), this.remaining(deadline));
      } catch (parentError) {
        if (!(parentError instanceof StoreError) || parentError.code !== "NODE_EXISTS") throw parentError;
      }
      await this.store.create(this.path, data, this.remaining(deadline));
    }
  }

  private async writeFinish(finish: RunFinish, deadline: number): Promise<"done"> {
    const facts = this.startFacts;
    if (this.started === undefined || facts === undefined) throw new Error("FINISH before START");
    let start = await this.started;
    if (start.state === "failed") {
      this.warn("FINISH not recorded: its START was not written, so no version makes the write safe");
      return "done";
    }
    for (;;) {
      if (start.state === "unknown") {
        const resolved = await this.readBack(deadline, (record) => record.start?.run === facts.run);
        if (resolved === undefined) {
          this.warn("FINISH not recorded: its START never reached ZooKeeper, so no version makes the write safe");
          return "done";
        }
        start = { state: "written", ...resolved };
      }
      const data = serializeFleetRecord(withFinish(start.record, finish));
      try {
        await this.store.setData(this.path, data, start.version, this.remaining(deadline));
        return "done";
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        if (error.code === "BAD_VERSION") {
          const now = await this.readBack(deadline, () => true);
          if (now?.record.finish?.run === finish.run) return "done"; // an earlier, unanswered attempt landed
          this.warn(`FINISH not recorded: lost the race, another run wrote the record since this run's START (${whose(now?.record)})`);
          return "done";
        }
        if (error.code === "SESSION_EXPIRED" || error.code === "CLOSED") {
          if (this.options.reopen === undefined) throw error;
          this.options.log("debug", `run record ${this.path}: session gone (${error.code}), writing FINISH on a fresh one`);
          this.store = await this.options.reopen(this.remaining(deadline));
          continue;
        }
        if (!retryable(error) || this.now() >= deadline) throw error;
        await pause();
        // Ambiguous: a retry with the same version either lands or gets BAD_VERSION, which reads back.
      }
    }
  }

  /** The record and its version when `test` accepts it; undefined when it does not. */
  private async readBack(deadline: number, test: (record: FleetRecord) => boolean): Promise<{ version: number; record: FleetRecord } | undefined> {
    for (;;) {
      try {
        const { data, version } = await this.store.getData(this.path, this.remaining(deadline));
        const record = parseFleetRecord(data);
        return record !== undefined && test(record) ? { version, record } : undefined;
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        if (error.code === "NO_NODE") return undefined;
        if (error.code === "SESSION_EXPIRED" || error.code === "CLOSED") {
          if (this.options.reopen === undefined) throw error;
          this.store = await this.options.reopen(this.remaining(deadline));
          continue;
        }
        if (!retryable(error) || this.now() >= deadline) throw error;
        await pause();
      }
    }
  }
}

function retryable(error: StoreError): boolean {
  return error.code === "CONNECTION_LOSS" || error.code === "TIMEOUT";
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function whose(record: FleetRecord | undefined): string {
  const start = record?.start;
  return start === undefined ? "record unreadable now" : `now run ${start.run} on ${start.host}, started ${start.at}`;
}
