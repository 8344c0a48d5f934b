/**
 * `switchman --status [--local] [--format table|json] [LOCKNAME...]`: prints the run records on
 * stdout (docs/switchman-records.md). In ZooKeeper mode the fleet records under `<prefix>/runs`
 * (a session of its own, no lock, nothing written), with `--local` or in local mode this host's
 * records of every job user in `state_dir`. Returns the exit status: 0, 2 for a config that keeps
 * no such records, 75 when ZooKeeper cannot be reached within connect_timeout.
 */
import { recordsConfig, type SwitchmanConfig } from "./config.js";
import { SwitchmanError } from "./coordinator.js";
import type { Invocation } from "./args.js";
import { formatTimestamp } from "./log.js";
import { fleetTable, hostTable, statusJson } from "./records/status-format.js";
import { readFleetRecords, readHostRecords } from "./records/status-read.js";

/** Where status prints. */
interface StatusIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Prints the records that `invocation` asks for. */
export async function printStatus(
  invocation: Extract<Invocation, { kind: "status" }>,
  config: SwitchmanConfig,
  configPath: string,
  io: StatusIo,
): Promise<number> {
  const { names, format } = invocation;
  try {
    if (config.mode === "local" || invocation.local) {
      const { stateDir } = recordsConfig(config);
      if (stateDir === false) throw new SwitchmanError(`config ${configPath}: state_dir is false, so this host keeps no run records`, 2);
      const entries = await readHostRecords(stateDir, names);
      io.stdout(format === "json" ? statusJson({ source: "local", state_dir: stateDir }, entries) : hostTable(stateDir, entries, formatTimestamp));
      return 0;
    }
    const { openFleetReader } = await import("./records/zk-store.js");
    const reader = await openFleetReader(config);
    try {
      const entries = await readFleetRecords(reader, config.prefix, names, config.connect_timeout * 1000);
      io.stdout(format === "json" ? statusJson({ source: "zookeeper", prefix: config.prefix }, entries) : fleetTable(config.prefix, entries, formatTimestamp));
      return 0;
    } finally {
      await reader.close();
    }
  } catch (error) {
    if (error instanceof SwitchmanError) {
      io.stderr(`switchman: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined || (error as Error).name === "StoreError") {
      io.stderr(`switchman: cannot read the run records: ${(error as Error).message}\n`);
      return code === undefined ? 75 : 2;
    }
    throw error;
  }
}
