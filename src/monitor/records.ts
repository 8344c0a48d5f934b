/**
 * Where the monitor's facts come from, read-only: switchman's config (/etc/switchman.conf) says
 * ZooKeeper (`zkhosts`, `prefix`: the fleet records `<prefix>/runs/<lockname>` and the groups in
 * `<prefix>`) or local mode (the host records in the state directory, the groups in the config).
 * Any failure to read is a {@link RecordsUnavailableError} (the plugin's CRITICAL): the monitor
 * never reports OK on facts it could not read. A record that is there but does not parse is bad
 * input (MonitorInputError, UNKNOWN), never skipped.
 */
import zookeeper from "node-zookeeper-client";
import { resolveGroup, type Groups } from "../switchman/groups.js";
import { loadConfig, recordsConfig, type SwitchmanConfig } from "../switchman/config.js";
import { parseFleetRecord, type FleetRecord, type HostRecord } from "../switchman/records/record.js";
import { readHostRecords } from "../switchman/records/status-read.js";
import { parsePrefixData } from "../switchman/groups.js";
import { MonitorInputError } from "./manifests.js";

/** ZooKeeper or the state directory could not be read. */
export class RecordsUnavailableError extends Error {
  override readonly name = "RecordsUnavailableError";
}

/** What the monitor knows of the fleet. */
export interface FleetFacts {
  mode: "zookeeper" | "local";
  /** Lock name → its record (null: none). */
  records: Map<string, FleetRecord | HostRecord | null>;
  /** The number of hosts of a group; undefined when the group is not defined. */
  groupSize(group: string): number | undefined;
}

function groupSizes(groups: Groups): (group: string) => number | undefined {
  return (group) => {
    const { found, hosts } = resolveGroup(groups, group);
    return found ? hosts.size : undefined;
  };
}

/** switchman's config, as a one-line error when it cannot be used. */
export function switchmanConfig(path: string): SwitchmanConfig {
  try {
    return loadConfig(path);
  } catch (error) {
    throw new MonitorInputError((error as Error).message);
  }
}

type ZkClient = ReturnType<typeof zookeeper.createClient>;

function getData(client: ZkClient, path: string, timeoutMs: number): Promise<Buffer | undefined | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new RecordsUnavailableError(`ZooKeeper did not answer for ${path} within ${timeoutMs} ms`)), timeoutMs);
    client.getData(path, (error, data) => {
      clearTimeout(timer);
      if (error) {
        if (error.getCode() === zookeeper.Exception.NO_NODE) resolve(null);
        else reject(new RecordsUnavailableError(`cannot read ${path} from ZooKeeper: ${error.message}`));
      } else resolve(data ?? undefined);
    });
  });
}

async function zooKeeperFacts(config: Extract<SwitchmanConfig, { mode: "zookeeper" }>, locknames: string[], timeoutMs: number): Promise<FleetFacts> {
  const client = zookeeper.createClient(config.zkhosts, { sessionTimeout: config.session_timeout * 1000, retries: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RecordsUnavailableError(`cannot reach ZooKeeper at ${config.zkhosts} within ${timeoutMs} ms`)), timeoutMs);
      client.once("connected", () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    const prefixData = await getData(client, config.prefix, timeoutMs);
    if (prefixData === null) throw new RecordsUnavailableError(`ZooKeeper has no ${config.prefix} (switchman's prefix)`);
    let groups: Groups;
    try {
      groups = parsePrefixData(prefixData?.toString("utf8") ?? "").groups;
    } catch (error) {
      throw new MonitorInputError(`ZooKeeper ${config.prefix}: ${(error as Error).message}`);
    }
    const records = new Map<string, FleetRecord | null>();
    await Promise.all(
      [...new Set(locknames)].map(async (name) => {
        const path = `${config.prefix}/runs/${name}`;
        const data = await getData(client, path, timeoutMs);
        if (data === null) return records.set(name, null);
        const record = parseFleetRecord(data);
        if (record === undefined) throw new MonitorInputError(`ZooKeeper ${path} is not a run record (malformed JSON or fields)`);
        return records.set(name, record);
      }),
    );
    return { mode: "zookeeper", records, groupSize: groupSizes(groups) };
  } finally {
    client.close();
  }
}

/** The newest of several host records (one per job user) of a lock name. */
function newest(a: HostRecord, b: HostRecord): HostRecord {
  return (a.start?.at ?? "") >= (b.start?.at ?? "") ? a : b;
}

async function localFacts(config: Extract<SwitchmanConfig, { mode: "local" }>, locknames: string[]): Promise<FleetFacts> {
  const { stateDir } = recordsConfig(config);
  if (stateDir === false) throw new RecordsUnavailableError("switchman's state_dir is false: this host keeps no run records");
  let entries;
  try {
    entries = await readHostRecords(stateDir, [...new Set(locknames)]);
  } catch (error) {
    throw new RecordsUnavailableError(`cannot read the run records in ${stateDir}: ${(error as Error).message}`);
  }
  const records = new Map<string, HostRecord | null>();
  for (const entry of entries) {
    const known = records.get(entry.lockname);
    if (entry.record === null) {
      if (known === undefined) records.set(entry.lockname, null);
    } else records.set(entry.lockname, known ? newest(known, entry.record) : entry.record);
  }
  // Without groups in its config, local mode runs every job on this host.
  return { mode: "local", records, groupSize: config.groups === undefined ? () => 1 : groupSizes(config.groups) };
}

/** The records of `locknames` and the groups, as switchman's config at `configPath` says. */
export async function fleetFacts(configPath: string, locknames: string[], timeoutMs: number): Promise<FleetFacts> {
  const config = switchmanConfig(configPath);
  return config.mode === "zookeeper" ? zooKeeperFacts(config, locknames, timeoutMs) : localFacts(config, locknames);
}

