/**
 * Validates a raw configuration against the zod schema (the single source of truth). Loaded
 * only when a project has a configuration: zod takes about 55 ms to load (load.ts).
 */
import type { z } from "zod";
import { UsageError } from "../errors.js";
import { type Config, configSchema } from "./schema.js";

/** One line per zod issue, each naming the key path (e.g. `rules.cron-day-or`). */
export function formatConfigIssues(error: z.ZodError, label: string): string {
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

/** Validates a raw config object; throws UsageError naming every bad key. */
export function validateConfig(raw: unknown, label: string): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new UsageError(formatConfigIssues(result.error, label));
  const config = result.data;
  if (!config.users.includes(config.user)) {
    throw new UsageError(`${label}: user: "${config.user}" is not listed in users (${config.users.join(", ")})`);
  }
  return config;
}
