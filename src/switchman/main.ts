/**
 * switchman: parse the command line, load the config, decide (group, lock), run CMD under
 * supervision, log START/FINISH, and return the exit status of SPEC 8.3. Never exits.
 */
import { resolve } from "node:path";
import { constants } from "node:os";
import { VERSION } from "../version.js";
import { USAGE, parseInvocation } from "./args.js";
import { createCoordinator } from "./backend.js";
import { DETECTION_BUDGET_S, SAFETY_MARGIN_S } from "./budget.js";
import { loadConfig, type SwitchmanConfig } from "./config.js";
import { SwitchmanError, type Coordinator, type LossReport } from "./coordinator.js";
import { hostFqdn } from "./hostname.js";
import { Logger } from "./log.js";
import { Supervisor, type ChildResult } from "./supervisor.js";

/** Where switchman prints: `--help`/`--version` on stdout, its own errors on stderr. */
export interface SwitchmanIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit status when switchman stopped CMD because it lost the lock or the group. */
export const EXIT_LOST = 70;

/** Signals switchman forwards to CMD's process group (SPEC 8.3). */
const FORWARDED: NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"];

const signalNumber = (signal: NodeJS.Signals): number => constants.signals[signal] ?? 0;

/** Seams for tests: a coordinator can lose its lock on cue, which no local lock can do. */
export interface MainDependencies {
  createCoordinator: (...args: Parameters<typeof createCoordinator>) => Coordinator | Promise<Coordinator>;
}

/** Runs switchman with its arguments (without node and script) and returns the exit status. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: SwitchmanIo,
  deps: MainDependencies = { createCoordinator },
): Promise<number> {
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
  let config: SwitchmanConfig;
  const configPath = resolve(invocation.config);
  try {
    config = loadConfig(configPath);
  } catch (error) {
    if (!(error instanceof SwitchmanError)) throw error;
    io.stderr(`switchman: ${error.message}\n`);
    return error.exitCode;
  }
  const log = new Logger({ level: config.loglevel, pid: process.pid, stderr: io.stderr, ...(config.logfile ? { file: config.logfile } : {}) });

  // Signals are caught from the start: dying by default action would skip closing the session.
  let pending: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
    pending ??= signal;
  };
  const handler = (signal: NodeJS.Signals): void => onSignal(signal);
  for (const signal of FORWARDED) process.on(signal, handler);
  try {
    const request = { host: await hostFqdn(env), pid: process.pid, group: invocation.group, lockname: invocation.lockname };
    let coordinator: Coordinator;
    try {
      coordinator = await deps.createCoordinator(config, env, log, configPath);
    } catch (error) {
      return failed(error, log);
    }
    try {
      // A signal while connecting (up to connect_timeout) closes the session at once.
      onSignal = (signal) => {
        pending ??= signal;
        void coordinator.close();
      };
      let decision;
      try {
        if (pending === undefined) decision = await coordinator.acquire(request);
      } catch (error) {
        if (pending === undefined) return failed(error, log);
      }
      if (pending !== undefined) {
        log.warning(`received ${pending} before CMD started: not running it`);
        return 128 + signalNumber(pending);
      }
      if (decision === undefined) throw new Error("acquire returned nothing");
      if (!decision.run) {
        log.info(`SKIP ${decision.reason}: ${decision.detail}; lockname=${request.lockname ?? "-"} group=${request.group ?? "-"}`);
        return 0;
      }
      log.info(
        `START lockname=${request.lockname ?? "-"} group=${request.group ?? "-"} host=${request.host} ` +
          `command=${JSON.stringify(invocation.command)}`,
      );
      let lost: LossReport | undefined;
      const running: { supervisor?: Supervisor } = {};
      coordinator.watch((loss) => {
        if (lost !== undefined) return;
        lost = loss;
        log.warning(`${loss.reason}: ${loss.detail}; stopping CMD (SIGTERM, SIGKILL after ${config.termination_timeout} s)`);
        running.supervisor?.terminate();
      });
      const supervisor = Supervisor.start({
        command: invocation.command,
        env,
        terminationTimeoutS: config.termination_timeout,
        warn: (message) => log.warning(message),
        remainingMs: guardDeadline(coordinator, config),
        lockFd: coordinator.lockFd?.(),
      });
      running.supervisor = supervisor;
      if (lost !== undefined) supervisor.terminate();
      onSignal = (signal) => {
        log.info(`received ${signal}: forwarding it to CMD's process group`);
        supervisor.terminate(signal);
      };
      const result = await supervisor.finished;
      log.info(finishMessage(request.lockname, result));
      if (result.startError !== undefined) {
        log.critical(`cannot start CMD: ${result.startError}`);
        return EXIT_LOST;
      }
      if (result.guardFired) {
        log.warning(
          `exit ${EXIT_LOST}: switchman could not prove the lock in time (was it stopped or blocked?); ` +
            "the guard process killed CMD's process group",
        );
        return EXIT_LOST;
      }
      if (lost !== undefined) {
        log.warning(`exit ${EXIT_LOST}: CMD was stopped because of ${lost.reason}`);
        return EXIT_LOST;
      }
      return result.status;
    } finally {
      await coordinator.close();
    }
  } finally {
    for (const signal of FORWARDED) process.off(signal, handler);
    log.close();
  }
}

/**
 * How long the guard may go without a beat before it kills CMD: the coordinator's own figure
 * when it gives one; with ZooKeeper otherwise the session timeout less the detection budget
 * and the margin (budget.ts); no limit in local mode, where the kernel keeps the flock.
 */
function guardDeadline(coordinator: Coordinator, config: SwitchmanConfig): () => number | undefined {
  if (coordinator.remainingMs !== undefined) return () => coordinator.remainingMs?.();
  if (config.mode === "local") return () => undefined;
  const fallbackMs = (config.session_timeout - DETECTION_BUDGET_S - SAFETY_MARGIN_S) * 1000;
  return () => fallbackMs;
}

/** A SwitchmanError becomes its exit status, logged at critical (so also on stderr). */
function failed(error: unknown, log: Logger): number {
  if (!(error instanceof SwitchmanError)) throw error;
  log.critical(error.message);
  return error.exitCode;
}

/** `FINISH lockname=… exit=N|signal=SIG… duration=…s user=…s sys=…s maxrss=…KiB`. */
export function finishMessage(lockname: string | undefined, result: ChildResult): string {
  const how = result.signal !== null ? `signal=${result.signal}` : `exit=${result.exitCode ?? "-"}`;
  return (
    `FINISH lockname=${lockname ?? "-"} ${how} status=${result.status} duration=${result.wallS.toFixed(3)}s ` +
    `user=${result.userS.toFixed(2)}s sys=${result.systemS.toFixed(2)}s ` +
    `maxrss=${result.peakRssKiB === undefined ? "-" : `${result.peakRssKiB}KiB`}${result.killed ? " killed=SIGKILL" : ""}`
  );
}
