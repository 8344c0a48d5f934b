/**
 * A scan worker thread: receives batches of paths (with the stamps the cache holds for them)
 * and answers with what scanOneFile gives for each. See scanPool.ts.
 */
import { parentPort } from "node:worker_threads";
import type { FileStamp } from "./cache.js";
import { FileReader } from "./fileReader.js";
import { type FileOutcome, scanOneFile } from "./scanFile.js";

/** A batch to scan. `cached` is absent without a cache; null for a path the cache does not hold. */
export interface ScanRequest {
  id: number;
  root: string;
  paths: string[];
  cached?: Array<FileStamp | null>;
}

/** The outcomes, in the order of the request's paths. */
export interface ScanResponse {
  id: number;
  outcomes: FileOutcome[];
}

const reader = new FileReader();
parentPort?.on("message", (request: ScanRequest) => {
  const outcomes = request.paths.map((path, i) => scanOneFile(request.root, path, reader, request.cached === undefined ? undefined : (request.cached[i] ?? null)));
  const response: ScanResponse = { id: request.id, outcomes };
  parentPort?.postMessage(response);
});
