/**
 * Readers of the run records, for `switchman --status` and for other tools (cronmeta's report):
 *
 * - {@link readFleetRecords}: the fleet records in ZooKeeper, `<prefix>/runs/*`, over any client
 *   that offers `getChildren` and `getData` (switchman's session does, through zk-store.ts);
 * - {@link readHostRecords}: the host records of every job user in a state directory
 *   (`<state_dir>/<uid>/jobs/…`), as this host saw them.
 *
 * Both return the records sorted by lock name (then uid), and for every name asked for that has
 * no record an entry with `record: null`. Records that do not parse are skipped, never guessed.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { listHostRecords } from "./host-state.js";
import { parseFleetRecord, type FleetRecord, type HostRecord } from "./record.js";
import { runPath, runsPath, StoreError } from "./zookeeper-records.js";

/** What reading the fleet records needs of a ZooKeeper client. */
export interface FleetReader {
  getChildren(path: string, timeoutMs: number): Promise<string[]>;
  getData(path: string, timeoutMs: number): Promise<{ data: Buffer | undefined; version: number }>;
}

/** One fleet record, or null for a lock name asked for that has none. */
export interface FleetEntry {
  lockname: string;
  record: FleetRecord | null;
}

/** One host record, or null for a lock name asked for that has none on this host. */
export interface HostEntry {
  lockname: string;
  uid: number | null;
  record: HostRecord | null;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The fleet records under `<prefix>/runs` (only `names` when given). */
export async function readFleetRecords(reader: FleetReader, prefix: string, names: string[], timeoutMs: number): Promise<FleetEntry[]> {
  let wanted = names;
  if (wanted.length === 0) {
    try {
      wanted = await reader.getChildren(runsPath(prefix), timeoutMs);
    } catch (error) {
      if (error instanceof StoreError && error.code === "NO_NODE") return [];
      throw error;
    }
  }
  const entries = await Promise.all(
    [...new Set(wanted)].map(async (lockname): Promise<FleetEntry> => {
      try {
        const { data } = await reader.getData(runPath(prefix, lockname), timeoutMs);
        return { lockname, record: parseFleetRecord(data) ?? null };
      } catch (error) {
        if (error instanceof StoreError && error.code === "NO_NODE") return { lockname, record: null };
        throw error;
      }
    }),
  );
  return entries.filter((e) => e.record !== null || names.includes(e.lockname)).sort((a, b) => byName(a.lockname, b.lockname));
}

/** The host records of every user directory under `stateDir` (only `names` when given). */
export async function readHostRecords(stateDir: string, names: string[]): Promise<HostEntry[]> {
  let users: string[];
  try {
    users = (await readdir(stateDir)).filter((entry) => /^[0-9]+$/.test(entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") users = [];
    else throw error;
  }
  const entries: HostEntry[] = [];
  for (const uid of users.map(Number).sort((a, b) => a - b)) {
    let records: HostRecord[];
    try {
      records = await listHostRecords(join(stateDir, String(uid)));
    } catch {
      continue; // a user directory this user may not read
    }
    for (const record of records) {
      if (names.length === 0 || names.includes(record.lockname)) entries.push({ lockname: record.lockname, uid, record });
    }
  }
  for (const name of names) {
    if (!entries.some((e) => e.lockname === name)) entries.push({ lockname: name, uid: null, record: null });
  }
  return entries.sort((a, b) => byName(a.lockname, b.lockname) || (a.uid ?? -1) - (b.uid ?? -1));
}
