import type { Io } from "../io.js";
import type { GenOptions } from "../options.js";

/** `cronmeta gen` (placeholder until implemented). */
export async function runGen(_options: GenOptions, io: Io): Promise<number> {
  io.stderr("cronmeta: gen is not implemented yet\n");
  return 2;
}
