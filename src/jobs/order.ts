/** The order of jobs everywhere (SPEC 4.2): by package, then script path, then position in the script. */
import type { Job } from "../types.js";

/** Compares by package, script path (both in code-unit order) and index of the section in the script. */
export function compareJobs(a: Job, b: Job): number {
  if (a.package !== b.package) return a.package < b.package ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.index - b.index;
}
