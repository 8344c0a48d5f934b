/**
 * Validates a raw configuration against the zod schema (the single source of truth). Loaded
 * only when a project has a configuration (load.ts). Every problem of the configuration is
 * reported in one run (issue 17): zod's issues, a `user` that `users` lacks and the rule ids
 * of `rules`, together.
 */
import type * as z from "zod/mini";
import { ruleSettingProblems } from "../lint/all-rules.js";
import { ConfigProblems } from "./problems.js";
import { type Config, configSchema } from "./schema.js";

/** One line per zod issue, each naming the key path (e.g. `rules.cron-day-or`). */
export function formatConfigIssues(error: z.core.$ZodError, label: string): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".") || "(top level)";
      if (issue.code === "unrecognized_keys") {
        const keys = issue.keys.map((k) => (path === "(top level)" ? k : `${path}.${k}`));
        return `${label}: unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`;
      }
      return `${label}: ${path}: ${issue.message}`;
    })
    .join("\n");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `user` must be one of `users`: checked on what was written, so also when other keys are wrong. */
function userProblem(raw: Record<string, unknown>, label: string): string | undefined {
  const user = raw.user ?? "root";
  const users = raw.users ?? ["root"];
  if (typeof user !== "string" || !Array.isArray(users) || !users.every((u) => typeof u === "string")) return undefined;
  return users.includes(user) ? undefined : `${label}: user: "${user}" is not listed in users (${users.join(", ")})`;
}

/** Validates a raw config object; throws ConfigProblems naming every bad key. */
export function validateConfig(raw: unknown, label: string): Config {
  const problems: string[] = [];
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) problems.push(...formatConfigIssues(result.error, label).split("\n"));
  if (isObject(raw)) {
    const user = userProblem(raw, label);
    if (user !== undefined) problems.push(user);
    if (isObject(raw.rules)) {
      // Unknown and fatal rule ids; a bad severity is zod's.
      const named = Object.fromEntries(Object.entries(raw.rules).filter((e): e is [string, "error" | "warning" | "off"] => ["error", "warning", "off"].includes(e[1] as string)));
      problems.push(...ruleSettingProblems(named).map((p) => `${label}: ${p}`));
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigProblems(problems, raw, label);
  return result.data;
}
