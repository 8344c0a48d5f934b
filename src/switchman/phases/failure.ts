/** switchman's own failures during a run: a SwitchmanError is its exit status; anything else is a bug. */
import { SwitchmanError } from "../coordinator.js";
import type { Logger } from "../log.js";

/** The exit status of a SwitchmanError, logged at critical (so also on stderr); rethrows anything else. */
export function failureStatus(error: unknown, log: Logger): number {
  if (!(error instanceof SwitchmanError)) throw error;
  log.critical(error.message);
  return error.exitCode;
}
