/**
 * The METADATA keys of SPEC 2.3, `timeout` (issue 15: the job's time limit, switchman's `--timeout`),
 * the monitor's `grace` and `alert-after` (issue 18, docs/monitor.md), and issue 16's `concurrency`,
 * `lease` (comma-separated `RESOURCE=COUNT:TOTAL`s) and `wait`.
 */
export const METADATA_KEYS = [
  "time", "package", "params", "user", "group", "lockname", "lock", "concurrency", "lease", "wait", "timeout", "grace", "alert-after", "description",
] as const;

/** A known METADATA key. */
export type MetadataKey = (typeof METADATA_KEYS)[number];

/** True for a key SPEC 2.3 defines. */
export function isMetadataKey(key: string): key is MetadataKey {
  return (METADATA_KEYS as readonly string[]).includes(key);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Answers of {@link closest} by candidate list and word: a tree's broken files repeat the same
 * few typos (the benchmark's 10,000-file tree: 7 ms of edit distances without it). A list must
 * not change between calls: callers pass constants or lists made for one run.
 */
const answers = new WeakMap<readonly string[], Map<string, string | undefined>>();

/** The candidate closest to `word` when it is a plausible typo of it (for "did you mean"). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let known = answers.get(candidates);
  if (known === undefined) answers.set(candidates, (known = new Map()));
  if (known.has(word)) return known.get(word);
  const answer = closestUncached(word, candidates);
  known.set(word, answer);
  return answer;
}

function closestUncached(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
