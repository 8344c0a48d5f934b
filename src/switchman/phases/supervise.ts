/**
 * Phase 3 of a run, supervise: START, then CMD under the Supervisor while the coordinator
 * watches the lock and the group.
 *
 * Contract: starts CMD exactly once and resolves when CMD and everything left in its process
 * group are gone, with how CMD ended and, when it was stopped for one, the first loss. A loss
 * (reported at most once by the coordinator, possibly before CMD has even started) is logged at
 * warning and terminates CMD's group; a forwarded signal is passed on to the group, unless the
 * back end takes it for its own request (local `--concurrency replace`): then it is a loss. The guard
 * process gets the deadline by which CMD must be dead (see guardDeadline).
 *
 * With `--timeout`, CMD that still runs when its time is up is terminated the same way (logged
 * at warning) and the result says so (`timedOut`); a loss before that wins. `onStarted` runs
 * once CMD has been spawned (the run records' START: CMD never waits for it). A loss reported
 * after CMD and its group are gone (while the FINISH is written) changes nothing.
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
  /** Set when CMD was stopped at `--timeout`. */
  timedOut?: true;
}

/** setTimeout's longest delay (2^31 - 1 ms, about 24.8 days); longer limits are reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What supervise needs. */
export interface SuperviseOptions {
  coordinator: Coordinator;
  request: AcquireRequest;
  command: string[];
  env: Record<string, string | undefined>;
  config: SwitchmanConfig;
  signals: SignalRelay;
  log: Logger;
  /** `--timeout`: CMD's time limit, as written and in seconds. */
  timeout?: { text: string; seconds: number } | undefined;
  /** Called once CMD has been spawned. */
  onStarted?: () => void;
}

/** Runs CMD to its end; see the module comment for the contract. */
export async function supervise(options: SuperviseOptions): Promise<Supervised> {
  const { coordinator, request, command, config, signals, log } = options;
  log.info(
    `START lockname=${request.lockname ?? "-"} group=${request.group ?? "-"} host=${request.host} ` +
      `command=${JSON.stringify(command)}`,
  );
  let lost: LossReport | undefined;
  let timedOut = false;
  let finished = false;
  // The watch starts first and may report before CMD runs: then CMD is terminated once started.
  const started: { supervisor?: Supervisor } = {};
  const onLost = (loss: LossReport): void => {
    if (lost !== undefined || finished) return;
    lost = loss;
    log.warning(`${loss.reason}: ${loss.detail}; stopping CMD (SIGTERM, SIGKILL after ${config.termination_timeout} s)`);
    started.supervisor?.terminate();
  };
  coordinator.watch(onLost);
  const running = Supervisor.start({
    command,
    env: options.env,
    terminationTimeoutS: config.termination_timeout,
    warn: (message) => log.warning(message),
    remainingMs: guardDeadline(coordinator, config),
    lockFd: coordinator.lockFd?.(),
    extraFds: coordinator.leaseFds?.() ?? [],
  });
  started.supervisor = running;
  if (lost !== undefined) running.terminate();
  signals.routeTo((signal) => {
    // A back end's own request (local replace) is a loss, not a signal for CMD.
    const loss = coordinator.lossForSignal?.(signal);
    if (loss !== undefined) return onLost(loss);
    log.info(`received ${signal}: forwarding it to CMD's process group`);
    running.terminate(signal);
  });
  options.onStarted?.();
  const limit = options.timeout;
  const timer = limit === undefined ? undefined : timeLimit(limit.seconds * 1000, () => {
    if (lost !== undefined || finished) return;
    timedOut = true;
    log.warning(
      `timeout: CMD ran longer than ${limit.text} (--timeout); stopping it (SIGTERM, SIGKILL after ${config.termination_timeout} s)`,
    );
    running.terminate();
  });
  const result = await running.finished;
  finished = true;
  timer?.cancel();
  const supervised: Supervised = { result };
  if (lost !== undefined) supervised.lost = lost;
  else if (timedOut) supervised.timedOut = true;
  return supervised;
}

/** Calls `fire` after `ms` (in steps of at most MAX_TIMER_MS); cancel() stops it. */
function timeLimit(ms: number, fire: () => void): { cancel: () => void } {
  const deadline = performance.now() + ms; // monotonic: a clock step neither shortens nor stretches the limit
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = deadline - performance.now();
    if (left <= 0) fire();
    else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
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
