/**
 * What CMD cost (SPEC 8.5 FINISH): wall time, CPU and peak memory.
 *
 * - CPU: the growth of switchman's own cutime/cstime while CMD ran (exact, 10 ms ticks; covers
 *   CMD and the descendants it waited for). The kernel adds a child's times when it is reaped.
 * - Peak memory: CMD's VmHWM sampled from /proc while it runs, often at first (short jobs), then
 *   every 200 ms: CMD itself, not its children; a job shorter than the first samples reports what
 *   was seen, possibly nothing.
 */
import { peakRssKiB, reapedChildrenCpu } from "./procfs.js";

/** When to sample CMD's peak memory: often at first (short jobs), then every 200 ms. */
const SAMPLE_DELAYS_MS = [5, 15, 30, 50, 100];
const SAMPLE_INTERVAL_MS = 200;

/** CMD's cost so far. */
export interface Usage {
  wallS: number;
  userS: number;
  systemS: number;
  /** Peak resident memory seen, KiB; undefined when CMD ended before the first sample. */
  peakRssKiB: number | undefined;
}

/** Measures one CMD from its start. */
export class UsageMeter {
  private readonly startedAt = process.hrtime.bigint();
  private readonly cpuBefore = reapedChildrenCpu();
  private peak: number | undefined;
  private sampleTimer: NodeJS.Timeout | undefined;

  /** Samples the peak memory of `pid` until it is gone or {@link stop} is called. */
  sample(pid: number, step = 0): void {
    this.sampleTimer = setTimeout(() => {
      const kib = peakRssKiB(pid);
      if (kib === undefined) return;
      this.peak = Math.max(this.peak ?? 0, kib);
      this.sample(pid, step + 1);
    }, SAMPLE_DELAYS_MS[step] ?? SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    clearTimeout(this.sampleTimer);
  }

  /** The cost up to now (call it when CMD has been reaped, so its CPU times are in). */
  read(): Usage {
    const cpu = reapedChildrenCpu();
    return {
      wallS: Number(process.hrtime.bigint() - this.startedAt) / 1e9,
      userS: Math.max(0, cpu.userS - this.cpuBefore.userS),
      systemS: Math.max(0, cpu.systemS - this.cpuBefore.systemS),
      peakRssKiB: this.peak,
    };
  }
}
