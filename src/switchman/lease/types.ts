/**
 * What switchman's run time needs of a lease (issue 16): the semaphore's name, how much of it
 * this run takes and its size, already evaluated on this host (src/syntax/lease.ts parses and
 * evaluates `RESOURCE=COUNT:TOTAL`; its LeaseValue has this shape).
 */

/** One evaluated lease: `count` of `total` units of `resource`. */
export interface LeaseRequest {
  resource: string;
  count: number;
  total: number;
}

/**
 * The leases in the order every switchman takes them: by resource name. One global order means
 * a run holding lease A while it waits for B can never wait for a run that holds B and waits for A.
 */
export function leaseOrder(leases: readonly LeaseRequest[]): LeaseRequest[] {
  return [...leases].sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
}

/**
 * The documented rule for holders that disagree about TOTAL: a newcomer fits when the sum of the
 * current holders' counts plus its own is at most the smallest TOTAL among the current holders
 * and itself. Leaving only lowers the sum, so at every moment the sum is at most every current
 * holder's TOTAL. Holders whose lease name cannot be read count as the whole semaphore (never
 * fewer holders than there are); negative counts (App::switchman allows them) count as 0.
 */
export function fits(holders: readonly { count: number; total: number }[], lease: { count: number; total: number }): boolean {
  let sum = 0;
  let limit = lease.total;
  for (const holder of holders) {
    sum += Math.max(0, holder.count);
    limit = Math.min(limit, holder.total);
  }
  return sum + lease.count <= limit;
}
