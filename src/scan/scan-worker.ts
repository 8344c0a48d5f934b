/**
 * The scan worker: reads, prefilters and extracts (Babel included) whole batches of paths for
 * scan-pool.ts. It receives `{ id, root, paths, cached? }` and answers `{ id, outcomes }`, one
 * outcome per path, in order.
 */
import { parentPort } from "node:worker_threads";
import type { CachedIdentity } from "./cache.js";
import { FileReader } from "./file-reader.js";
import { type FileOutcome, scanFile } from "./scan-file.js";

/** A batch for the worker; `cached[i]` is what the cache holds for `paths[i]` (with `--cache`). */
export interface ScanRequest {
  id: number;
  root: string;
  paths: string[];
  cached?: Array<CachedIdentity | null>;
}

/** The worker's answer: one outcome per path of the request. */
export interface ScanResponse {
  id: number;
  outcomes: FileOutcome[];
}

const reader = new FileReader();

parentPort?.on("message", (request: ScanRequest) => {
  const outcomes = request.paths.map((path, i) => scanFile(request.root, path, reader, request.cached?.[i]));
  const response: ScanResponse = { id: request.id, outcomes };
  parentPort?.postMessage(response);
});
