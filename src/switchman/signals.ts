/**
 * The signals switchman forwards to CMD (SPEC 8.3): SIGTERM, SIGINT, SIGHUP and SIGQUIT. They are
 * caught from the very start, because dying by their default action would skip closing the
 * ZooKeeper session; each phase of the run says where they go while it runs (acquire: close the
 * session, do not start CMD; supervise: forward to CMD's process group).
 */
import { constants } from "node:os";

/** Signals switchman forwards to CMD's process group. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"];

/** N of signal N, for the exit status 128+N. */
export function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}

/** Catches the forwarded signals for one run and hands them to the current phase. */
export class SignalRelay {
  private first: NodeJS.Signals | undefined;
  private route: ((signal: NodeJS.Signals) => void) | undefined;
  private readonly handler = (signal: NodeJS.Signals): void => {
    this.first ??= signal;
    this.route?.(signal);
  };

  /** Starts catching (until {@link dispose}); until a phase routes them, signals are only remembered. */
  constructor() {
    for (const signal of FORWARDED_SIGNALS) process.on(signal, this.handler);
  }

  /** The first signal received so far, if any. */
  get received(): NodeJS.Signals | undefined {
    return this.first;
  }

  /** From now on, every signal also goes to `route`. */
  routeTo(route: (signal: NodeJS.Signals) => void): void {
    this.route = route;
  }

  /** Stops catching. */
  dispose(): void {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, this.handler);
    this.route = undefined;
  }
}
