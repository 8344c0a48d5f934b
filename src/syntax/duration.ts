/**
 * Job time limits: METADATA `timeout` and switchman's `--timeout` (the value cronmeta writes on
 * the cron line). A whole number and one unit, `s`, `m` or `h` (`90s`, `30m`, `2h`), from 1 s to
 * 365 days. The linter, the job builder and switchman's command line all ask this module, so a
 * value that lints is a value switchman takes. Zod-free, like every syntax.
 */

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** The longest time limit, seconds (365 days): anything longer is a typo, not a limit. */
export const DURATION_MAX_S = 365 * 24 * 3600;

/** The rule in one line, for messages. */
export const DURATION_RULE = "a whole number and a unit s, m or h (for example 90s, 30m, 2h), at most 8760h";

const SYNTAX = /^([1-9][0-9]*)([smh])$/;

/** The duration in seconds, or undefined when `text` is not a valid duration. */
export function parseDuration(text: string): number | undefined {
  const match = SYNTAX.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  return seconds <= DURATION_MAX_S ? seconds : undefined;
}

/** Why `text` is not a duration (a phrase: `"2 hours" is not ...`), or undefined when it is one. */
export function durationProblem(text: string): string | undefined {
  if (parseDuration(text) !== undefined) return undefined;
  const match = SYNTAX.exec(text);
  if (match) return `is longer than 365 days`;
  return `is not ${DURATION_RULE}`;
}

/** The shortest spelling of `seconds` in this syntax: 7200 → `2h`, 5400 → `90m`, 61 → `61s`. */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

const WORD_UNITS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

/**
 * What to write instead of an invalid `text`, when its meaning is clear: `2 hours` → `2h`,
 * `120` → `120s`, `1.5h` → `90m`, `1h30m` → `90m`, `2H` → `2h`, `1d` → `24h`. The suggestion is
 * always itself valid; undefined when there is none.
 */
export function durationSuggestion(text: string): string | undefined {
  const words = text.trim().toLowerCase();
  if (/^[0-9]+$/.test(words)) return suggestSeconds(Number(words));
  let total = 0;
  let rest = words;
  const part = /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*/;
  while (rest !== "") {
    const match = part.exec(rest);
    const unit = match ? WORD_UNITS[match[2] as string] : undefined;
    if (!match || unit === undefined) return undefined;
    total += Number(match[1]) * unit;
    rest = rest.slice(match[0].length);
  }
  return suggestSeconds(total);
}

function suggestSeconds(seconds: number): string | undefined {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > DURATION_MAX_S) return undefined;
  return formatDuration(seconds);
}

/** The most consecutive failures `alert-after` may wait for. */
export const ALERT_AFTER_MAX = 1000;

/** METADATA `alert-after` and config `alertAfter`, in one line, for messages. */
export const ALERT_AFTER_RULE = `a whole number of consecutive failures from 1 to ${ALERT_AFTER_MAX}`;

/** METADATA `alert-after` (consecutive failures before an alert, issue 18): 1 to 1000, or undefined. */
export function parseAlertAfter(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,3}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= ALERT_AFTER_MAX ? n : undefined;
}
