/**
 * Chooses the coordination back end (SPEC 8.1): ZooKeeper when the config has `zkhosts`,
 * local mode (8.4) otherwise.
 */
import type { SwitchmanConfig } from "./config.js";
import type { Coordinator } from "./coordinator.js";
import { createLocalCoordinator } from "./local/index.js";
import type { Logger } from "./log.js";
import { createZooKeeperCoordinator } from "./zookeeper/index.js";

/** The Coordinator for this configuration. */
export function createCoordinator(config: SwitchmanConfig, env: Record<string, string | undefined>, log: Logger): Coordinator {
  if (config.zkhosts !== undefined && config.prefix !== undefined) {
    return createZooKeeperCoordinator({
      zkhosts: config.zkhosts,
      prefix: config.prefix,
      sessionTimeoutS: config.session_timeout,
      connectTimeoutS: config.connect_timeout,
      terminationTimeoutS: config.termination_timeout,
      log: (level, message) => log.log(level, message),
    });
  }
  return createLocalCoordinator({ groups: config.groups ?? {}, lockdir: config.lockdir, env });
}
