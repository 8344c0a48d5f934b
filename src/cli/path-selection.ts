/**
 * `cronmeta lint PATH…`: which files of the tree the arguments name, as ESLint takes them:
 * files, directories (everything below) and globs, relative to the current directory. Lint still
 * scans the whole project (collisions and duplicates need every job); only the diagnostics and
 * jobs of the named files are reported.
 */
import { statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import fg from "fast-glob";
import { UsageError } from "../errors.js";

/** Tells whether a root-relative path (with `/`) is named by the arguments. */
export type PathSelection = (file: string) => boolean;

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** The selection of `args`; throws UsageError for an argument outside the root or matching nothing. */
export function pathSelection(args: readonly string[], cwd: string, root: string): PathSelection | undefined {
  if (args.length === 0) return undefined;
  const files = new Set<string>();
  const dirs: string[] = [];
  const inRoot = (abs: string, arg: string): string => {
    const rel = relative(root, abs);
    if (rel.startsWith("..") || isAbsolute(rel)) throw new UsageError(`${arg} is outside the project root ${root}`);
    return toPosix(rel);
  };
  for (const arg of args) {
    if (fg.isDynamicPattern(arg)) {
      const matches = fg.sync(arg, { cwd, dot: true, onlyFiles: true, followSymbolicLinks: false, absolute: true });
      if (matches.length === 0) throw new UsageError(`no files match the pattern "${arg}"`);
      for (const match of matches) files.add(inRoot(match, arg));
      continue;
    }
    const abs = resolve(cwd, arg);
    const rel = inRoot(abs, arg);
    let info;
    try {
      info = statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
    if (info.isDirectory()) dirs.push(rel === "" ? "" : `${rel}/`);
    else files.add(rel);
  }
  return (file) => files.has(file) || dirs.some((dir) => file.startsWith(dir));
}
