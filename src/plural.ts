/** "1 job", "2 jobs": a count with its noun, for messages and summaries. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
