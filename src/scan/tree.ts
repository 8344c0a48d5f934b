/**
 * Finds the files of a project and extracts their METADATA (SPEC 2, SPEC 5 include/exclude).
 * Built for large trees: fast-glob skips ignored directories without entering them, files are
 * read with bounded concurrency, and a byte-level search for the marker comes before any
 * decoding or parsing.
 */
import fg from "fast-glob";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import type { Config } from "../config/schema.js";
import type { ScannedFile } from "../types.js";
import { fileForm } from "./form.js";
import { extractJsdoc } from "./jsdoc.js";
import { extractPod } from "./pod.js";

/** Files read at the same time: enough to keep the disk busy, few enough for any fd limit. */
const READ_CONCURRENCY = 48;
/** A NUL byte in this many leading bytes marks a binary file (the heuristic of git and grep). */
const BINARY_PROBE = 8192;
/** Unreadable directories are skipped one by one; past this many the scan gives up on them. */
const MAX_UNREADABLE_DIRS = 100;

const POD_MARKER = Buffer.from("=head1 METADATA");
const JSDOC_MARKER = Buffer.from("@crontab");
const decoder = new TextDecoder("utf-8"); // replaces invalid bytes with U+FFFD, drops a BOM

/**
 * Scans `root` for files with METADATA. Returns the files that have sections or problems,
 * sorted by path (code-unit order), with paths relative to the root and `/` separators.
 * Never follows symbolic links (a link's target is scanned where it lives, if in the tree);
 * always skips `.git`, `node_modules` and package build trees `<debianDir>/*\/`, and binary
 * files. Unreadable files and directories are reported as problems, not thrown.
 */
export async function scanTree(root: string, config: Config): Promise<ScannedFile[]> {
  const { paths, unreadable } = await listFiles(root, config);
  const results: ScannedFile[] = [...unreadable];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++] as string;
      const scanned = await scanFile(root, path);
      if (scanned) results.push(scanned);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Globs that are skipped whatever the config says. */
export function alwaysIgnored(debianDir: string): string[] {
  const debian = fg.escapePath(debianDir.replaceAll("\\", "/").replace(/^(\.\/)+/, "").replace(/\/+$/, ""));
  return ["**/.git", "**/.git/**", "**/node_modules", "**/node_modules/**", `${debian}/*/**`];
}

async function listFiles(root: string, config: Config): Promise<{ paths: string[]; unreadable: ScannedFile[] }> {
  const ignore = [...alwaysIgnored(config.debianDir), ...config.exclude];
  const unreadable: ScannedFile[] = [];
  for (;;) {
    try {
      const found = await fg(config.include, {
        cwd: root,
        dot: true,
        onlyFiles: true, // also drops symbolic links, FIFOs, sockets and devices
        followSymbolicLinks: false,
        unique: true,
        ignore,
      });
      // An include like `../x/**` or `/etc/**` must not reach outside the root.
      return { paths: found.filter((p) => !isAbsolute(p) && p !== ".." && !p.startsWith("../")), unreadable };
    } catch (error) {
      const dir = (error as NodeJS.ErrnoException).path;
      if (dir === undefined || unreadable.length >= MAX_UNREADABLE_DIRS) throw error;
      const rel = relative(root, dir).split(sep).join("/");
      if (rel === "" || rel.startsWith("..") || ignore.includes(fg.escapePath(rel))) throw error;
      ignore.push(fg.escapePath(rel));
      unreadable.push(cannotRead(rel, "directory", error));
    }
  }
}

function cannotRead(file: string, what: string, error: unknown): ScannedFile {
  const err = error as NodeJS.ErrnoException;
  const reason = err.code ?? (error instanceof Error ? error.message : String(error));
  return {
    file,
    sections: [],
    problems: [{ rule: "metadata-syntax", pos: { line: 1, column: 1 }, message: `cannot read ${what}: ${reason}` }],
  };
}

async function scanFile(root: string, path: string): Promise<ScannedFile | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, path));
  } catch (error) {
    // A file removed while the tree was being scanned is simply gone.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return cannotRead(path, "file", error);
  }
  if (bytes.subarray(0, BINARY_PROBE).includes(0)) return null;
  const lineEnd = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, lineEnd < 0 ? Math.min(bytes.length, 1024) : Math.min(lineEnd, 1024)).toString("latin1");
  const { form } = fileForm(path, firstLine.replace(/^\u00ef\u00bb\u00bf/, ""));
  if (!bytes.includes(form === "jsdoc" ? JSDOC_MARKER : POD_MARKER)) return null;
  const text = decoder.decode(bytes);
  const extracted = form === "jsdoc" ? extractJsdoc(text, path) : extractPod(text);
  if (!extracted || (extracted.sections.length === 0 && extracted.problems.length === 0)) return null;
  return { file: path, sections: extracted.sections, problems: extracted.problems };
}
