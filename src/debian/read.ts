/**
 * Reads a project's debian/ directory: the packages of debian/control and where each
 * debian/*.install file puts which file. The only module of src/debian/ that does I/O.
 */
import { readFile, readdir, stat } from "node:fs/promises";
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

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Files matched by one install source: a glob, a file, or a directory (installed with its contents). */
async function expandSource(root: string, source: string): Promise<Array<{ file: string; relToDest: string }>> {
  const clean = source.replace(/^\.\//, "").replace(/\/+$/, "");
  if (clean.split("/").includes("..")) return [];
  // Glob matches come marked ("dir/"), so only a literal source needs a stat of its own.
  const matches = fg.isDynamicPattern(clean)
    ? await fg(clean, { cwd: root, onlyFiles: false, dot: true, followSymbolicLinks: false, markDirectories: true })
    : await stat(posix.join(root, clean)).then(
        (info) => (info.isDirectory() ? [`${clean}/`] : info.isFile() ? [clean] : []),
        () => [],
      );
  const result: Array<{ file: string; relToDest: string }> = [];
  for (const match of matches.sort()) {
    const path = match.replace(/\/+$/, "");
    if (match.endsWith("/")) {
      // dh_install copies a directory as a whole: dest/<dirname>/<its contents>.
      const inner = await fg("**/*", { cwd: posix.join(root, path), onlyFiles: true, dot: true, followSymbolicLinks: false });
      for (const file of inner.sort()) {
        result.push({ file: `${path}/${file}`, relToDest: `${posix.basename(path)}/${file}` });
      }
    } else {
      result.push({ file: path, relToDest: posix.basename(path) });
    }
  }
  return result;
}

/** Reads `<root>/<debianDir>`: control and install files. Missing files are not errors here. */
export async function readDebian(root: string, debianDir: string): Promise<DebianInfo> {
  const dir = posix.join(root.split("\\").join("/"), debianDir);
  const controlFile = posix.join(debianDir, "control");
  const controlText = await readText(posix.join(dir, "control"));
  const info: DebianInfo = {
    controlFile,
    controlFound: controlText !== undefined,
    control: controlText === undefined ? { packages: [] } : parseControl(controlText),
    installed: new Map(),
    notes: [],
  };
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
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
    const [text, mode] = await Promise.all([readText(path), stat(path).then((s) => s.mode).catch(() => 0)]);
    if (text === undefined) continue;
    const file = posix.join(debianDir, name);
    const parsed = parseInstall(text, (mode & 0o111) !== 0);
    for (const note of parsed.notes) info.notes.push({ ...note, file });
    for (const line of parsed.lines) {
      for (const source of line.sources) {
        for (const match of await expandSource(root, source)) {
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
