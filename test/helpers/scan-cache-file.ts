// Reads and writes the parts of a scan cache file (format 8, src/scan/cache.ts: a JSON header
// line, then files, stamps, digests, withResult, results and the lint result back to back), so
// that tests can look into one and damage it on purpose.
import { readFileSync, writeFileSync } from "node:fs";

export interface CacheFileParts {
  header: { tool: string; format: number; key: string; count: number; lintKey: string; lengths: number[] };
  files: string;
  stamps: string;
  digests: string;
  withResult: string;
  results: string;
  lint: string;
}

const NAMES = ["files", "stamps", "digests", "withResult", "results", "lint"] as const;

export function readCacheParts(path: string): CacheFileParts {
  return parseCacheParts(readFileSync(path, "utf8"));
}

export function parseCacheParts(text: string): CacheFileParts {
  const newline = text.indexOf("\n");
  const header = JSON.parse(text.slice(0, newline)) as CacheFileParts["header"];
  const parts: Record<string, string> = {};
  let at = newline + 1;
  NAMES.forEach((name, i) => {
    const n = header.lengths[i] as number;
    parts[name] = text.slice(at, at + n);
    at += n;
  });
  return { header, ...(parts as Omit<CacheFileParts, "header">) };
}

/** The paths a cache file holds, in its order. */
export function cachedFiles(path: string): string[] {
  const { files, header } = readCacheParts(path);
  return header.count === 0 ? [] : files.split("\0");
}

/** Writes `parts` as a cache file, with the header's lengths made to fit (other header fields as given). */
export function writeCacheParts(path: string, parts: CacheFileParts): void {
  const header = { ...parts.header, lengths: NAMES.map((name) => parts[name].length) };
  writeFileSync(path, `${JSON.stringify(header)}\n${NAMES.map((name) => parts[name]).join("")}`);
}
