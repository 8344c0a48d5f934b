/**
 * switchman's `prefix`: the znode that holds the groups, with the locks under `<prefix>/locks`.
 * SPEC 8.1 asks for `^(/[^/]+)+$`; ZooKeeper itself refuses more (PathUtils.validatePath: `.`
 * and `..` segments, control characters, U+007F-U+009F, U+D800-U+F8FF, U+FFF0-U+FFFF), and
 * `/zookeeper` is the server's own subtree (quotas, config), where clients may not create nodes.
 * The config schema and the ZooKeeper back end both check with this module.
 */
import { CONTROL_CLASS } from "./control.js";

const SEGMENTS = /^(\/[^/]+)+$/;
const REFUSED = new RegExp(`[${CONTROL_CLASS}\\u0080-\\u009f\\ud800-\\uf8ff\\ufff0-\\uffff]`);

/** The message for a path that is not `/segment[/segment...]`. */
const PREFIX_MESSAGE = "must be a znode path like /switchman (^(/[^/]+)+$)";

/** Why `prefix` is not a usable prefix znode (a phrase starting "must"), or undefined. */
export function prefixProblem(prefix: string): string | undefined {
  if (!SEGMENTS.test(prefix)) return PREFIX_MESSAGE;
  const segments = prefix.split("/").slice(1);
  if (segments.some((s) => s === "." || s === "..")) return "must not contain `.` or `..` components";
  if (REFUSED.test(prefix)) return "must not contain control or reserved characters";
  if (segments[0] === "zookeeper") return "must not be under /zookeeper (ZooKeeper's own subtree)";
  return undefined;
}

/** True when `prefix` is a usable prefix znode. */
export function isPrefix(prefix: string): boolean {
  return prefixProblem(prefix) === undefined;
}
