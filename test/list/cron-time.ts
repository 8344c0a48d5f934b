// Builds CronTime values for the next-run, description and list tests with the real
// parser (src/cron/parse.ts); fails loudly when it rejects a time.
import type { CronTime } from "../../src/types.js";
import { parseCronTime } from "../../src/cron/parse.js";

/** The CronTime for `text`, as Debian's grammar reads it. */
export function timeOf(text: string): CronTime {
  const result = parseCronTime(text);
  if (result.time === undefined) {
    throw new Error(`test schedule ${JSON.stringify(text)} rejected: ${result.problems.map((p) => p.message).join("; ")}`);
  }
  return result.time;
}
