/** Shared by the rules that report what the scanner found (ScanProblem). */
import type { RuleContext, RuleReport } from "../rule.js";
import type { ScanProblem } from "../../types.js";

/** Reports every scanner problem of one kind. */
export function reportScanProblems(
  context: RuleContext,
  kind: ScanProblem["rule"],
  report: (problem: RuleReport) => void,
): void {
  for (const file of context.files) {
    for (const problem of file.problems) {
      if (problem.rule === kind) report({ file: file.file, line: problem.pos.line, column: problem.pos.column, message: problem.message });
    }
  }
}
