/**
 * `params` are appended to the script path on the cron line, which cron hands to /bin/sh.
 * SPEC 2.3 allows plain shell words (quotes allowed) and nothing that chains, redirects or
 * substitutes commands. Returns the first problem with its 0-based offset, or undefined.
 */
import { CONTROL_CHARACTER, codePointLabel } from "../syntax/control.js";

export interface ParamsProblem {
  offset: number;
  message: string;
}

const FORBIDDEN: Record<string, string> = {
  ";": "chains commands",
  "&": "runs commands in the background or chains them",
  "|": "pipes into another command",
  "<": "redirects input",
  ">": "redirects output",
  "`": "substitutes a command",
  "(": "starts a subshell",
  ")": "ends a subshell",
};

/** Checks params against SPEC 2.3. */
export function paramsProblem(params: string): ParamsProblem | undefined {
  let quote: "'" | '"' | undefined;
  let quoteOffset = 0;
  for (let i = 0; i < params.length; i++) {
    const ch = params[i]!;
    if (CONTROL_CHARACTER.test(ch)) return { offset: i, message: `control character ${codePointLabel(ch)} is not allowed` };
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && (ch === "`" || (ch === "$" && params[i + 1] === "("))) {
        return { offset: i, message: `${ch === "`" ? "`" : "$("} substitutes a command, even inside double quotes` };
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      quoteOffset = i;
      continue;
    }
    if (ch === "$" && params[i + 1] === "(") return { offset: i, message: "$( substitutes a command" };
    const reason = FORBIDDEN[ch];
    if (reason !== undefined) return { offset: i, message: `${JSON.stringify(ch)} ${reason}` };
    if (ch === "#" && (i === 0 || /\s/.test(params[i - 1]!))) {
      return { offset: i, message: `"#" at the start of a word makes the shell ignore the rest of the line; quote it ('#')` };
    }
  }
  if (quote !== undefined) return { offset: quoteOffset, message: `unbalanced ${quote} quote` };
  return undefined;
}
