import type { Io } from "../io.js";
import type { ListOptions } from "../options.js";

/** `cronmeta list` (placeholder until implemented). */
export async function runList(_options: ListOptions, io: Io): Promise<number> {
  io.stderr("cronmeta: list is not implemented yet\n");
  return 2;
}
