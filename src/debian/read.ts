/**
 * Reads a project's debian/ directory: the packages of debian/control and where each
 * debian/*.install file puts which file. The only module of src/debian/ that does I/O.
 */
import { type Dirent, readFileSync, readdirSync, statSync } from "node:fs";
import { posix } from "node:path";
import fg from "fast-glob";
import { type ControlInfo, parseControl } from "./control.js";
import { type InstallNote, parseInstall } from "./install.js";

/** Where a file of the tree ends up on the target system. */
export interface InstalledFile {
  package: string;
  /** Absolute installed path. */
  path: string;
  /** The install file and line that say so (relative to the root). */
  installFile: string;
  line: number;
}

/** Everything cronmeta knows from debian/. */
export interface DebianInfo {
  /** Relative path of debian/control. */
  controlFile: string;
  controlFound: boolean;
  control: ControlInfo;
  /** Keyed by the file's path relative to the root, with `/`. */
  installed: Map<string, InstalledFile>;
  /** Install lines cronmeta could not interpret. */
  notes: Array<InstallNote & { file: string }>;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Files matched by one install source: a glob, a file, or a directory (installed with its contents). */
function expandSource(root: string, source: string, only: readonly string[] | undefined): Array<{ file: string; relToDest: string }> {
  const clean = source.replace(/^\.\//, "").replace(/\/+$/, "");
  if (clean.split("/").includes("..")) return [];
  // Glob matches come marked ("dir/"), so only a literal source needs a stat of its own.
  const matches = fg.isDynamicPattern(clean)
    ? fg.sync(clean, { cwd: root, onlyFiles: false, dot: true, followSymbolicLinks: false, markDirectories: true })
    : literalMatch(root, clean);
  const result: Array<{ file: string; relToDest: string }> = [];
  for (const match of matches.sort()) {
    const path = match.replace(/\/+$/, "");
    if (match.endsWith("/")) {
      // dh_install copies a directory as a whole: dest/<dirname>/<its contents>.
      const inner = only === undefined ? fg.sync("**/*", { cwd: posix.join(root, path), onlyFiles: true, dot: true, followSymbolicLinks: false }) : filesUnder(only, path);
      for (const file of inner.sort()) {
        result.push({ file: `${path}/${file}`, relToDest: `${posix.basename(path)}/${file}` });
      }
    } else {
      result.push({ file: path, relToDest: posix.basename(path) });
    }
  }
  return result;
}

/**
 * The files of `only` under `dir`, relative to it. Each was found by a walk that never follows
 * symbolic links, as the directory walk it replaces, so no file is missed or added.
 */
function filesUnder(only: readonly string[], dir: string): string[] {
  const prefix = `${dir}/`;
  return only.filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length));
}

function literalMatch(root: string, clean: string): string[] {
  try {
    const info = statSync(posix.join(root, clean));
    return info.isDirectory() ? [`${clean}/`] : info.isFile() ? [clean] : [];
  } catch {
    return [];
  }
}

function readDirectory(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function modeOf(path: string): number {
  try {
    return statSync(path).mode;
  } catch {
    return 0;
  }
}

/**
 * Reads `<root>/<debianDir>`: control and install files. Missing files are not errors here.
 * Synchronous inside: a few small files, and fast-glob's sync walk takes half the time of its
 * asynchronous one (scan/tree.ts).
 */
export async function readDebian(root: string, debianDir: string, options: ReadDebianOptions = {}): Promise<DebianInfo> {
  return readDebianSync(root, debianDir, options.only);
}

/** Options of {@link readDebian}. */
export interface ReadDebianOptions {
  /**
   * The only files whose installation matters (relative paths, found by the scanner): a
   * directory installed as a whole is then not walked, which on a large tree costs as much as
   * a second scan. `installed` then holds only these files (and what globs matched).
   */
  only?: readonly string[];
}

function readDebianSync(root: string, debianDir: string, only: readonly string[] | undefined): DebianInfo {
  const dir = posix.join(root.split("\\").join("/"), debianDir);
  const controlFile = posix.join(debianDir, "control");
  const controlText = readText(posix.join(dir, "control"));
  const info: DebianInfo = {
    controlFile,
    controlFound: controlText !== undefined,
    control: controlText === undefined ? { packages: [] } : parseControl(controlText),
    installed: new Map(),
    notes: [],
  };
  const entries = readDirectory(dir);
  const firstPackage = info.control.packages[0]?.name;
  const installFiles = entries
    .filter((e) => e.isFile() && (e.name.endsWith(".install") || e.name === "install"))
    .map((e) => e.name)
    .sort();
  for (const name of installFiles) {
    // debian/install belongs to the first binary package (debhelper(7), "debian/package.foo").
    const pkg = name === "install" ? firstPackage : name.slice(0, -".install".length);
    if (pkg === undefined) continue;
    const path = posix.join(dir, name);
    const text = readText(path);
    const mode = text === undefined ? 0 : modeOf(path);
    if (text === undefined) continue;
    const file = posix.join(debianDir, name);
    const parsed = parseInstall(text, (mode & 0o111) !== 0);
    for (const note of parsed.notes) info.notes.push({ ...note, file });
    for (const line of parsed.lines) {
      for (const source of line.sources) {
        for (const match of expandSource(root, source, only)) {
          if (info.installed.has(match.file)) continue;
          info.installed.set(match.file, {
            package: pkg,
            path: `${line.destDir}/${match.relToDest}`,
            installFile: file,
            line: line.line,
          });
        }
      }
    }
  }
  return info;
}
