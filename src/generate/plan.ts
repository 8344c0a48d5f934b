/**
 * Compares the rendered files with what is on disk (read-only): each file is new, changed,
 * unchanged or stale, and any file cronmeta may not touch becomes an `output-not-generated`
 * diagnostic, in which case nothing at all may be written (SPEC 4.4).
 */
import { readdir, readFile } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { UsageError } from "../errors.js";
import type { Diagnostic, OutputMode } from "../types.js";
import { confinementProblem, isInside, lstatOrUndefined } from "./confine.js";
import { isGeneratedManifest, INSTALLED_MANIFEST_DIR, manifestPackage } from "./manifest.js";
import { hasMarker, markerPackage } from "./marker.js";
import { normaliseDebianDir } from "./output-path.js";
import type { RenderedFile } from "./render.js";
import { TEMP_FILE } from "./temp-name.js";

/** Where gen writes. */
export interface OutputTarget {
  /** Absolute project root. */
  root: string;
  mode: OutputMode;
  /** Config `debianDir`. */
  debianDir: string;
  /** Absolute `--out` (mode dir). */
  out?: string;
  /**
   * Mode dir only: the packages of this project (debian/control, config `packages`,
   * packages with jobs). A marked file in `--out` is stale only when its marker names one
   * of them, so two projects can share a directory such as /etc/cron.d.
   */
  ownPackages?: readonly string[];
}

/** What happens to one file. */
export type ChangeKind = "new" | "changed" | "unchanged" | "stale";

/** One file of the plan. */
export interface PlannedFile {
  kind: ChangeKind;
  absPath: string;
  /** Relative to the root (with `/`) when inside it, else absolute. */
  displayPath: string;
  package?: string;
  /** What is on disk now (changed, unchanged, stale). */
  oldContent?: string;
  /** Permission bits on disk now (changed, unchanged, stale). */
  oldMode?: number;
  /** What will be written (new, changed, unchanged). */
  newContent?: string;
}

/** The result of comparing rendered output with the disk. */
export interface WritePlan {
  /** The directory no write may leave. */
  confineDir: string;
  /** Sorted by displayPath. */
  files: PlannedFile[];
  /** Temp files left by an interrupted run, to be removed. */
  leftovers: string[];
  /** `output-not-generated` errors: when any, nothing may be written. */
  diagnostics: Diagnostic[];
}

/** Generated files are written with this mode (SPEC 4.1; cron(8) ignores group/other-writable files). */
export const FILE_MODE = 0o644;

/** True for a file cronmeta wrote: a cron.d file with the marker, or a manifest (manifest.ts). */
function isGenerated(content: string): boolean {
  return hasMarker(content) || isGeneratedManifest(content);
}

/** The package a generated file names. */
function ownerOf(content: string): string | undefined {
  return markerPackage(content) ?? manifestPackage(content);
}

/** Turns an absolute path into the one shown to users: relative to the root when inside it. */
export function displayPathFor(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return path;
  return rel.split(sep).join("/");
}

function baseDir(target: OutputTarget): string {
  if (target.mode === "dir") {
    if (target.out === undefined) throw new UsageError("--mode dir needs --out DIR");
    return target.out;
  }
  return target.root;
}

/** The directory no write may leave: `<root>/<debianDir>` or `--out`. */
export function confineDirOf(target: OutputTarget): string {
  return target.mode === "dir" ? baseDir(target) : join(target.root, normaliseDebianDir(target.debianDir));
}

async function regularFiles(dir: string): Promise<string[]> {
  const info = await lstatOrUndefined(dir);
  if (info === undefined || !info.isDirectory()) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(dir, e.name));
}

/**
 * Directories where cronmeta's files live in this mode (SPEC 4.4): source `<debianDir>`,
 * tree `<debianDir>/<any>/etc/cron.d` and `<debianDir>/<any>/usr/share/cronmeta/manifests`, dir
 * `--out`. Links are never followed.
 */
async function outputDirs(target: OutputTarget, confineDir: string): Promise<string[]> {
  if (target.mode !== "tree") return [confineDir];
  const info = await lstatOrUndefined(confineDir);
  if (info === undefined || !info.isDirectory()) return [];
  const dirs: string[] = [];
  for (const entry of await readdir(confineDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const parts of [["etc", "cron.d"], INSTALLED_MANIFEST_DIR.slice(1).split("/")]) {
      let dir = join(confineDir, entry.name);
      let isDir = true;
      for (const part of parts) {
        dir = join(dir, part);
        if ((await lstatOrUndefined(dir))?.isDirectory() !== true) {
          isDir = false;
          break;
        }
      }
      if (isDir) dirs.push(dir);
    }
  }
  return dirs.sort();
}

function isStaleCandidate(target: OutputTarget, path: string): boolean {
  const name = path.slice(path.lastIndexOf(sep) + 1);
  if (TEMP_FILE.test(name)) return false;
  return target.mode !== "source" || name.endsWith(".cron.d") || name.endsWith(".cronmeta.json");
}

/** True for a temp file whose writer is gone (a live pid may still be writing it). */
function isLeftover(name: string): boolean {
  const match = TEMP_FILE.exec(name);
  if (match?.[1] === undefined) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function notGenerated(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: "error", rule: "output-not-generated", message };
}

/**
 * Plans writing `files` (paths relative to the root, or to `--out` in mode dir).
 * Reads the disk, writes nothing. Throws UsageError when the debian directory is missing.
 */
export async function planWrites(files: readonly RenderedFile[], target: OutputTarget): Promise<WritePlan> {
  const base = baseDir(target);
  const confineDir = confineDirOf(target);
  const show = (path: string): string => displayPathFor(target.root, path);
  // Nothing to write and no directory means nothing stale either; with files, it is a mistake.
  if (target.mode !== "dir" && files.length > 0 && (await lstatOrUndefined(confineDir)) === undefined) {
    throw new UsageError(`${show(confineDir)}/ does not exist (config debianDir is "${target.debianDir}")`);
  }
  const planned: PlannedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const produced = new Set<string>();

  for (const file of files) {
    const absPath = join(base, file.path);
    produced.add(absPath);
    const displayPath = show(absPath);
    const problem = await confinementProblem(confineDir, absPath, show);
    if (problem !== undefined) {
      diagnostics.push(notGenerated(displayPath, `${problem}: cronmeta will not write ${displayPath}. Remove it or change the output location.`));
      continue;
    }
    const info = await lstatOrUndefined(absPath);
    if (info === undefined) {
      planned.push({ kind: "new", absPath, displayPath, package: file.package, newContent: file.content });
      continue;
    }
    const oldContent = await readFile(absPath, "utf8");
    const oldMode = info.mode & 0o7777;
    if (!isGenerated(oldContent)) {
      diagnostics.push(
        notGenerated(
          displayPath,
          'the file has no "# Generated by cronmeta" marker, and cronmeta never overwrites or removes a file it did not generate. ' +
            "If it was written by hand, move its jobs into METADATA blocks and delete it, then run cronmeta gen again.",
        ),
      );
      continue;
    }
    const same = oldContent === file.content && oldMode === FILE_MODE;
    planned.push({ kind: same ? "unchanged" : "changed", absPath, displayPath, package: file.package, oldContent, oldMode, newContent: file.content });
  }

  const own = target.ownPackages === undefined ? undefined : new Set(target.ownPackages);
  const leftovers: string[] = [];
  for (const dir of await outputDirs(target, confineDir)) {
    for (const path of await regularFiles(dir)) {
      const name = path.slice(path.lastIndexOf(sep) + 1);
      if (isLeftover(name)) leftovers.push(path);
      if (produced.has(path) || !isStaleCandidate(target, path)) continue;
      const oldContent = await readFile(path, "utf8");
      if (!isGenerated(oldContent)) continue;
      if (target.mode === "dir" && own !== undefined) {
        const owner = ownerOf(oldContent);
        if (owner === undefined || !own.has(owner)) continue;
      }
      const oldMode = (await lstatOrUndefined(path))?.mode ?? 0;
      planned.push({ kind: "stale", absPath: path, displayPath: show(path), oldContent, oldMode: oldMode & 0o7777 });
    }
  }
  planned.sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { confineDir, files: planned, leftovers: leftovers.filter((p) => isInside(confineDir, p)).sort(), diagnostics };
}
