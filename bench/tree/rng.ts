/**
 * A small seeded pseudo-random generator (mulberry32), so that a synthetic tree is the same
 * byte for byte on every machine for a given seed. Not for anything that needs real randomness.
 */

/** Deterministic random numbers from a 32-bit seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** A lower-case identifier of `length` letters. */
  word(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += String.fromCharCode(97 + Math.floor(this.next() * 26));
    return out;
  }

  /** `length` pseudo-random bytes. */
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i + 4 <= length; i += 4) out.writeUInt32LE(Math.floor(this.next() * 4294967296), i);
    for (let i = length - (length % 4); i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** An independent generator derived from this one and a label (stable across code changes elsewhere). */
  fork(label: number): Rng {
    return new Rng((Math.imul(this.state ^ 0x9e3779b9, 2654435761) + label) >>> 0);
  }
}
