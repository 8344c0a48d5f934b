/**
 * Scans a long list of files on this thread and on worker threads together (scan-worker.ts):
 * every thread takes whole batches of paths and reads, prefilters and extracts them (Babel
 * included), so that reading and parsing both spread over the cores. Batches are handed out as
 * threads ask for them, so a thread that meets a slow batch (a bundle, many JavaScript files)
 * simply takes fewer.
 *
 * Why it is kept (issue 10: kept only if it pays). `cronmeta lint` on the 100,000-file
 * benchmark tree, 2 CPUs, this thread alone (no worker) against this thread and one worker,
 * same build, runs interleaved, medians; four sessions in which lint had the CPUs (two while the
 * machine was quieter, two with the measured process at nice -19 on a busy machine):
 *   alone 1.79 s, with the worker 1.63 s (9 runs; faster in 9 of 9 pairs)
 *   alone 2.14 s, with the worker 1.93 s (11 runs; 9 of 11)
 *   alone 2.63 s, with the worker 2.70 s (11 runs; 8 of 11, a few pairs disturbed)
 *   alone 2.14 s, with the worker 1.93 s (11 runs; 9 of 11)
 * so about 10% less wall time. The price: 10-20% more CPU time (3.04 s against 2.73 s in the
 * last session) and about 27 MB more peak memory (184 MB against 157 MB), and when both CPUs are
 * already busy with other processes the worker only adds work (unprioritised at a load of 5,
 * lint was 10-20% slower with it). Workers alone would leave a core idle while this thread waits, and a
 * worker that only parses (the design before Babel read only the head of a file) now idles
 * while this thread reads. The two threads slow each other (memory and kernel are shared), so
 * the gain is well below the number of CPUs.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { ScanCache } from "./cache.js";
import { FileReader } from "./file-reader.js";
import { type FileOutcome, scanFile } from "./scan-file.js";
import type { ScanRequest, ScanResponse } from "./scan-worker.js";

/** Paths per batch: large enough to make messaging cheap, small enough to balance the threads. */
const BATCH = 256;
/** Batches in flight per worker, so that a worker never waits for its next batch. */
const IN_FLIGHT = 2;

/** Default number of scan workers besides this thread: one fewer than the CPUs, at most 3. */
export function defaultScanWorkers(): number {
  return Math.min(3, availableParallelism() - 1);
}

const FROM_SOURCES = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(FROM_SOURCES ? "./scan-worker.ts" : "./scan-worker.js", import.meta.url);

/**
 * Compiled, the worker is scan-worker.js. Run from TypeScript sources (tests and tools under
 * `node --import tsx`), a worker does not get tsx's loader on Node 20, so a small bootstrap
 * registers it (tsx/esm/api) before importing scan-worker.ts.
 */
function startWorker(): Worker {
  // node:worker_threads (5 internal modules) loads with the first worker: a small tree starts none.
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  if (!FROM_SOURCES) return new Worker(WORKER_URL);
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * Starts `count` scan workers ahead of the scan, so that their start (about 100 ms: Node's
 * bootstrap, the scan modules) overlaps the directory walk; hand them to {@link scanPaths}, or
 * end them with {@link stopScanWorkers}.
 */
export function startScanWorkers(count: number): Worker[] {
  return Array.from({ length: count }, () => {
    const worker = startWorker();
    // Until a scan takes it, a worker's failure is kept for the scan to report (not an uncaught error).
    worker.on("error", (error) => failures.set(worker, error));
    return worker;
  });
}

/** Errors of workers that failed before or while a scan had them. */
const failures = new WeakMap<Worker, Error>();

/** Ends workers that {@link startScanWorkers} started and no scan took. */
export async function stopScanWorkers(threads: readonly Worker[]): Promise<void> {
  await Promise.all(threads.map((t) => t.terminate()));
}

/**
 * Scans `paths` (relative to `root`) on this thread and `workers` worker threads (0: this
 * thread alone; or workers already started by {@link startScanWorkers}, which this ends),
 * calling `apply` with each path's outcome (in no particular order).
 */
export async function scanPaths(
  root: string,
  paths: readonly string[],
  cache: ScanCache | undefined,
  workers: number | readonly Worker[],
  apply: (path: string, outcome: FileOutcome) => void,
): Promise<void> {
  const reader = new FileReader();
  let next = 0;
  let nextId = 0;
  const take = (): string[] => {
    const batch = paths.slice(next, next + BATCH);
    next += batch.length;
    return batch;
  };
  const cachedStamps = (batch: readonly string[]): ScanRequest["cached"] => (cache === undefined ? undefined : batch.map((p) => cache.cachedIdentity(p) ?? null));

  const threads = typeof workers === "number" ? startScanWorkers(workers) : workers;
  for (const thread of threads) thread.ref(); // workers started ahead may have been unref'ed
  const run = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const batches = new Map<number, readonly string[]>();
      const send = (): void => {
        if (next >= paths.length) return;
        const batch = take();
        const id = nextId++;
        batches.set(id, batch);
        const cached = cachedStamps(batch);
        const request: ScanRequest = cached === undefined ? { id, root, paths: batch } : { id, root, paths: batch, cached };
        worker.postMessage(request);
      };
      worker.on("message", (response: ScanResponse) => {
        const batch = batches.get(response.id) ?? [];
        batches.delete(response.id);
        try {
          response.outcomes.forEach((outcome, i) => apply(batch[i] as string, outcome));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        send();
        if (batches.size === 0) resolve();
      });
      // A crashed worker is a bug, not a scan result.
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (batches.size > 0) reject(new Error(`scan worker exited with code ${code} during the scan`));
      });
      // A worker started ahead that already failed or ended would never answer.
      const failed = failures.get(worker);
      if (failed !== undefined || worker.threadId < 0) {
        reject(failed ?? new Error("scan worker exited before the scan"));
        return;
      }
      for (let i = 0; i < IN_FLIGHT; i++) send();
      if (batches.size === 0) resolve();
    });

  try {
    const done = Promise.all(threads.map(run));
    // Awaited below; until then a worker's failure must not count as an unhandled rejection.
    done.catch(() => undefined);
    // This thread takes batches too; between two, the workers' answers come in and they get their next.
    while (next < paths.length) {
      const batch = take();
      const cached = cachedStamps(batch);
      batch.forEach((path, i) => apply(path, scanFile(root, path, reader, cached?.[i])));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
