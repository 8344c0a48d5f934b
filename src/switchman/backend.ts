/**
 * Chooses the coordination back end (SPEC 8.1): ZooKeeper when the config has `zkhosts`,
 * local mode (8.4) otherwise. The ZooKeeper client is loaded only when needed: importing it
 * costs about 0.1 s of start-up, on every cron line of a box in local mode.
 */
import { loadConfig, type SwitchmanConfig } from "./config.js";
import type { Coordinator } from "./coordinator.js";
import type { Groups } from "./groups.js";
import { createLocalCoordinator } from "./local/index.js";
import type { Logger } from "./log.js";

/** The Coordinator for this configuration. */
export async function createCoordinator(
  config: SwitchmanConfig,
  env: Record<string, string | undefined>,
  log: Logger,
  configPath: string,
): Promise<Coordinator> {
  if (config.mode === "zookeeper") {
    const { createZooKeeperCoordinator } = await import("./zookeeper/index.js");
    return createZooKeeperCoordinator({
      zkhosts: config.zkhosts,
      prefix: config.prefix,
      sessionTimeoutS: config.session_timeout,
      connectTimeoutS: config.connect_timeout,
      terminationTimeoutS: config.termination_timeout,
      log: (level, message) => log.log(level, message),
    });
  }
  return createLocalCoordinator({
    groups: config.groups ?? {},
    lockdir: config.lockdir,
    env,
    reload: { path: configPath, groups: () => localGroups(loadConfig(configPath)) },
    log: (level, message) => log.log(level, message),
  });
}

/** The groups of a config re-read while CMD runs: a file that switched to ZooKeeper mode has none here. */
function localGroups(config: SwitchmanConfig): Groups {
  return config.mode === "local" ? (config.groups ?? {}) : {};
}
