/**
 * Random hexadecimal ids for what must differ but need not be secret: a run's id, a host
 * record's revision token, the names of temporary files (created O_EXCL, so a name taken by
 * anyone else fails the write instead of being followed). From Math.random (V8's
 * xorshift128+, seeded for every process from the system's entropy), not node:crypto, whose
 * module and the 36 internal ones it loads cost a start about 3 ms (measured: Node 20, this
 * machine), every start, since the recorder is loaded by every run path.
 */

/** `bytes` random bytes as 2 × `bytes` lowercase hexadecimal digits. */
export function randomHex(bytes: number): string {
  let hex = "";
  // 32 bits per draw: exactly representable, and well inside Math.random's 52-bit mantissa.
  while (hex.length < bytes * 2) hex += Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, "0");
  return hex.slice(0, bytes * 2);
}

/** A monotonic clock in ms (performance.now() without loading node:perf_hooks, 0.5 ms a skip). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
