/**
 * Scans a large list of files on worker threads (scanWorker.ts), one per CPU: each worker reads,
 * prefilters and extracts (Babel included) whole batches of paths, so reading and parsing both
 * spread over the cores. The main thread only hands out batches and applies the cache.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ScannedFile } from "../types.js";
import type { ScanCache } from "./cache.js";
import type { FileOutcome } from "./scanFile.js";
import type { ScanRequest, ScanResponse } from "./scanWorker.js";

/** Paths per message: large enough to make messaging cheap, small enough to balance the workers. */
const BATCH = 256;
/** Batches in flight per worker, so that a worker never waits for its next batch. */
const IN_FLIGHT = 2;
/** More workers than this do not help (the disk and the kernel's path lookup are shared). */
const MAX_WORKERS = 4;

/** Default number of scan workers: one per CPU, at most MAX_WORKERS; none on a single CPU (no gain, only start-up). */
export function defaultWorkers(): number {
  const cpus = availableParallelism();
  return cpus > 1 ? Math.min(MAX_WORKERS, cpus) : 0;
}

const FROM_SOURCES = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(FROM_SOURCES ? "./scanWorker.ts" : "./scanWorker.js", import.meta.url);

/**
 * Compiled, the worker is scanWorker.js. Run from TypeScript sources (tests and tools under
 * `node --import tsx`), a worker does not get tsx's loader on Node 20, so a small bootstrap
 * registers it (tsx/esm/api) before importing scanWorker.ts.
 */
function startWorker(): Worker {
  if (!FROM_SOURCES) return new Worker(WORKER_URL);
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** Adds one file's outcome to `results`, reusing or recording cache entries. */
export function applyOutcome(path: string, outcome: FileOutcome, cache: ScanCache | undefined, results: ScannedFile[]): void {
  let result: ScannedFile | null;
  if (outcome.kind === "unchanged") {
    if (cache === undefined) throw new Error(`scan: ${path} reported unchanged without a cache`);
    result = cache.reuse(path);
  } else {
    result = outcome.result;
    if (cache !== undefined) {
      cache.misses += 1;
      if (outcome.stamp !== undefined) cache.set(path, outcome.stamp, result);
    }
  }
  if (result) results.push(result);
}

/** Scans `paths` on `workers` threads; results in no particular order. */
export async function scanInWorkers(root: string, paths: string[], cache: ScanCache | undefined, workers: number): Promise<ScannedFile[]> {
  const results: ScannedFile[] = [];
  const batches = new Map<number, string[]>();
  let next = 0;
  let nextId = 0;
  const threads = Array.from({ length: Math.max(1, workers) }, startWorker);

  const run = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      let inFlight = 0;
      const send = (): void => {
        if (next >= paths.length) return;
        const batch = paths.slice(next, next + BATCH);
        next += batch.length;
        const id = nextId++;
        batches.set(id, batch);
        const request: ScanRequest = { id, root, paths: batch };
        if (cache !== undefined) request.cached = batch.map((p) => cache.previousStamp(p) ?? null);
        worker.postMessage(request);
        inFlight += 1;
      };
      worker.on("message", (response: ScanResponse) => {
        inFlight -= 1;
        const batch = batches.get(response.id) ?? [];
        batches.delete(response.id);
        try {
          response.outcomes.forEach((outcome, i) => applyOutcome(batch[i] as string, outcome, cache, results));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        send();
        if (inFlight === 0) resolve();
      });
      // A crashed worker is a bug, not a scan result.
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (inFlight > 0) reject(new Error(`scan worker exited with code ${code} during the scan`));
      });
      for (let i = 0; i < IN_FLIGHT; i++) send();
      if (inFlight === 0) resolve();
    });

  try {
    await Promise.all(threads.map(run));
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}
