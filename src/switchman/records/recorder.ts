/**
 * One run's records, as the run path calls them (docs/switchman.md, "Run records"):
 *
 *   skip(reason)  journal line, host record's skip counter, textfile   (no ZooKeeper request)
 *   start()       the fleet START in ZooKeeper; journal line, host record and textfile once
 *                 CMD has run for START_RECORD_DELAY_MS
 *   finish(facts) journal line, host record, textfile (with the START's, when those were not
 *                 written yet); the fleet FINISH in ZooKeeper, at the same time
 *
 * Never at the job's expense: nothing here throws, every failure is logged at warning (each
 * message once per run) and the run goes on. start() returns at once (CMD is already running);
 * skip() and finish() resolve within `timeoutMs` (config `record_timeout`) whatever the disks
 * and ZooKeeper do. The START's file work is asynchronous (fs.ts): CMD runs then, and a hung file
 * system must not block the event loop where the lock watch beats. A skip's and the FINISH's
 * are synchronous, about twenty calls of a few microseconds each: nothing else runs then.
 *
 * Why the START's local records wait: most cron jobs are short, and while CMD runs the START's
 * file work is a dozen thread-pool round trips (the pool's threads started for them) on the
 * machine CMD runs on; a FINISH that came meanwhile had to wait for them. That was most of what
 * the records added to a short run: measured on 2 cores against local ZooKeeper, the START's
 * journal line alone, written at once, added 2-4 ms to a run of /bin/true (more on a busy
 * machine). So a run shorter than the delay writes its START's journal line, host record and
 * textfile with its FINISH (the two journal lines in one append, START first), and a longer run
 * once the delay is over. The price: a switchman killed with SIGKILL (or a box that crashed) in
 * the first START_RECORD_DELAY_MS of a run leaves no local trace of that START (ZooKeeper's
 * fleet record has it, written at once).
 */
import { describeUser, effectiveUid, userName } from "../job-user.js";
import { asyncFs, syncFs, type Fs } from "./fs.js";
import { appendJournal } from "./journal.js";
import { newestSequence, readHostRecord, updateHostRecord } from "./host-state.js";
import { monotonicMs, randomHex } from "./random-id.js";
import {
  hostWithFinish,
  hostWithSkip,
  isoTimestamp,
  journalLine,
  withStart,
  type HostRecord,
  type JournalEvent,
  type JournalIdentity,
  type Outcome,
  type RunFinish,
  type SkipReason,
  type StartFacts,
} from "./record.js";
import { noteOncePer, userStateDir } from "./state-dir.js";
import { renderTextfile } from "./textfile.js";
import { textfileName, writeTextfileAtomically } from "./textfile-write.js";
import type { FleetRecordWriter } from "./zookeeper-records.js";

/** The records part of the switchman config. */
export interface RecordsSettings {
  /** `state_dir`: the per-user journal and host records; false = none. */
  stateDir: string | false;
  /** `journal_max_bytes`: both journal generations together. */
  journalMaxBytes: number;
  /** `textfile_dir`: node_exporter's textfile directory; false = no textfile. */
  textfileDir: string | false;
  /** True when textfile_dir is the default: its absence then only means node_exporter is not installed. */
  textfileDirIsDefault: boolean;
  /** `record_timeout`, ms: the most skip() and finish() may take. */
  timeoutMs: number;
  /** How long the START's host record and textfile wait, ms (tests); default START_RECORD_DELAY_MS. */
  startRecordDelayMs?: number;
}

/** What names this run. */
export interface RunIdentity {
  /** The record's name: `--lockname`, or with `--no-lock` CMD's base name. */
  lockname: string;
  package?: string;
  group?: string;
  host: string;
  /** switchman's pid. */
  pid: number;
  /** The cron.d file's build id (CRONMETA_BUILD in the job's environment). */
  build?: string;
  /** `--timeout`, seconds. */
  timeoutS?: number;
}

/** How the run ended (the report phase knows). */
export interface FinishFacts {
  outcome: Outcome;
  status: number;
  exitCode: number | null;
  signal: string | null;
  wallS: number;
  userS: number;
  systemS: number;
  peakRssKiB: number | undefined;
  killed: boolean;
}

type Log = (level: "debug" | "warning", message: string) => void;

/** Repeat the "textfile directory not writable" warning at most once a day (it is a setup, not an event). */
const TEXTFILE_WARNING_EVERY_MS = 24 * 3600 * 1000;
const TEXTFILE_WARNED_FILE = "textfile-unwritable";
/** Renders of the textfile chasing newer records before it gives up (a newer writer renders too). */
const MAX_TEXTFILE_RENDERS = 3;
/**
 * The START's journal line, host record and textfile are written once CMD has run this long, ms;
 * a shorter run writes them with its FINISH (see the module comment). Below any scrape interval,
 * so the textfile's last start of a longer run is there by the first scrape that could see it run.
 */
export const START_RECORD_DELAY_MS = 1000;

/** Records of one run. */
export class RunRecorder {
  private runId: string | undefined;
  private readonly uid = effectiveUid();
  private userLabel: string | undefined;
  private readonly warned = new Set<string>();
  private userDir: Promise<string | undefined> | undefined;
  /** Local writes in order (START's journal line before FINISH's, START's host record before FINISH's). */
  private local: Promise<void> = Promise.resolve();
  /** The START's local records (journal line, host record, textfile) while they wait for START_RECORD_DELAY_MS. */
  private pendingStart: { facts: StartFacts; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly settings: RecordsSettings,
    private readonly identity: RunIdentity,
    private readonly log: Log,
    private readonly fleet?: FleetRecordWriter,
  ) {}

  /** This run's id, in its START and FINISH (made when first needed: a skip has none). */
  get run(): string {
    return (this.runId ??= randomHex(8));
  }

  /** The job user's name (or uid), looked up when a record first needs it. */
  private get user(): string {
    return (this.userLabel ??= userName(this.uid));
  }

  /** A start that did not run CMD: journal, skip counter and textfile; never a ZooKeeper request. */
  async skip(reason: SkipReason, detail: string): Promise<void> {
    if (this.settings.stateDir === false) return; // nothing to write, nothing to wait for
    const at = isoTimestamp();
    this.queueLocal(syncFs, [{ event: "skip", at, reason, detail }], (record) => hostWithSkip(record, reason, at));
    await this.bounded(this.local, "skip");
  }

  /** CMD has started: records it, without waiting for anything. */
  start(): void {
    if (this.settings.stateDir === false && this.fleet === undefined) return; // every record is off
    const facts = this.startFacts();
    void this.fleet?.start(facts);
    if (this.settings.stateDir === false) return;
    const timer = setTimeout(() => {
      this.pendingStart = undefined;
      this.queueLocal(asyncFs, [startEvent(facts)], (record) => withStart(record, facts));
    }, this.settings.startRecordDelayMs ?? START_RECORD_DELAY_MS);
    timer.unref(); // CMD keeps switchman alive; this timer alone never should
    this.pendingStart = { facts, timer };
  }

  /** CMD and its group are gone: records how it ended, within `timeoutMs`. */
  async finish(facts: FinishFacts): Promise<void> {
    if (this.settings.stateDir === false && this.fleet === undefined) return;
    const finish: RunFinish = {
      at: isoTimestamp(),
      host: this.identity.host,
      pid: this.identity.pid,
      run: this.run,
      outcome: facts.outcome,
      status: facts.status,
      exit: facts.exitCode,
      signal: facts.signal,
      wall_s: round(facts.wallS, 3),
      user_s: round(facts.userS, 2),
      sys_s: round(facts.systemS, 2),
      maxrss_kib: facts.peakRssKiB ?? null,
      killed: facts.killed,
    };
    // The ZooKeeper FINISH is sent first: its round trip runs while the local files are written.
    const fleet = this.fleet?.finish(finish) ?? Promise.resolve();
    const start = this.pendingStart;
    this.pendingStart = undefined;
    if (start !== undefined) clearTimeout(start.timer);
    const events: JournalEvent[] = start === undefined ? [] : [startEvent(start.facts)];
    events.push({ event: "finish", at: finish.at, finish });
    this.queueLocal(syncFs, events, (record) => hostWithFinish(start === undefined ? record : withStart(record, start.facts), finish));
    await Promise.all([fleet, this.bounded(this.local, "FINISH")]);
  }

  private startFacts(): StartFacts {
    const at = isoTimestamp();
    const facts: StartFacts = { at, host: this.identity.host, pid: this.identity.pid, run: this.run, user: this.user };
    if (this.identity.build !== undefined) facts.build = this.identity.build;
    if (this.identity.timeoutS !== undefined) facts.timeout_s = this.identity.timeoutS;
    if (this.identity.package !== undefined) facts.package = this.identity.package;
    if (this.identity.group !== undefined) facts.group = this.identity.group;
    return facts;
  }

  private journalIdentity(): JournalIdentity {
    const identity: JournalIdentity = { lockname: this.identity.lockname, host: this.identity.host, pid: this.identity.pid, user: this.user };
    if (this.identity.package !== undefined) identity.package = this.identity.package;
    if (this.identity.group !== undefined) identity.group = this.identity.group;
    return identity;
  }

  /** Journal lines (one append), then host record and textfile, after the local work already queued. */
  private queueLocal(fs: Fs, events: JournalEvent[], update: (record: HostRecord) => HostRecord): void {
    const stateDir = this.settings.stateDir;
    if (stateDir === false) return;
    this.local = this.local.then(async () => {
      const dir = await this.stateDir(fs, stateDir);
      if (dir === undefined) return;
      const identity = this.journalIdentity();
      const lines = events.map((event) => journalLine(identity, event));
      await this.attempt("journal", () => appendJournal(dir, lines, this.settings.journalMaxBytes, fs));
      let published: { seq: number; record: HostRecord } | undefined;
      await this.attempt("host record", async () => {
        published = await updateHostRecord(dir, this.identity.lockname, update, fs);
      });
      if (published !== undefined) await this.writeTextfile(fs, dir, published);
    });
  }

  private stateDir(fs: Fs, base: string): Promise<string | undefined> {
    this.userDir ??= userStateDir(base, fs).catch((error: unknown) => {
      this.warnOnce(`run records: ${message(error)}; the job runs without journal, host record and metrics`);
      return undefined;
    });
    return this.userDir;
  }

  /** The textfile of the newest record: re-rendered when a concurrent update published a newer one meanwhile. */
  private async writeTextfile(fs: Fs, userDir: string, published: { seq: number; record: HostRecord }): Promise<void> {
    const dir = this.settings.textfileDir;
    if (dir === false) return;
    const name = textfileName(this.uid, this.identity.lockname);
    let current = published;
    for (let render = 0; render < MAX_TEXTFILE_RENDERS; render++) {
      const text = renderTextfile(current.record, { package: this.identity.package ?? "", user: this.user });
      try {
        await writeTextfileAtomically(dir, name, text, fs);
      } catch (error) {
        await this.textfileTrouble(fs, userDir, dir, error);
        return;
      }
      let newer: { seq: number; record: HostRecord } | undefined;
      try {
        if ((await newestSequence(userDir, this.identity.lockname, fs)) === current.seq) return;
        newer = await readHostRecord(userDir, this.identity.lockname, fs);
      } catch {
        return; // the newer record's own writer renders it
      }
      if (newer === undefined || newer.seq <= current.seq) return;
      current = newer;
    }
  }

  private async textfileTrouble(fs: Fs, userDir: string, dir: string, error: unknown): Promise<void> {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && this.settings.textfileDirIsDefault) {
      this.log("debug", `no Prometheus textfile: ${dir} does not exist (prometheus-node-exporter is not installed)`);
      return;
    }
    const text = `cannot write the Prometheus textfile in ${dir} as ${describeUser(this.uid)}: ${message(error)}`;
    if (code !== "EACCES" && code !== "EPERM" && code !== "EROFS") {
      this.warnOnce(`run records: ${text}`);
      return;
    }
    // A directory this user may not write is a setup, not an event: say so once a day, not on every run.
    if (!(await noteOncePer(userDir, TEXTFILE_WARNED_FILE, TEXTFILE_WARNING_EVERY_MS, fs))) {
      this.log("debug", `run records: ${text} (warned at most once a day)`);
      return;
    }
    this.warnOnce(
      `run records: ${text}; let ${this.user} write there (for example setfacl -m u:${this.user}:rwx ${dir}), ` +
        `point textfile_dir elsewhere, or set it to false; this warning repeats once a day`,
    );
  }

  private async attempt(what: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      this.warnOnce(`run records: ${what} not written: ${message(error)}`);
    }
  }

  /** Waits for `work` at most `timeoutMs`; a late one is reported and left to finish on its own. */
  private async bounded(work: Promise<void>, what: string): Promise<void> {
    const begun = monotonicMs();
    let done = false;
    const finished = work.then(() => {
      done = true;
      return "done" as const;
    });
    finished.catch(() => undefined); // handled by the race below, after the immediate: never "unhandled" meanwhile
    // Work of synchronous file calls (a skip's, the FINISH's) has settled once the microtasks
    // have run, before an immediate does: then no timer is armed (a skip's first and only
    // timer cost it about a millisecond, half of it at exit). Only work that waits (a retry's
    // pause, the START's thread-pool calls) gets one.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (done) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), Math.max(0, this.settings.timeoutMs - (monotonicMs() - begun)));
    });
    const outcome = await Promise.race([finished, late]);
    clearTimeout(timer);
    if (outcome === "late") {
      this.warnOnce(`run records: the local ${what} records took longer than ${this.settings.timeoutMs} ms (record_timeout); not waiting for them`);
    }
  }

  private warnOnce(text: string): void {
    if (this.warned.has(text)) return;
    this.warned.add(text);
    this.log("warning", text);
  }
}

function startEvent(facts: StartFacts): JournalEvent {
  return { event: "start", at: facts.at, start: facts };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
