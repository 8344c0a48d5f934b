import { MAX_ENV_LINE_BYTES } from "../../cron/env-line.js";
import { IGNORES_FILE, atOffset, type CheckRule } from "../rule.js";

/**
 * Why a line that looks like `NAME=value` is no setting for load_env() (src/cron/env-line.ts
 * decides that it is none; this only names the reason and what to write).
 */
function whyNoSetting(text: string): { offset: number; why: string; fix: string } {
  if (Buffer.byteLength(text, "utf8") >= MAX_ENV_LINE_BYTES) {
    return { offset: 0, why: `it is longer than cron reads of a setting (${MAX_ENV_LINE_BYTES - 1} bytes for NAME=value)`, fix: "shorten the value" };
  }
  const eq = text.indexOf("=");
  const name = text.slice(0, eq).trim();
  if (/[ \t]/.test(name.replace(/^(['"])(.*)\1$/, "$2"))) {
    return { offset: 0, why: `the name "${name}" holds a blank`, fix: `write the name as one word (e.g. ${name.split(/[ \t]+/).join("_")}=…)` };
  }
  const afterEq = text.slice(eq + 1);
  const value = afterEq.trim();
  const valueAt = eq + 1 + (afterEq.length - afterEq.trimStart().length);
  if (value === "") return { offset: eq, why: `"${name}=" has no value`, fix: `write ${name}="" for an empty value` };
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    const close = value.indexOf(quote, 1);
    if (close < 0) return { offset: valueAt, why: `the ${quote} that opens the value is never closed (cron has no escapes)`, fix: "close the quote" };
    const after = value.slice(close + 1).trim();
    if (after !== "") {
      return {
        offset: valueAt + close + 1,
        ...(after.startsWith("#")
          ? { why: "a comment follows the quoted value, and cron has no trailing comments", fix: "put the comment on a line of its own" }
          : { why: `"${after}" follows the closing ${quote}`, fix: `quote the whole value (${name}=${quote}${value.slice(1, close)}${after}${quote})` }),
      };
    }
  }
  return { offset: 0, why: "it is not NAME=value", fix: "write it as NAME=value, with NAME one word" };
}

export const crontabEnvInvalid: CheckRule = {
  meta: {
    id: "crontab-env-invalid",
    description: "A line written as a setting (`NAME=value`) that cron does not read as one: cron ignores the whole file.",
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details:
        "cron reads `NAME=value` lines with its own small parser (env.c load_env()): blanks around `=` are fine, a value may be quoted with `'` or `\"` (no escapes), and nothing may follow the closing quote. `NAME=` with no value, an unclosed quote, text after the closing quote (a trailing comment too), a blank inside the name, or a line over 998 bytes make it no setting at all; cron then reads the line as a job, fails, and ignores every job of the file. Write `NAME=\"\"` for an empty value. (Checked by `cronmeta check`.)",
      bad: 'MAILTO=\nPATH="/usr/bin:/bin" # default path\n0 3 * * * root /usr/local/bin/report',
      good: 'MAILTO=""\n# default path\nPATH="/usr/bin:/bin"\n0 3 * * * root /usr/local/bin/report',
    },
  },
  check(file, report) {
    for (const job of file.jobs) {
      if (job.shape !== "env") continue;
      const { entry } = job;
      const text = entry.text.slice(entry.start);
      const { offset, why, fix } = whyNoSetting(text);
      report(atOffset(entry.line, entry.start + offset, Math.max(1, text.length - offset), `cron does not take this line for a setting (${why}), so it reads it as a job, which fails: ${IGNORES_FILE}; ${fix}`));
    }
  },
};
