import type { Diagnostic } from "../../types.js";
import type { SuppressedDiagnostic } from "../suppressions.js";

/** What every formatter formats: one sorted, flat list plus counts. */
export interface LintReport {
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  jobCount: number;
  /** Diagnostics turned off by `# cronmeta-disable` comments (json and sarif show them, with the reason). */
  suppressed?: SuppressedDiagnostic[];
}
