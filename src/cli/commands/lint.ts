import type { Io } from "../io.js";
import type { LintOptions } from "../options.js";

/** `cronmeta lint` (placeholder until implemented). */
export async function runLint(_options: LintOptions, io: Io): Promise<number> {
  io.stderr("cronmeta: lint is not implemented yet\n");
  return 2;
}
