// The lease suites' measuring tools (issue 16): a job that journals its start and end under a
// lock of its own (so the journal's line order is the order of the events), a death watcher for
// jobs killed without a last word (SIGKILL), and the sweep that counts moments with more than
// TOTAL holders.
import { alive, readRecord } from "../../../helpers/switchman.js";

/** A job that notes `start`, runs `seconds` (or until SIGTERM, noted as `term`), then notes `end`; each note under flock(1) of `<journal>.lock`. */
export function journalJob(journal: string, seconds: number, options: { ignoreTerm?: boolean } = {}): string[] {
  const script = [
    `J='${journal}'`,
    // One writer at a time, the time read inside the lock: line order is event order.
    `note() { flock "$J.lock" sh -c 'printf "%s %s %s\\n" "$1" "$2" "$(date +%s%N)" >> "$3"' note "$1" $$ "$J"; }`,
    "note start",
    options.ignoreTerm ? `trap 'note ignored' TERM` : `trap 'note term; exit 143' TERM`,
    "i=0",
    `while [ "$i" -lt ${Math.ceil(seconds * 10)} ]; do sleep 0.1 & wait $!; i=$((i + 1)); done`,
    "note end",
  ].join("\n");
  return ["/bin/sh", "-c", script];
}

/** One journal line. */
export interface JournalEvent {
  kind: "start" | "end" | "term" | "ignored" | "dead";
  pid: number;
  /** Realtime, ms. */
  at: number;
}

/** The journal's lines, in file order: the job record format of test/helpers/switchman.ts. */
export function readJournal(path: string): JournalEvent[] {
  return readRecord(path);
}

/**
 * Watches every job that started and has not ended, and notes when it is first seen dead (every
 * 10 ms): a job SIGKILLed (switchman killed, or its guard) writes no `end`. The noted time is
 * after the real death, so overlaps are counted conservatively.
 */
export class DeathWatch {
  private readonly deaths = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly journal: string) {
    // unref: a test that fails before stop() must not keep its process alive for ever.
    this.timer = setInterval(() => this.scan(), 10).unref();
  }

  private scan(): void {
    const ended = new Set<number>();
    const started: number[] = [];
    for (const e of readJournal(this.journal)) {
      if (e.kind === "start") started.push(e.pid);
      else if (e.kind === "end" || e.kind === "term") ended.add(e.pid);
    }
    for (const pid of started) {
      if (ended.has(pid) || this.deaths.has(pid)) continue;
      if (!alive(pid)) this.deaths.set(pid, Date.now());
    }
  }

  /** Stops watching (after one last scan) and returns the journal with the deaths merged in, by time. */
  stop(): JournalEvent[] {
    this.scan();
    clearInterval(this.timer);
    const events = readJournal(this.journal);
    const ended = new Set(events.filter((e) => e.kind === "end" || e.kind === "term").map((e) => e.pid));
    const merged: JournalEvent[] = [...events];
    for (const [pid, at] of this.deaths) if (!ended.has(pid)) merged.push({ kind: "dead", pid, at });
    return merged.sort((a, b) => a.at - b.at);
  }
}

/** The most jobs running at once, and every moment above `total` (a start that made it so). */
export function concurrency(events: JournalEvent[], total: number): { max: number; over: string[] } {
  const running = new Set<number>();
  const over: string[] = [];
  let max = 0;
  for (const e of events) {
    if (e.kind === "start") {
      running.add(e.pid);
      max = Math.max(max, running.size);
      if (running.size > total) over.push(`${new Date(e.at).toISOString()}: ${running.size} running (${[...running].join(" ")})`);
    } else if (e.kind === "end" || e.kind === "term" || e.kind === "dead") {
      running.delete(e.pid);
    }
  }
  return { max, over };
}

/** Runs that started (by job pid), with their start times. */
export function starts(events: JournalEvent[]): JournalEvent[] {
  return events.filter((e) => e.kind === "start");
}

/**
 * From switchman debug logs: for each switchman pid, its queue entry's and its lease's sequence
 * numbers (`queued for R as …-<seq>`, `lease …_<seq> taken`).
 */
export function queueOrder(log: string): { pid: number; queued: number; leased?: number }[] {
  const byPid = new Map<number, { pid: number; queued: number; leased?: number }>();
  let taken = 0;
  let queuedLines = 0;
  for (const line of log.split("\n")) {
    const pid = Number(/\t\[(\d+)\]\t/.exec(line)?.[1]);
    // ZooKeeper: <lockname>-<seq>, never reused; local mode (q.<n> starts again at 1 whenever
    // the queue empties): the order of the lines, each written under the semaphore's mutex.
    const queued = /queued for \S+ as \S+-(\d+)$/.exec(line) ?? /queued for \S+ as \S+\/q\.\d+$/.exec(line);
    queuedLines += queued ? 1 : 0;
    if (queued) byPid.set(pid, { pid, queued: queued[1] !== undefined ? Number(queued[1]) : queuedLines });
    // ZooKeeper: the lease's own sequence number; local mode (h.<n> names are reused): the
    // order of the lines, each written under the semaphore's mutex.
    const leased = /lease \S+_(\d+) taken/.exec(line) ?? /lease \S+\/h\.\d+ taken/.exec(line);
    const entry = byPid.get(pid);
    taken += leased ? 1 : 0;
    if (leased && entry) entry.leased = leased[1] !== undefined ? Number(leased[1]) : taken;
  }
  return [...byPid.values()];
}

/** Pairs (by queue order) whose leases came in the other order: should be none. */
export function fifoViolations(order: { pid: number; queued: number; leased?: number }[]): string[] {
  const leased = order.filter((o) => o.leased !== undefined).sort((a, b) => a.queued - b.queued);
  const out: string[] = [];
  for (let i = 1; i < leased.length; i++) {
    const a = leased[i - 1];
    const b = leased[i];
    if (a && b && (b.leased as number) < (a.leased as number)) out.push(`queued ${a.queued} (pid ${a.pid}) leased ${a.leased}, but queued ${b.queued} (pid ${b.pid}) leased ${b.leased}`);
  }
  return out;
}

/** `cons` output: the last client xid (requests the session has sent, pings excluded) per session id (hex, no 0x). */
export function lastClientXids(cons: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of cons.split("\n")) {
    const sid = /sid=0x([0-9a-f]+)/.exec(line)?.[1];
    const lcxid = /lcxid=0x([0-9a-f]+)/.exec(line)?.[1];
    if (sid && lcxid) out.set(sid.padStart(16, "0"), parseInt(lcxid, 16));
  }
  return out;
}

/** Keeps `alive` importable for suites that use this module only. */
export { alive };
