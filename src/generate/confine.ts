/**
 * Keeps every write inside the output directory (`<root>/<debianDir>` or `--out`):
 * no symbolic link on the way may lead out of it, and a target is never a link itself
 * (rename(2) would replace the link, but reading it first would follow it).
 */
import type { Stats } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";

/** True when `path` is `dir` or below it (both absolute, same spelling of the prefix). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** lstat that returns undefined for a missing path. */
export async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * Why writing `target` could leave `confineDir`, or undefined when it is safe: a directory on
 * the way that is a link leading out (or dangling), or is not a directory; a target that
 * is a link or not a regular file. Missing directories are fine: they will be created.
 * `describe` turns an absolute path into the one shown to the user.
 */
export async function confinementProblem(
  confineDir: string,
  target: string,
  describe: (path: string) => string,
): Promise<string | undefined> {
  if (!isInside(confineDir, target) || target === confineDir) {
    return `${describe(target)} is outside ${describe(confineDir)}`;
  }
  const confineInfo = await lstatOrUndefined(confineDir);
  if (confineInfo === undefined) return undefined; // created later (mode dir), nothing below it exists
  const realConfine = await realpath(confineDir);
  const parts = relative(confineDir, target).split(sep);
  let current = confineDir;
  for (const [i, part] of parts.entries()) {
    current = join(current, part);
    const info = await lstatOrUndefined(current);
    if (info === undefined) return undefined;
    const last = i === parts.length - 1;
    if (info.isSymbolicLink()) {
      if (last) return `${describe(current)} is a symbolic link; cronmeta never writes through links`;
      let real: string;
      try {
        real = await realpath(current);
      } catch {
        return `${describe(current)} is a dangling symbolic link`;
      }
      if (!isInside(realConfine, real)) return `${describe(current)} is a symbolic link to ${real}, outside ${describe(confineDir)}`;
      if (!(await stat(current)).isDirectory()) return `${describe(current)} is not a directory`;
    } else if (last) {
      if (!info.isFile()) return `${describe(current)} is not a regular file`;
    } else if (!info.isDirectory()) {
      return `${describe(current)} is not a directory`;
    }
  }
  return undefined;
}
