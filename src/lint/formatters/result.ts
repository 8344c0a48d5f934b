import type { Diagnostic } from "../../types.js";

/** What every formatter formats: one sorted, flat list plus counts. */
export interface LintReport {
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  jobCount: number;
}
