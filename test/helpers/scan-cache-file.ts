// Reads and writes the parts of a scan cache file (format 8, src/scan/cache.ts: a JSON header
// line, then files, stamps, digests, withResult, results and the lint result back to back, their
// lengths in bytes), so that tests can look into one and damage it on purpose.
import { readFileSync, writeFileSync } from "node:fs";

export interface CacheFileParts {
  header: { tool: string; format: number; key: string; count: number; lintKey: string; lengths: number[] };
  /** UTF-8 text, but `stamps` (binary doubles). */
  files: string;
  stamps: Buffer;
  digests: string;
  withResult: string;
  results: string;
  lint: string;
}

const NAMES = ["files", "stamps", "digests", "withResult", "results", "lint"] as const;

export function readCacheParts(path: string): CacheFileParts {
  return parseCacheParts(readFileSync(path));
}

export function parseCacheParts(bytes: Buffer): CacheFileParts {
  const newline = bytes.indexOf(0x0a);
  const header = JSON.parse(bytes.toString("utf8", 0, newline)) as CacheFileParts["header"];
  const parts: Record<string, string | Buffer> = {};
  let at = newline + 1;
  NAMES.forEach((name, i) => {
    const n = header.lengths[i] as number;
    const part = bytes.subarray(at, at + n);
    parts[name] = name === "stamps" ? Buffer.from(part) : part.toString("utf8");
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
  const body = NAMES.map((name) => (name === "stamps" ? parts.stamps : Buffer.from(parts[name])));
  const header = { ...parts.header, lengths: body.map((b) => b.length) };
  writeFileSync(path, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...body]));
}
