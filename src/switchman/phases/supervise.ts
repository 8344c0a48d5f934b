/**
 * Phase 3 of a run, supervise: START, then CMD under the Supervisor while the coordinator
 * watches the lock and the group.
 *
 * Contract: starts CMD exactly once and resolves when CMD and everything left in its process
 * group are gone, with how CMD ended and, when it was stopped for one, the first loss. A loss
 * (reported at most once by the coordinator, possibly before CMD has even started) is logged at
 * warning and terminates CMD's group; a forwarded signal is passed on to the group. The guard
 * process gets the deadline by which CMD must be dead (see guardDeadline).
 */
import { DETECTION_BUDGET_S, SAFETY_MARGIN_S } from "../budget.js";
import type { SwitchmanConfig } from "../config.js";
import type { AcquireRequest, Coordinator, LossReport } from "../coordinator.js";
import type { Logger } from "../log.js";
import type { SignalRelay } from "../signals.js";
import { Supervisor, type ChildResult } from "../supervisor.js";

/** How the supervised run ended. */
export interface Supervised {
  result: ChildResult;
  /** Set when CMD was stopped because the lock or the group was lost. */
  lost?: LossReport;
}

/** What supervise needs. */
export interface SuperviseOptions {
  coordinator: Coordinator;
  request: AcquireRequest;
  command: string[];
  env: Record<string, string | undefined>;
  config: SwitchmanConfig;
  signals: SignalRelay;
  log: Logger;
}

/** Runs CMD to its end; see the module comment for the contract. */
export async function supervise(options: SuperviseOptions): Promise<Supervised> {
  const { coordinator, request, command, config, signals, log } = options;
  log.info(
    `START lockname=${request.lockname ?? "-"} group=${request.group ?? "-"} host=${request.host} ` +
      `command=${JSON.stringify(command)}`,
  );
  let lost: LossReport | undefined;
  // The watch starts first and may report before CMD runs: then CMD is terminated once started.
  const started: { supervisor?: Supervisor } = {};
  coordinator.watch((loss) => {
    if (lost !== undefined) return;
    lost = loss;
    log.warning(`${loss.reason}: ${loss.detail}; stopping CMD (SIGTERM, SIGKILL after ${config.termination_timeout} s)`);
    started.supervisor?.terminate();
  });
  const running = Supervisor.start({
    command,
    env: options.env,
    terminationTimeoutS: config.termination_timeout,
    warn: (message) => log.warning(message),
    remainingMs: guardDeadline(coordinator, config),
    lockFd: coordinator.lockFd?.(),
  });
  started.supervisor = running;
  if (lost !== undefined) running.terminate();
  signals.routeTo((signal) => {
    log.info(`received ${signal}: forwarding it to CMD's process group`);
    running.terminate(signal);
  });
  const result = await running.finished;
  return lost === undefined ? { result } : { result, lost };
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
