/**
 * `params` are appended to the script path on the cron line, which cron hands to /bin/sh.
 * SPEC 2.3 allows plain shell words (quotes allowed) and nothing that chains, redirects or
 * substitutes commands. Returns the first problem with its 0-based offset, or undefined.
 */
import { CONTROL_CHARACTER, CONTROL_CLASS, codePointLabel } from "../syntax/control.js";

export interface ParamsProblem {
  offset: number;
  message: string;
}

/** What to write instead, by kind of shell syntax (each message says it, issue 17). */
const WRAPPER = "put the commands in a wrapper script and schedule that, or do it inside the script";
const REDIRECT = "redirect inside the script (cron mails what a job prints), or call a wrapper script that redirects";
const SUBSTITUTION = "compute the value inside the script (e.g. have it call date itself), or schedule a wrapper script that passes it";

const FORBIDDEN: Record<string, string> = {
  ";": `chains commands: ${WRAPPER}`,
  "&": `runs commands in the background or chains them: ${WRAPPER}`,
  "|": `pipes into another command: ${WRAPPER}`,
  "<": `redirects input: ${REDIRECT}`,
  ">": `redirects output: ${REDIRECT}`,
  "`": `substitutes a command: ${SUBSTITUTION}`,
  "(": `starts a subshell: quote it ('(') if it is a literal parenthesis, else ${WRAPPER}`,
  ")": `ends a subshell: quote it (')') if it is a literal parenthesis, else ${WRAPPER}`,
};

/**
 * Every character the loop below looks at: a control character, a quote, `$`, `#` or one of
 * FORBIDDEN. Params without one are plain words, the usual case, answered by one search instead
 * of a test per character (9 ms of the 10,000-file benchmark tree's lint).
 */
const SPECIAL = new RegExp(`[${CONTROL_CLASS}'"$#${Object.keys(FORBIDDEN).join("").replace(/[\\\]^-]/g, "\\$&")}]`);

/** Checks params against SPEC 2.3. */
export function paramsProblem(params: string): ParamsProblem | undefined {
  if (!SPECIAL.test(params)) return undefined;
  let quote: "'" | '"' | undefined;
  let quoteOffset = 0;
  for (let i = 0; i < params.length; i++) {
    const ch = params[i]!;
    if (CONTROL_CHARACTER.test(ch)) return { offset: i, message: `control character ${codePointLabel(ch)} is not allowed` };
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && (ch === "`" || (ch === "$" && params[i + 1] === "("))) {
        return { offset: i, message: `${ch === "`" ? "`" : "$("} substitutes a command, even inside double quotes: ${SUBSTITUTION}` };
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      quoteOffset = i;
      continue;
    }
    if (ch === "$" && params[i + 1] === "(") return { offset: i, message: `"$(" substitutes a command, on every run: ${SUBSTITUTION}` };
    const reason = FORBIDDEN[ch];
    if (reason !== undefined) return { offset: i, message: `${JSON.stringify(ch)} ${reason}` };
    if (ch === "#" && (i === 0 || /\s/.test(params[i - 1]!))) {
      return { offset: i, message: `"#" at the start of a word makes the shell ignore the rest of the line; quote it ('#')` };
    }
  }
  if (quote !== undefined) return { offset: quoteOffset, message: `unbalanced ${quote} quote: close it, or quote the character with the other quote` };
  return undefined;
}
