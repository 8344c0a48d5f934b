/**
 * switchman's run path (SPEC 8), in named phases, each with its contract in its module:
 *
 *   1. prepare    the command line, the config file, the log          (here; usage errors exit 2)
 *   2. acquire    the coordinator's decision: group, then lock        (phases/acquire.ts)
 *   3. supervise  START, CMD under supervision, losses and signals    (phases/supervise.ts)
 *   4. report     FINISH and the exit status                          (phases/report.ts)
 *
 * The coordinator is closed whatever happens after it was made (the lock disappears at once),
 * and the forwarded signals are caught from phase 1 on: each phase says where they go.
 * Returns the exit status of SPEC 8.3; never exits.
 */
import { resolve } from "node:path";
import { VERSION } from "../version.js";
import { USAGE, parseInvocation } from "./args.js";
import { createCoordinator } from "./backend.js";
import { loadConfig, type SwitchmanConfig } from "./config.js";
import { SwitchmanError, type Coordinator } from "./coordinator.js";
import { hostFqdn } from "./hostname.js";
import { configAccessHint } from "./job-user.js";
import { Logger } from "./log.js";
import { acquire } from "./phases/acquire.js";
import { failureStatus } from "./phases/failure.js";
import { report } from "./phases/report.js";
import { supervise } from "./phases/supervise.js";
import { SignalRelay } from "./signals.js";

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
  command: string[];
  group: string | undefined;
  lockname: string | undefined;
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
function prepare(argv: string[], io: SwitchmanIo): Prepared | number {
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
  const configPath = resolve(invocation.config);
  try {
    const config = loadConfig(configPath);
    return { command: invocation.command, group: invocation.group, lockname: invocation.lockname, config, configPath };
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
  const request = { host: await hostFqdn(env), pid: process.pid, group, lockname };
  let coordinator: Coordinator;
  try {
    coordinator = await deps.createCoordinator(config, env, log, configPath);
  } catch (error) {
    return failureStatus(error, log);
  }
  try {
    const acquired = await acquire(coordinator, request, signals, log);
    if (!acquired.run) return acquired.status;
    const supervised = await supervise({ coordinator, request, command, env, config, signals, log });
    return report(lockname, supervised, log);
  } finally {
    await coordinator.close();
  }
}
