/**
 * Chooses the coordination back end (SPEC 8.1): ZooKeeper when the config has `zkhosts`,
 * local mode (8.4) otherwise.
 */
import type { SwitchmanConfig } from "./config.js";
import { SwitchmanError, type Coordinator } from "./coordinator.js";
import { createLocalCoordinator } from "./local/index.js";
import type { Logger } from "./log.js";

/** The Coordinator for this configuration. */
export function createCoordinator(config: SwitchmanConfig, env: Record<string, string | undefined>, _log: Logger): Coordinator {
  if (config.zkhosts !== undefined) {
    throw new SwitchmanError("ZooKeeper back end not built yet", 2);
  }
  return createLocalCoordinator({ groups: config.groups ?? {}, lockdir: config.lockdir, env });
}
