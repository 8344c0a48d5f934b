/**
 * Environment lines of a cron.d file (SPEC 4.2), written so that Debian's cron reads back
 * exactly the configured value. Which values a line can carry, and how it must be quoted, is
 * cron.d syntax and lives in src/cron/env-line.ts (the config schema refuses the others).
 */
import { envLine } from "../cron/env-line.js";
import { UsageError } from "../errors.js";

/** One env line: the configured name and value, and the line as written. */
export interface EnvLine {
  name: string;
  value: string;
  line: string;
}

/** Written first, in this order, as in crontab(5)'s examples; other names follow sorted. */
const FIRST = ["SHELL", "PATH", "MAILTO"];

function compareNames(a: string, b: string): number {
  const ia = FIRST.indexOf(a);
  const ib = FIRST.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? FIRST.length : ia) - (ib === -1 ? FIRST.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One `NAME=value` line for cron, quoted only when cron would otherwise change the value.
 * Throws UsageError for a value no line can carry (validated configs never hold one).
 */
export function formatEnvLine(name: string, value: string): string {
  const result = envLine(name, value);
  if (!result.ok) throw new UsageError(`config env.${name}: ${result.problem}`);
  return result.line;
}

/** The env lines of config `env`: SHELL, PATH, MAILTO first, then the others by name. */
export function envLines(env: Readonly<Record<string, string>>): EnvLine[] {
  return Object.keys(env)
    .sort(compareNames)
    .map((name) => {
      const value = env[name] ?? "";
      return { name, value, line: formatEnvLine(name, value) };
    });
}
