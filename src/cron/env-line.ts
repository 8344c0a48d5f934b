/**
 * Environment lines of a crontab (`NAME=value`), read the way Debian's cron reads them, and the
 * one rule for which values a cron.d file can carry exactly. The config schema (config `env`)
 * and the renderer (src/generate/env-lines.ts) both use it.
 *
 * Why hand-written: this must match Debian's cron 3.0pl1-162 to the letter. Its load_env()
 * (env.c, with Debian's patches) reads at most 998 bytes of a line (get_string() into
 * MAX_ENVSTR - 1) and silently drops the rest, then runs a small state machine:
 *   NAMEI NAME EQ1 EQ2 VALUEI VALUE FINI
 * - blanks after `=` are skipped, so an unquoted value loses its leading blanks;
 * - a value starting with `'` or `"` runs up to the next same quote, with no escape; anything
 *   but blanks after that quote (or no closing quote) makes the line no setting at all;
 * - an unquoted value loses its trailing blanks;
 * - then, for every value, quoted or not: strdtb() removes trailing blanks again and one pair
 *   of matching outer quotes is removed ("x" -> x), so `'"x"'` reads as x and `" x "` as ` x`;
 * - `NAME=` with nothing (or only blanks) after `=` is no setting either.
 * A line that is no setting is parsed as a job line, which fails: cron then ignores the whole
 * cron.d file. These verdicts were checked against the real daemon (values read back by a job)
 * and `crontab -n`; test/system/cron/env-values.test.ts keeps checking them.
 */

/** What cron makes of one line: the setting it reads, or undefined when it is no setting. */
export interface EnvSetting {
  name: string;
  value: string;
}

/** get_string(envstr, MAX_ENVSTR - 1, ...) keeps at most 998 bytes of a line and drops the rest. */
export const MAX_ENV_LINE_BYTES = 998;

/** C isspace() in the C locale (cron compares bytes; non-ASCII bytes are never blanks). */
function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\v" || ch === "\f" || ch === "\r";
}

function isQuote(ch: string | undefined): boolean {
  return ch === "'" || ch === '"';
}

/** The first MAX_ENV_LINE_BYTES bytes of `line` (a cut multi-byte character becomes U+FFFD). */
function cut(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  return bytes.length <= MAX_ENV_LINE_BYTES ? line : bytes.subarray(0, MAX_ENV_LINE_BYTES).toString("utf8");
}

/** strdtb(): delete trailing blanks. */
function trimTrailing(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end -= 1;
  return text.slice(0, end);
}

/** Debian's load_env() on one line (without its newline): the setting cron reads, if any. */
export function readEnvLine(line: string): EnvSetting | undefined {
  const text = cut(line);
  type State = "NAMEI" | "NAME" | "EQ1" | "EQ2" | "VALUEI" | "VALUE" | "FINI" | "ERROR";
  let state: State = "NAMEI";
  let quote = "";
  let name = "";
  let value = "";
  let i = 0;
  while (state !== "ERROR" && i < text.length) {
    const ch = text[i];
    switch (state) {
      case "NAMEI":
      case "VALUEI": {
        if (isQuote(ch)) {
          quote = ch ?? "";
          i += 1;
        }
        state = state === "NAMEI" ? "NAME" : "VALUE";
        break;
      }
      case "NAME":
      case "VALUE": {
        if (quote !== "") {
          if (ch === quote) {
            state = state === "NAME" ? "EQ1" : "FINI";
            i += 1;
            break;
          }
          if (state === "NAME" && ch === "=") {
            state = "ERROR";
            break;
          }
        } else if (state === "NAME") {
          if (isSpace(ch)) {
            state = "EQ1";
            i += 1;
            break;
          }
          if (ch === "=") {
            state = "EQ1";
            break;
          }
        }
        if (state === "NAME") name += ch;
        else value += ch;
        i += 1;
        break;
      }
      case "EQ1":
        if (ch === "=") {
          state = "EQ2";
          quote = "";
        } else if (!isSpace(ch)) {
          state = "ERROR";
        }
        i += 1;
        break;
      case "EQ2":
      case "FINI":
        if (isSpace(ch)) i += 1;
        else state = state === "EQ2" ? "VALUEI" : "ERROR";
        break;
    }
  }
  if (state !== "FINI" && !(state === "VALUE" && quote === "")) return undefined;
  value = trimTrailing(value);
  if (value.length >= 2 && isQuote(value[0]) && value[value.length - 1] === value[0]) value = value.slice(1, -1);
  // `strlen(name) + 1 + strlen(val) >= MAX_ENVSTR - 1`: no setting.
  if (Buffer.byteLength(`${name}=${value}`, "utf8") >= MAX_ENV_LINE_BYTES + 1) return undefined;
  return { name, value };
}

/** The line cronmeta writes for `name` = `value`, or why no line carries the value exactly. */
export type EnvLineResult = { ok: true; line: string } | { ok: false; problem: string };

/**
 * The candidate lines, in order of preference: bare when cron keeps the value as it is,
 * otherwise quoted with `"` or, when the value holds a `"`, with `'`.
 */
function candidates(name: string, value: string): string[] {
  const bare = `${name}=${value}`;
  const quoted = value.includes('"') ? `${name}='${value}'` : `${name}="${value}"`;
  return value === "" || isSpace(value[0]) || isQuote(value[0]) ? [quoted] : [bare, quoted];
}

/** A value as JSON (as it is written in the config), long ones shortened. */
function show(value: string): string {
  return JSON.stringify(value.length > 60 ? value.slice(0, 40) : value).replace(/"$/, value.length > 60 ? '…"' : '"');
}

/** What cron would make of `line` (the one cronmeta would have written), in words. */
function wouldRead(line: string, value: string): string {
  const read = readEnvLine(line);
  if (read === undefined) {
    return "would not take the line for a setting at all (it would read it as a broken job line and ignore the whole cron.d file)";
  }
  if (read.value.length < value.length && value.startsWith(read.value) && read.value.length > 40) {
    return `would read only the first ${read.value.length} characters of the value`;
  }
  return `would read ${show(read.value)}`;
}

/**
 * The env line for `name=value` that Debian's cron reads back as exactly `value`, or a problem
 * that names the value, why no line can carry it and what cron would read instead. Values with
 * control characters are the caller's to refuse first (config schema: no newline may reach a line).
 */
export function envLine(name: string, value: string): EnvLineResult {
  const lines = candidates(name, value);
  for (const line of lines) {
    const read = readEnvLine(line);
    if (read !== undefined && read.name === name && read.value === value) return { ok: true, line };
  }
  // The line cronmeta would write: the shortest candidate.
  const line = lines[0] ?? `${name}=${value}`;
  const bytes = Buffer.byteLength(line, "utf8");
  let why: string;
  let fix: string;
  if (isSpace(value[value.length - 1])) {
    why = "Debian's cron removes trailing blanks from every env value, even a quoted one";
    fix = "remove the trailing blanks";
  } else if (value.length >= 2 && isQuote(value[0]) && value[value.length - 1] === value[0]) {
    why = `Debian's cron removes one pair of matching outer quotes (${value[0]}…${value[0]}) from every env value, even a quoted one`;
    fix = "write the value without its outer quotes";
  } else if (bytes > MAX_ENV_LINE_BYTES) {
    why = `the line would be ${bytes} bytes long and Debian's cron reads only the first ${MAX_ENV_LINE_BYTES} bytes of a line`;
    fix = "shorten the value";
  } else {
    why = `a value that starts with a quote or a blank must be quoted, and this one holds both ' and ", so no quoting can carry it (cron has no escapes)`;
    fix = "drop one kind of quote from the value";
  }
  return { ok: false, problem: `value ${show(value)} cannot be written in a cron.d file: ${why}; cron ${wouldRead(line, value)}; ${fix}` };
}
