/** The error of a configuration with problems (kept apart from validate.ts so that catching it does not load zod). */
import { UsageError } from "../errors.js";

/** Every problem of a configuration, one line each; `raw` is what was read, for the checks that come later (project.ts). */
export class ConfigProblems extends UsageError {
  constructor(
    readonly problems: readonly string[],
    readonly raw: unknown,
    readonly label: string,
  ) {
    super(problems.join("\n"));
  }
}
