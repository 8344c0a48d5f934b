import type { Io } from "../io.js";
import type { ReportOptions } from "../options.js";

/** `cronmeta report` (placeholder until implemented). */
export async function runReport(_options: ReportOptions, io: Io): Promise<number> {
  io.stderr("cronmeta: report is not implemented yet\n");
  return 2;
}
