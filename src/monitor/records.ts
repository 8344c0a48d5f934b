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
import { CANARY_NAME, canaryPath, parseHostCanary, readCanaryDir, hostSummary, type HostCanary } from "../switchman/canary.js";
import { hostFqdn } from "../switchman/hostname.js";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
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
  /** The hosts of a group; undefined when the group is not defined. */
  groupHosts(group: string): string[] | undefined;
  /** The hosts' canary summaries (ZooKeeper `<prefix>/canary/*`, or this host's canary files); read only when asked for. */
  canaries: HostCanary[];
  /** Local mode: this host, the only one its records tell of. */
  thisHost?: string;
}

function groupSizes(groups: Groups): (group: string) => number | undefined {
  return (group) => {
    const { found, hosts } = resolveGroup(groups, group);
    return found ? hosts.size : undefined;
  };
}

function groupMembers(groups: Groups): (group: string) => string[] | undefined {
  return (group) => {
    const { found, hosts } = resolveGroup(groups, group);
    return found ? [...hosts].sort() : undefined;
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

/** ZooKeeper reads in flight at once. */
const IN_FLIGHT = 32;

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

function getChildren(client: ZkClient, path: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new RecordsUnavailableError(`ZooKeeper did not answer for ${path} within ${timeoutMs} ms`)), timeoutMs);
    client.getChildren(path, (error, children) => {
      clearTimeout(timer);
      if (error) {
        if (error.getCode() === zookeeper.Exception.NO_NODE) resolve([]);
        else reject(new RecordsUnavailableError(`cannot list ${path} in ZooKeeper: ${error.message}`));
      } else resolve(children.sort());
    });
  });
}

async function zooKeeperCanaries(client: ZkClient, prefix: string, timeoutMs: number): Promise<HostCanary[]> {
  const hosts = await getChildren(client, `${prefix}/${CANARY_NAME}`, timeoutMs);
  const summaries = await Promise.all(
    hosts.map(async (host) => {
      const path = canaryPath(prefix, host);
      const data = await getData(client, path, timeoutMs);
      if (data === null) return undefined; // removed meanwhile (a host retired)
      const summary = parseHostCanary(data);
      if (summary === undefined || summary.host !== host) throw new MonitorInputError(`ZooKeeper ${path} is not a canary summary (malformed JSON or fields)`);
      return summary;
    }),
  );
  return summaries.filter((s): s is HostCanary => s !== undefined);
}

async function zooKeeperFacts(config: Extract<SwitchmanConfig, { mode: "zookeeper" }>, locknames: string[], timeoutMs: number, canary: boolean): Promise<FleetFacts> {
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
    const names = [...new Set(locknames)];
    // A bounded number of requests in flight: 1,000 at once cost 30 MB of buffers for no gain in time.
    const read = async (name: string): Promise<void> => {
      const path = `${config.prefix}/runs/${name}`;
      const data = await getData(client, path, timeoutMs);
      if (data === null) {
        records.set(name, null);
        return;
      }
      const record = parseFleetRecord(data);
      if (record === undefined) throw new MonitorInputError(`ZooKeeper ${path} is not a run record (malformed JSON or fields)`);
      records.set(name, record);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, names.length) }, async () => {
        while (next < names.length) await read(names[next++] as string);
      }),
    );
    const canaries = canary ? await zooKeeperCanaries(client, config.prefix, timeoutMs) : [];
    return { mode: "zookeeper", records, groupSize: groupSizes(groups), groupHosts: groupMembers(groups), canaries };
  } finally {
    client.close();
  }
}

/** The newest of several host records (one per job user) of a lock name. */
function newest(a: HostRecord, b: HostRecord): HostRecord {
  return (a.start?.at ?? "") >= (b.start?.at ?? "") ? a : b;
}

/** This host's canary files (every job user's), as one summary dated by the newest of them. */
async function localCanaries(stateDir: string, host: string): Promise<HostCanary[]> {
  let users: string[];
  try {
    users = (await readdir(stateDir)).sort();
  } catch (error) {
    throw new RecordsUnavailableError(`cannot read ${stateDir}: ${(error as Error).message}`);
  }
  const entries = (await Promise.all(users.map((u) => readCanaryDir(join(stateDir, u, CANARY_NAME)).catch(() => [])))).flat();
  if (entries.length === 0) return [];
  const newest = Math.max(...entries.map((e) => Date.parse(e.at)));
  return [hostSummary(host, newest, entries)];
}

async function localFacts(config: Extract<SwitchmanConfig, { mode: "local" }>, locknames: string[], canary: boolean): Promise<FleetFacts> {
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
  const thisHost = await hostFqdn(process.env);
  const canaries = canary ? await localCanaries(stateDir, thisHost) : [];
  // Without groups in its config, local mode runs every job on this host.
  return {
    mode: "local",
    records,
    groupSize: config.groups === undefined ? () => 1 : groupSizes(config.groups),
    groupHosts: config.groups === undefined ? () => [thisHost] : groupMembers(config.groups),
    canaries,
    thisHost,
  };
}

/** The records of `locknames` and the groups (and with `canary` the canaries), as switchman's config at `configPath` says. */
export async function fleetFacts(configPath: string, locknames: string[], timeoutMs: number, canary = false): Promise<FleetFacts> {
  const config = switchmanConfig(configPath);
  return config.mode === "zookeeper" ? zooKeeperFacts(config, locknames, timeoutMs, canary) : localFacts(config, locknames, canary);
}

