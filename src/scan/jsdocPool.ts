/**
 * Runs the JSDoc extractor on a worker thread once a scan has enough JavaScript candidates to
 * pay for it, so that Babel parses while the main thread reads and prefilters the next files.
 *
 * One worker by default, not one per CPU: most of Babel's cost on a scan is V8 compiling and
 * optimising Babel itself (parsing the same 2,335 files takes twice as long cold as warm), and
 * every worker pays it again. On the 100,000-file benchmark tree on 2 CPUs, the main thread
 * reading and one worker parsing beat two workers that each read and parse.
 *
 * The first INLINE_FIRST candidates are extracted on the main thread, so a small project never
 * starts a worker (starting one costs tens of milliseconds).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { extractJsdoc } from "./jsdoc.js";
import type { JsdocRequest, JsdocResponse } from "./jsdocWorker.js";

/** Candidates extracted inline before a worker starts. */
const INLINE_FIRST = 64;
/** Jobs a worker holds at once: enough to never wait for the next, few enough to leave the rest to drain(). */
const WINDOW = 16;
/** Jobs drain() extracts between two yields to the event loop. */
const DRAIN_YIELD_EVERY = 8;

type Extracted = ReturnType<typeof extractJsdoc>;

/** Default number of JSDoc workers: one, or none on a single CPU (no gain, only start-up). */
export function defaultJsdocWorkers(): number {
  return availableParallelism() > 1 ? 1 : 0;
}

const FROM_SOURCES = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(FROM_SOURCES ? "./jsdocWorker.ts" : "./jsdocWorker.js", import.meta.url);

/**
 * Compiled, the worker is jsdocWorker.js. Run from TypeScript sources (tests and tools under
 * `node --import tsx`), a worker does not get tsx's loader on Node 20, so a small bootstrap
 * registers it (tsx/esm/api) before importing jsdocWorker.ts.
 */
function startWorker(): Worker {
  if (!FROM_SOURCES) return new Worker(WORKER_URL);
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

interface Job {
  id: number;
  text: string;
  path: string;
  resolve: (r: Extracted) => void;
  reject: (e: Error) => void;
}

/**
 * Extracts JSDoc METADATA inline or on worker threads; call {@link JsdocPool.drain} when no more
 * files come, then {@link JsdocPool.close}. Jobs wait in a queue here and go to a worker a few at
 * a time, so that the main thread can take the rest once it has finished reading.
 */
export class JsdocPool {
  private inline = 0;
  private readonly workers: Array<{ worker: Worker; inFlight: Map<number, Job> }> = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private readonly maxWorkers: number;

  /** `workers`: at most this many threads (0: everything inline); `inlineFirst`: candidates extracted inline before a worker starts. */
  constructor(
    workers: number = defaultJsdocWorkers(),
    private readonly inlineFirst: number = INLINE_FIRST,
  ) {
    this.maxWorkers = Math.max(0, workers);
  }

  /** The extractor's result for `text` (the contents of `path`). */
  extract(text: string, path: string): Promise<Extracted> {
    if (this.maxWorkers === 0 || this.inline < this.inlineFirst) {
      this.inline += 1;
      return Promise.resolve(extractJsdoc(text, path));
    }
    if (this.workers.length < this.maxWorkers) this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, path, resolve, reject });
      this.pump();
    });
  }

  /**
   * No more files come: extracts queued jobs on this thread (from the back of the queue, while
   * the workers keep taking from the front) until none is left.
   */
  async drain(): Promise<void> {
    let done = 0;
    for (let job = this.queue.pop(); job !== undefined; job = this.queue.pop()) {
      job.resolve(extractJsdoc(job.text, job.path));
      // Let the workers' answers in, so that they get their next jobs.
      if (++done % DRAIN_YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Stops the workers (after every extract has been awaited). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }

  /** Hands queued jobs to workers with room in their window. */
  private pump(): void {
    for (const slot of this.workers) {
      while (slot.inFlight.size < WINDOW && this.queue.length > 0) {
        const job = this.queue.shift() as Job;
        slot.inFlight.set(job.id, job);
        const request: JsdocRequest = { id: job.id, text: job.text, path: job.path };
        slot.worker.postMessage(request);
      }
    }
  }

  private start(): void {
    const worker = startWorker();
    const slot = { worker, inFlight: new Map<number, Job>() };
    worker.on("message", (response: JsdocResponse) => {
      const job = slot.inFlight.get(response.id);
      slot.inFlight.delete(response.id);
      job?.resolve(response.result);
      this.pump();
    });
    // A crashed worker is a bug: fail what it held and everything still queued.
    const fail = (error: Error): void => {
      for (const job of [...slot.inFlight.values(), ...this.queue.splice(0)]) job.reject(error);
      slot.inFlight.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (slot.inFlight.size > 0) fail(new Error(`JSDoc worker exited with code ${code} while extracting`));
    });
    this.workers.push(slot);
  }
}
