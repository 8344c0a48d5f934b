/**
 * The stable hash behind `H`: one unsigned 32-bit number per job and field, from the job's
 * identity (package and lock name) only, so that the same job gets the same minute on every
 * build and machine, and renaming the job (or moving it to another package) is the only thing
 * that moves it. SHA-256 (node:crypto) rather than a small string hash: it is uniform enough that
 * 200 hourly jobs spread with a peak of at most 10 starts per minute (test/spread/peak.test.ts).
 */
import { createHash } from "node:crypto";

/** Who a job is, for the hash: renaming either moves its `H` values. */
export interface JobIdentity {
  package: string;
  lockname: string;
}

/** Field names as they enter the hash (documented in docs/spread.md: they fix the output). */
export const HASH_FIELD_NAMES = ["minute", "hour", "day-of-month", "month", "day-of-week"] as const;

/**
 * The hash value of `field` (0 minute … 4 day of week) for `identity`: the first four bytes,
 * big-endian, of SHA-256("cronmeta-H" NUL package NUL lockname NUL fieldname).
 */
export function fieldHash(identity: JobIdentity, field: number): number {
  const name = HASH_FIELD_NAMES[field] ?? String(field);
  const digest = createHash("sha256").update(`cronmeta-H\u0000${identity.package}\u0000${identity.lockname}\u0000${name}`).digest();
  return digest.readUInt32BE(0);
}

/** `package/lockname`, how messages and `list` name an identity. */
export function identityLabel(identity: JobIdentity): string {
  return `${identity.package}/${identity.lockname}`;
}
