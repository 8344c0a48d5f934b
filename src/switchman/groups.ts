/**
 * switchman groups (SPEC 8.2): `{"groups": {...}, "resources": [...]}` as App::switchman keeps
 * it in the `<prefix>` znode (and local mode in its config file). Pure: shared by both back ends.
 */
import { groupTableProblems, type GroupTable } from "../syntax/group.js";
import { SwitchmanError } from "./coordinator.js";

/** Group name → a host, a group name, or a list of these. */
export type Groups = GroupTable;

/** The parsed `<prefix>` data. */
export interface PrefixData {
  groups: Groups;
  /** Lease resources (leases come in a later issue; kept opaque). */
  resources: unknown[];
}

/**
 * Parses the prefix data. Empty data (App::switchman's freshly created prefix) means no groups.
 * Throws SwitchmanError(…, 2) on invalid JSON or a wrong shape: switchman must not guess.
 */
export function parsePrefixData(text: string): PrefixData {
  if (text.trim() === "") return { groups: {}, resources: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SwitchmanError(`prefix data is not valid JSON: ${(error as Error).message}`, 2);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new SwitchmanError("prefix data must be a JSON object {\"groups\": {...}, \"resources\": [...]}", 2);
  }
  const record = data as Record<string, unknown>;
  const groups = record.groups ?? {};
  const problems = groupTableProblems(groups).map(({ path, message }) => `${["groups", ...path].join(".")}: ${message}`);
  const resources = record.resources ?? [];
  if (!Array.isArray(resources)) problems.push("resources: must be a list");
  if (problems.length > 0) throw new SwitchmanError(`prefix data is invalid: ${problems.join("; ")}`, 2);
  return { groups: groups as Groups, resources: resources as unknown[] };
}

/**
 * All hosts of group `name`. Members that are group names resolve recursively (so a group name
 * shadows a host of the same name); a visited set makes cycles safe. `found` is false when
 * `name` is not a group. Host names are compared exactly (FQDNs, SPEC 8.2).
 */
export function resolveGroup(groups: Groups, name: string): { found: boolean; hosts: Set<string> } {
  const hosts = new Set<string>();
  if (!Object.hasOwn(groups, name)) return { found: false, hosts };
  const visited = new Set<string>([name]);
  const pending = [name];
  for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
    const members = groups[group] ?? [];
    for (const member of Array.isArray(members) ? members : [members]) {
      if (Object.hasOwn(groups, member)) {
        if (!visited.has(member)) {
          visited.add(member);
          pending.push(member);
        }
      } else {
        hosts.add(member);
      }
    }
  }
  return { found: true, hosts };
}

/** True when `host` belongs to group `name`; SwitchmanError(…, 2) when the group is not defined. */
export function hostInGroup(groups: Groups, name: string, host: string): boolean {
  const { found, hosts } = resolveGroup(groups, name);
  if (!found) throw new SwitchmanError(`group ${name} is not defined`, 2);
  return hosts.has(host);
}
