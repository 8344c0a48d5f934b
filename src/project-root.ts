/**
 * Finds the project a command works on, upward from the working directory as git and ESLint
 * do: the nearest directory that holds a cronmeta configuration (cronmeta.config.json or a
 * "cronmeta" key in package.json) or a debian/control. Reads only those few files.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/** What makes a directory a project root, in the order they are looked for. */
export type RootMarker = "cronmeta.config.json" | "package.json#cronmeta" | "debian/control";

/** The markers a directory has (none: not a project root). */
export function rootMarkers(dir: string): RootMarker[] {
  const markers: RootMarker[] = [];
  if (isFile(join(dir, "cronmeta.config.json"))) markers.push("cronmeta.config.json");
  if (packageJsonHasCronmeta(join(dir, "package.json"))) markers.push("package.json#cronmeta");
  if (isFile(join(dir, "debian", "control"))) markers.push("debian/control");
  return markers;
}

/** The nearest directory at or above `start` (absolute) that is a project root, or undefined. */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (rootMarkers(dir).length > 0) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * True when package.json has a "cronmeta" key. A package.json that cannot be parsed counts
 * as having none here: config loading reports it when that directory is the root.
 */
function packageJsonHasCronmeta(path: string): boolean {
  if (!isFile(path)) return false;
  try {
    const pkg = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return pkg !== null && typeof pkg === "object" && "cronmeta" in pkg;
  } catch {
    return false;
  }
}
