/**
 * Every rule id cronmeta knows, lint's (src/lint/rules/) and the ones only `cronmeta check`
 * has (src/check/rules/): config `rules` may set any of them, SARIF lists them all.
 */
import { CHECK_ONLY_RULES } from "../check/rules/index.js";
import type { Config } from "../config/schema.js";
import { closest } from "../jobs/keys.js";
import type { RuleMeta } from "./rule.js";
import { RULES } from "./rules/index.js";

/** The lint rules, then the check-only rules, in documentation order. */
export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), ...CHECK_ONLY_RULES.map((r) => r.meta)];

/** A rule of lint or check by id. */
export function findAnyRule(id: string): RuleMeta | undefined {
  return ALL_RULE_METAS.find((meta) => meta.id === id);
}

/** Problems with config `rules`: unknown ids and fatal rules lowered below error. */
export function ruleSettingProblems(rules: Config["rules"]): string[] {
  const problems: string[] = [];
  for (const [id, setting] of Object.entries(rules)) {
    const meta = findAnyRule(id);
    if (meta === undefined) {
      const guess = closest(id, ALL_RULE_METAS.map((m) => m.id));
      problems.push(`rules.${id}: unknown rule${guess === undefined ? "" : ` (did you mean "${guess}"?)`} (see docs/rules.md)`);
    }
    else if (meta.fatal && setting !== "error") {
      problems.push(`rules.${id}: cannot be "${setting}": gen cannot write a correct cron line while this problem exists`);
    }
  }
  return problems;
}
