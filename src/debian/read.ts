/**
 * Reads a project's debian/ directory: the packages of debian/control and where each
 * debian/*.install file puts which file. The only module of src/debian/ that does I/O.
 */
import { type Dirent, readFileSync, readdirSync, statSync } from "node:fs";
import { posix } from "node:path";
import type FastGlob from "fast-glob";
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
function expandSource(root: string, source: string, only: readonly string[] | undefined, fg: Glob): Array<{ file: string; relToDest: string }> {
  const clean = cleanSource(source);
  if (clean === undefined) return [];
  if (only !== undefined) {
    const segments = simpleSegments(clean);
    if (segments !== undefined) return matchesAmong(only, segments);
  }
  // Glob matches come marked ("dir/"), so only a literal source needs a stat of its own.
  const glob = fg();
  const matches = glob.isDynamicPattern(clean) ? globMatches(glob, root, clean) : literalMatch(root, clean);
  const result: Array<{ file: string; relToDest: string }> = [];
  for (const match of matches.sort()) {
    const path = match.replace(/\/+$/, "");
    if (match.endsWith("/")) {
      // dh_install copies a directory as a whole: dest/<dirname>/<its contents>.
      const inner = only === undefined ? glob.sync("**/*", { cwd: posix.join(root, path), onlyFiles: true, dot: true, followSymbolicLinks: false }) : filesUnder(only, path);
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
 * fast-glob's matches of a dynamic source. A source through a file (`top.pl/{a,b}`, with top.pl a
 * file) matches nothing there, as dh_install finds nothing, but fast-glob throws the lstat's
 * ENOTDIR: the walk is then repeated with errors suppressed, so that the source's other matches
 * stay. Any other error (EACCES) still ends the run.
 */
function globMatches(glob: typeof FastGlob, root: string, source: string): string[] {
  const options = { cwd: root, onlyFiles: false, dot: true, followSymbolicLinks: false, markDirectories: true };
  try {
    return glob.sync(source, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") throw error;
    return glob.sync(source, { ...options, suppressErrors: true });
  }
}

/** An install source without `./` in front and `/` behind; undefined for one that leaves the tree. */
function cleanSource(source: string): string | undefined {
  const clean = source.replace(/^\.\//, "").replace(/\/+$/, "");
  return clean.split("/").includes("..") ? undefined : clean;
}

/** fast-glob, loaded on first use: most trees' install sources never need it. */
type Glob = () => typeof FastGlob;

/**
 * The files of `sorted` that can match `segments`: those under its leading literal segments
 * (all of them for a source that starts with a wildcard), and for a source of literal segments
 * only, the file it names itself.
 */
function* candidates(sorted: readonly string[], segments: ReadonlyArray<string | RegExp>): Generator<string> {
  const wildcard = segments.findIndex((segment) => typeof segment !== "string");
  if (wildcard === 0) {
    yield* sorted;
    return;
  }
  const literal = segments.slice(0, wildcard < 0 ? segments.length : wildcard).join("/");
  if (wildcard < 0) {
    const at = lowerBound(sorted, literal);
    if (sorted[at] === literal) yield literal;
  }
  const prefix = `${literal}/`;
  for (let f = lowerBound(sorted, prefix); f < sorted.length && (sorted[f] as string).startsWith(prefix); f++) yield sorted[f] as string;
}

/** The index of the first string of `sorted` (code-unit order) that is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A segment {@link matchesAmong} matches as fast-glob would: literal characters and the wildcards `*` and `?`. */
const SIMPLE_SEGMENT = /^[\w.~%:=,@+-]*(?:[*?][\w.~%:=,@+-]*)*$/;

/**
 * The source's segments, each a literal (a string) or a wildcard segment (its regular
 * expression), when {@link matchesAmong} can answer for it: no `**`, braces, classes,
 * extglobs, escapes, empty or `.` segments. Undefined for any other source (fast-glob's).
 *
 * As fast-glob does, the segments before the first glob are a directory taken literally: its
 * base directory is the source's glob-parent, the longest leading path that is-glob (strict)
 * does not call a glob, and with these characters that is one without `*`, `.?` or `+?`. So in
 * `services/svc0?/lib` the `?` is a literal character (fast-glob reads a directory named
 * `svc0?`), while in `bin/job-?.sh` it is a wildcard (measured with fast-glob 3.3).
 */
function simpleSegments(clean: string): Array<string | RegExp> | undefined {
  const parts = clean.split("/");
  if (parts.some((segment) => segment === "" || segment === "." || segment.includes("**") || !SIMPLE_SEGMENT.test(segment))) return undefined;
  let base = `${clean}a`;
  do base = posix.dirname(base);
  while (/\*|[.+]\?/.test(base));
  const literal = base === "." ? 0 : base.split("/").length;
  return parts.map((segment, i) => {
    if (i < literal || !/[*?]/.test(segment)) return segment;
    // picomatch with `dot`: `*` is any run of characters but `/` (a leading dot included), `?` one.
    return new RegExp(`^${segment.replace(/[.+]/g, "\\$&").replaceAll("*", "[^/]*").replaceAll("?", "[^/]")}$`);
  });
}

/**
 * What a source of {@link simpleSegments} installs among the files `only` (relative paths
 * that a walk found, so their directories are directories, not links to them), without
 * listing any directory: a file is installed when its first segments match the source's
 * segments one by one, as itself when they are all its segments, else with the directory of
 * those segments (dh_install copies a directory whole). fast-glob (the other branch of
 * expandSource) walks from the source's literal directories and tests each entry there; with
 * no `**`, a match has the source's depth, so each file has at most one match per source.
 * test/debian-inputs/install-match.test.ts compares the two on trees of files, directories and
 * links. `sorted`: `only` in code-unit order, where the files under the source's leading
 * literal segments are one run, found by binary search (a tree's sources each name a few of
 * its files: 30 packages' `bin/*` and `lib` among 1,000 scanned files at the 10,000-file tree).
 */
function matchesAmong(sorted: readonly string[], segments: ReadonlyArray<string | RegExp>): Array<{ file: string; relToDest: string }> {
  const result: Array<{ file: string; relToDest: string }> = [];
  const depth = segments.length;
  for (const file of candidates(sorted, segments)) {
    let start = 0;
    let matched = true;
    for (let i = 0; i < depth; i++) {
      const end = file.indexOf("/", start);
      const last = i === depth - 1;
      // All but the last of the source's segments must be directories of the file.
      if (end < 0 && !last) {
        matched = false;
        break;
      }
      const name = end < 0 ? file.slice(start) : file.slice(start, end);
      const segment = segments[i] as string | RegExp;
      if (typeof segment === "string" ? name !== segment : !segment.test(name)) {
        matched = false;
        break;
      }
      start = end < 0 ? file.length : end + 1;
    }
    if (!matched) continue;
    if (start >= file.length) {
      result.push({ file, relToDest: posix.basename(file) });
    } else {
      const dir = file.slice(0, start - 1);
      result.push({ file, relToDest: `${posix.basename(dir)}/${file.slice(start)}` });
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
  try {
    return readDebianSync(root, debianDir, options.only, needsGlob);
  } catch (error) {
    if (error !== NEEDS_GLOB) throw error;
  }
  // A source only fast-glob can expand: read again with it (reading has no side effects).
  const { default: fg } = await import("fast-glob");
  return readDebianSync(root, debianDir, options.only, () => fg);
}

/** Thrown by {@link needsGlob}: the first read found a source that needs fast-glob. */
const NEEDS_GLOB = Symbol("needs fast-glob");
/** fast-glob before it is loaded (loading it costs a start about 3 ms, with node's stream modules). */
const needsGlob: Glob = () => {
  throw NEEDS_GLOB;
};

/** Options of {@link readDebian}. */
export interface ReadDebianOptions {
  /**
   * The only files whose installation matters (relative paths, found by the scanner's walk,
   * which never follows a link): a directory installed as a whole is then not walked, which on
   * a large tree costs as much as a second scan, and a source of literal names, `*` and `?` is
   * matched against these files without listing any directory (the benchmark's 30 `bin/*`
   * sources cost the 1,000-file tree 13 ms in fast-glob). `installed` then holds only these
   * files (and what the other globs matched).
   */
  only?: readonly string[];
}

function readDebianSync(root: string, debianDir: string, scanned: readonly string[] | undefined, fg: Glob): DebianInfo {
  // In code-unit order for matchesAmong's binary search (the scan's order already, usually).
  const only = scanned === undefined ? undefined : [...scanned].sort();
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
        for (const match of expandSource(root, source, only, fg)) {
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
