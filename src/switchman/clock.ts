/**
 * The clock of switchman's deadline arithmetic: a monotonic `now()` and the timers, injectable so
 * that the lock watch's budget logic is unit-tested with a fake clock instead of ±0.5 s windows
 * against a real server. The default is the real one (performance.now and Node's timers).
 */

/** A timer handle; only the clock that made it can clear it. */
export type TimerHandle = unknown;

/** Time and timers. */
export interface Clock {
  /** Monotonic milliseconds (performance.now). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};
