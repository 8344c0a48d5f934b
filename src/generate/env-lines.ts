/**
 * Environment lines of a cron.d file (SPEC 4.2), written so that Debian's cron reads back
 * exactly the configured value. cron's load_env() (env.c, cron 3.0pl1):
 * - trims blanks around an unquoted value, and a value that starts with `'` or `"` is
 *   taken as quoted up to the next same quote, with no escape; anything but blanks after
 *   the closing quote makes the line a (broken) job line;
 * - `NAME=` with nothing after the `=` is not an env setting at all, hence `MAILTO=""`;
 * - the line is read into a MAX_ENVSTR (1000) buffer including the final NUL, and
 *   get_string() (misc.c) silently drops the rest of a longer line: the value would be cut.
 */
import { UsageError } from "../errors.js";

/** One env line: the configured name and value, and the line as written. */
export interface EnvLine {
  name: string;
  value: string;
  line: string;
}

/** cron.h: MAX_ENVSTR 1000, including the terminating NUL; longer lines are cut silently. */
const MAX_ENV_LINE = 999;

/** Written first, in this order, as in crontab(5)'s examples; other names follow sorted. */
const FIRST = ["SHELL", "PATH", "MAILTO"];

function compareNames(a: string, b: string): number {
  const ia = FIRST.indexOf(a);
  const ib = FIRST.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? FIRST.length : ia) - (ib === -1 ? FIRST.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Quotes a value only when cron would otherwise change it. */
function quoteValue(name: string, value: string): string {
  const needsQuotes = value === "" || /^\s|\s$/.test(value) || value.startsWith("'") || value.startsWith('"');
  if (!needsQuotes) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new UsageError(
    `config env.${name}: cron cannot read this value back (it needs quotes but holds both ' and ")`,
  );
}

/** One `NAME=value` line for cron; throws UsageError for a value cron cannot represent. */
export function formatEnvLine(name: string, value: string): string {
  const line = `${name}=${quoteValue(name, value)}`;
  // cron counts bytes, not characters.
  const bytes = Buffer.byteLength(line, "utf8");
  if (bytes > MAX_ENV_LINE) {
    throw new UsageError(`config env.${name}: the line is ${bytes} bytes long, cron reads at most ${MAX_ENV_LINE} and cuts the rest`);
  }
  return line;
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
