/**
 * Reads this host's membership of a group out of the raw `<prefix>` data, without throwing:
 * the watcher needs "still a member" or the reason why not.
 */
import { SwitchmanError } from "../coordinator.js";
import { parsePrefixData, resolveGroup } from "../groups.js";

/** Membership of `host` in `group`, as the prefix data says it. */
export type Membership =
  | { member: true }
  | { member: false; why: "not-in-group" | "group-missing" | "data-broken"; detail: string };

/** Decides membership from the prefix node's data (undefined data = empty = no groups). */
export function membership(data: Buffer | undefined, group: string, host: string): Membership {
  let groups;
  try {
    groups = parsePrefixData(data ? data.toString("utf8") : "").groups;
  } catch (error) {
    if (error instanceof SwitchmanError) return { member: false, why: "data-broken", detail: error.message };
    throw error;
  }
  const { found, hosts } = resolveGroup(groups, group);
  if (!found) return { member: false, why: "group-missing", detail: `group ${group} is not defined` };
  if (!hosts.has(host)) return { member: false, why: "not-in-group", detail: `host ${host} is not in group ${group}` };
  return { member: true };
}
