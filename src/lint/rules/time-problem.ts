/** Shared by the cron-time rules: reports the time parser's problems of one rule id. */
import { atValue, type RuleContext, type RuleReport } from "../rule.js";
import type { CronTimeProblem } from "../../types.js";

/** Reports the problems `parseCronTime` found for one rule id, at their columns in the file. */
export function reportTimeProblems(
  context: RuleContext,
  rule: CronTimeProblem["rule"],
  report: (problem: RuleReport) => void,
): void {
  for (const facts of context.sections) {
    const entry = facts.values.time;
    if (entry === undefined || facts.time === undefined) continue;
    for (const problem of facts.time.problems) {
      if (problem.rule === rule) report(atValue(facts, entry, problem.message, problem.offset, problem.length));
    }
  }
}
