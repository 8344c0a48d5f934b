/**
 * switchman's run path (SPEC 8), in named phases, each with its contract in its module:
 *
 *   1. prepare    the command line, the config file, the log          (here; usage errors exit 2)
 *   2. acquire    the coordinator's decision: group, then lock        (phases/acquire.ts)
 *   3. supervise  START, CMD under supervision, losses and signals    (phases/supervise.ts)
 *   4. report     FINISH and the exit status                          (phases/report.ts, phases/outcome.ts)
 *
 * The run records (records/recorder.ts) follow the phases: a skip's at the end of phase 2, the
 * START as CMD starts in phase 3, the FINISH after phase 4, before the coordinator is closed.
 * `--status` prints the records instead of running anything (status.ts).
 *
 * The coordinator is closed whatever happens after it was made (the lock disappears at once),
 * and the forwarded signals are caught from phase 1 on: each phase says where they go.
 * Returns the exit status of SPEC 8.3; never exits.
 */
import { basename, resolve } from "node:path";
import { isLockname } from "../syntax/lockname.js";
import type { Lease } from "../syntax/lease.js";
import { VERSION } from "../version.js";
import { USAGE, parseInvocation, type Invocation } from "./args.js";
import { createCoordinator } from "./backend.js";
import { loadConfig, recordsConfig, type SwitchmanConfig } from "./config.js";
import { SwitchmanError, type AcquireRequest, type Coordinator } from "./coordinator.js";
import { hostFqdn } from "./hostname.js";
import { configAccessHint } from "./job-user.js";
import { Logger } from "./log.js";
import { acquire } from "./phases/acquire.js";
import { failureStatus } from "./phases/failure.js";
import { finishFacts, timeLimitStatus } from "./phases/outcome.js";
import { report } from "./phases/report.js";
import { RunRecorder, type RunIdentity } from "./records/recorder.js";
import { FleetRecordWriter } from "./records/zookeeper-records.js";
import { SignalRelay, signalNumber } from "./signals.js";

/** Where switchman prints: `--help`/`--version` on stdout, its own errors on stderr. */
export interface SwitchmanIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Seams for tests: a coordinator can lose its lock on cue, which no local lock can do. */
export interface MainDependencies {
  createCoordinator: (...args: Parameters<typeof createCoordinator>) => Coordinator | Promise<Coordinator>;
}

/** A run that phase 1 prepared: what the later phases work with. */
interface Prepared {
  kind: "run";
  command: string[];
  group: string | undefined;
  lockname: string | undefined;
  package: string | undefined;
  timeout: { text: string; seconds: number } | undefined;
  /** `--lease`s (issue 16), syntax checked; evaluated on this host in phase 2 (lease/evaluate.ts). */
  leases: Lease[];
  /** `--wait`, seconds. */
  waitS: number | undefined;
  /** `--concurrency replace`. */
  replace: boolean;
  config: SwitchmanConfig;
  configPath: string;
}

/** `--status`, prepared. */
interface PreparedStatus {
  kind: "status";
  invocation: Extract<Invocation, { kind: "status" }>;
  config: SwitchmanConfig;
  configPath: string;
}

/** Runs switchman with its arguments (without node and script) and returns the exit status. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: SwitchmanIo,
  deps: MainDependencies = { createCoordinator },
): Promise<number> {
  const prepared = prepare(argv, io);
  if (typeof prepared === "number") return prepared;
  if (prepared.kind === "status") return (await import("./status.js")).printStatus(prepared.invocation, prepared.config, prepared.configPath, io);
  if (prepared.kind === "canary") return (await (await import("./canary.js")).runCanary(prepared.argv, env, io)).status;
  const { config } = prepared;
  const log = new Logger({ level: config.loglevel, pid: process.pid, stderr: io.stderr, ...(config.logfile ? { file: config.logfile } : {}) });
  const signals = new SignalRelay();
  try {
    return await run(prepared, env, signals, log, deps);
  } finally {
    signals.dispose();
    await log.flush(); // syslog lines under way (a log file this user cannot write)
    log.close();
  }
}

/** Phase 1: the command line and the config file; a number is the exit status (help, version, usage or config error). */
function prepare(argv: string[], io: SwitchmanIo): Prepared | PreparedStatus | Extract<Invocation, { kind: "canary" }> | number {
  const invocation = parseInvocation(argv);
  if ("error" in invocation) {
    io.stderr(`switchman: ${invocation.error}\n`);
    return 2;
  }
  if (invocation.kind === "help") {
    io.stdout(USAGE);
    return 0;
  }
  if (invocation.kind === "version") {
    io.stdout(`switchman (cronmeta) ${VERSION}\n`);
    return 0;
  }
  if (invocation.kind === "canary") return invocation;
  const configPath = resolve(invocation.config);
  try {
    const config = loadConfig(configPath);
    if (invocation.kind === "status") return { kind: "status", invocation, config, configPath };
    return {
      kind: "run",
      command: invocation.command,
      group: invocation.group,
      lockname: invocation.lockname,
      package: invocation.package,
      timeout: invocation.timeout,
      leases: invocation.leases,
      waitS: invocation.wait?.seconds,
      replace: invocation.concurrency === "replace",
      config,
      configPath,
    };
  } catch (error) {
    if (!(error instanceof SwitchmanError)) throw error;
    io.stderr(`switchman: ${error.message}${configAccessHint(configPath)}\n`);
    return error.exitCode;
  }
}

/** Phases 2-4 around one coordinator, which is always closed. */
async function run(
  prepared: Prepared,
  env: Record<string, string | undefined>,
  signals: SignalRelay,
  log: Logger,
  deps: MainDependencies,
): Promise<number> {
  const { command, group, lockname, config, configPath } = prepared;
  const request: AcquireRequest = { host: await hostFqdn(env), pid: process.pid, group, lockname, startedAt: 0 }; // performance.now() counts from the process's start
  let coordinator: Coordinator;
  try {
    if (prepared.leases.length > 0) request.leases = await leaseRequest(prepared, request.host);
    if (prepared.waitS !== undefined) request.waitS = prepared.waitS;
    if (prepared.replace) request.replace = true;
    coordinator = await deps.createCoordinator(config, env, log, configPath);
  } catch (error) {
    return failureStatus(error, log);
  }
  try {
    const acquired = await acquire(coordinator, request, signals, log);
    if (!acquired.run) {
      if (acquired.skip !== undefined) {
        // A skip's records are local files only: they are written while the session's close
        // makes its round trip to the server, not after it (close() is idempotent, the finally
        // below awaits the same close).
        const closing = coordinator.close();
        try {
          await recorder(prepared, request, env, log)?.skip(acquired.skip.reason, acquired.skip.detail);
        } finally {
          await closing;
        }
      }
      return acquired.status;
    }
    // Loaded only to run CMD (it brings node:child_process): a skip never loads it. A signal
    // while it loads went to acquire's route (the coordinator is closing): CMD must not start.
    const { supervise } = await import("./phases/supervise.js");
    if (signals.received !== undefined) {
      log.warning(`received ${signals.received} before CMD started: not running it`);
      return 128 + signalNumber(signals.received);
    }
    const records = recorder(prepared, request, env, log, coordinator);
    const supervised = await supervise({
      coordinator,
      request,
      command,
      env,
      config,
      signals,
      log,
      timeout: prepared.timeout,
      onStarted: () => records?.start(),
    });
    const status = timeLimitStatus(report(lockname, supervised, log), supervised, prepared.timeout?.text, log);
    // Before the session closes: the lock still excludes the next run, whose START reads this FINISH.
    await records?.finish(finishFacts(supervised, status));
    return status;
  } finally {
    await coordinator.close();
  }
}

/** The leases on this host (loaded only for a run with leases), queued under the lock name or CMD's base name. */
async function leaseRequest(prepared: Prepared, host: string): Promise<NonNullable<AcquireRequest["leases"]>> {
  const { evaluateLeases } = await import("./lease/evaluate.js");
  const base = basename(prepared.command[0] ?? "");
  return { list: evaluateLeases(prepared.leases, host), name: prepared.lockname ?? (isLockname(base) ? base : "run") };
}

/**
 * This run's records, or undefined when it has no name: the lock name, or with `--no-lock`
 * CMD's base name when that is a valid lock name. The fleet record is written only under a lock.
 */
function recorder(
  prepared: Prepared,
  request: AcquireRequest,
  env: Record<string, string | undefined>,
  log: Logger,
  coordinator?: Coordinator,
): RunRecorder | undefined {
  const name = prepared.lockname ?? basename(prepared.command[0] ?? "");
  if (!isLockname(name)) {
    log.debug(`no run records: CMD's base name ${JSON.stringify(name)} is not a valid lock name (pass --lockname or use a lock)`);
    return undefined;
  }
  const settings = recordsConfig(prepared.config);
  const identity: RunIdentity = { lockname: name, host: request.host, pid: request.pid };
  const pkg = prepared.package ?? prepared.group;
  if (pkg !== undefined) identity.package = pkg;
  if (prepared.group !== undefined) identity.group = prepared.group;
  if (env.CRONMETA_BUILD !== undefined && env.CRONMETA_BUILD !== "") identity.build = env.CRONMETA_BUILD.slice(0, 100);
  if (prepared.timeout !== undefined) identity.timeoutS = prepared.timeout.seconds;
  const timeoutMs = settings.recordTimeoutS * 1000;
  const access = settings.runRecords && prepared.lockname !== undefined ? coordinator?.runRecords?.() : undefined;
  const fleet =
    access === undefined
      ? undefined
      : new FleetRecordWriter({
          ...access,
          lockname: prepared.lockname as string,
          timeoutMs,
          log: (level, message) => log.log(level, message),
        });
  return new RunRecorder(
    {
      stateDir: settings.stateDir,
      journalMaxBytes: settings.journalMaxBytes,
      textfileDir: settings.textfileDir,
      textfileDirIsDefault: settings.textfileDirIsDefault,
      timeoutMs,
    },
    identity,
    (level, message) => log.log(level, message),
    fleet,
  );
}
