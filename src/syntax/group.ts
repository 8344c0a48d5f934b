/**
 * switchman groups and host names. Three syntaxes, each with its reason:
 *
 * - A group table (`groups` of local mode's config file, and of the ZooKeeper prefix data that
 *   App::switchman writes): group name → a host, a group name or a list of these, every name a
 *   non-empty string. Nothing stricter: an ensemble shared with App::switchman may hold any
 *   JSON string, and a name that is no group is a host, compared exactly.
 * - A group on a cron line: cronmeta writes `--group <group>` unquoted, so only `[A-Za-z0-9._-]`.
 * - This host's own name: a name `hostname --fqdn` may print (no blanks, no control characters).
 */
import { CONTROL_CLASS } from "./control.js";

/** Group name → a host, a group name, or a list of these. */
export type GroupTable = Record<string, string | string[]>;

/** One problem of a group table: where (below the table) and what. */
export interface GroupTableProblem {
  /** [] for the table itself, [group] for one entry. */
  path: string[];
  message: string;
}

/** The message for a table that is not an object. */
const GROUP_TABLE_MESSAGE = "must be an object mapping group names to a host, a group or a list of these";

/** The message for an entry whose members are not names. */
const GROUP_MEMBERS_MESSAGE = "must be a host or group name, or a list of these (non-empty strings)";

/** A group or member name in a group table. */
function isGroupTableName(name: unknown): name is string {
  return typeof name === "string" && name !== "";
}

/** Every problem of `value` as a group table (empty when it is one). */
export function groupTableProblems(value: unknown): GroupTableProblem[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [{ path: [], message: GROUP_TABLE_MESSAGE }];
  const problems: GroupTableProblem[] = [];
  for (const [name, members] of Object.entries(value as Record<string, unknown>)) {
    if (!isGroupTableName(name)) problems.push({ path: [], message: 'invalid group name "" (a group name must not be empty)' });
    const list: unknown[] = Array.isArray(members) ? members : [members];
    if (!list.every(isGroupTableName)) problems.push({ path: [name], message: GROUP_MEMBERS_MESSAGE });
  }
  return problems;
}

/** True when `value` is a group table. */
export function isGroupTable(value: unknown): value is GroupTable {
  return groupTableProblems(value).length === 0;
}

/** A group name cronmeta can write unquoted on a cron line (`--group <group>`). */
export const CRON_GROUP_NAME = /^[A-Za-z0-9._-]{1,255}$/;

/** What CRON_GROUP_NAME allows, as a phrase after the name. */
export const CRON_GROUP_NAME_MESSAGE = 'may only hold letters, digits, ".", "_" and "-" (at most 255)';

const HOST_NAME = new RegExp(`^[^\\s${CONTROL_CLASS}]{1,253}$`);

/** A plausible name for this host: 1-253 characters, no blanks or control characters. */
export function isPlausibleHostName(name: string): boolean {
  return HOST_NAME.test(name);
}
