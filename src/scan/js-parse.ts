/**
 * Parses JavaScript/TypeScript with @babel/parser only to get its comments: the file is never
 * executed or imported. Babel is tolerant (`errorRecovery`), but some syntax errors still throw;
 * those become data here.
 */
import type { ParserPlugin } from "@babel/parser";
import { createRequire } from "node:module";
import { extname, posix } from "node:path";

type Babel = typeof import("@babel/parser");
let babel: Babel | undefined;

/**
 * @babel/parser, loaded on first use: it takes about 70 ms to load, which a run on a tree
 * without JavaScript METADATA never pays. It is a CommonJS package, so `require` loads it
 * synchronously.
 */
function babelParser(): Babel {
  babel ??= createRequire(import.meta.url)("@babel/parser") as Babel;
  return babel;
}

/** A block or line comment with its offsets in the parsed text. */
export interface JsComment {
  block: boolean;
  value: string;
  start: number;
  end: number;
}

/** The outcome of parsing: the comments (and errors Babel recovered from), or the fatal error. */
export type JsParseResult =
  | { ok: true; comments: JsComment[]; recovered: number[] }
  | { ok: false; pos: number | undefined; message: string };

/**
 * Plugin sets to try, most likely first. JSX is safe in JavaScript (`<` cannot start a JS
 * expression) but not in .ts/.mts/.cts, where `<T>x` is a type assertion.
 */
export function pluginSets(fileName: string, typescriptFirst: boolean): ParserPlugin[][] {
  const ext = extname(posix.basename(fileName)).toLowerCase();
  const ts: ParserPlugin[][] = [
    ["typescript", "decorators-legacy"],
    ["typescript", ["decorators", {}]],
  ];
  const tsx: ParserPlugin[][] = ts.map((set) => ["jsx", ...set]);
  const js: ParserPlugin[][] = [["jsx"], ["jsx", "decorators-legacy"], ["jsx", "flow"]];
  switch (ext) {
    case ".ts":
    case ".mts":
    case ".cts":
      return ts;
    case ".tsx":
      return tsx;
    case ".js":
    case ".mjs":
    case ".cjs":
    case ".jsx":
      return js;
    default: // an extensionless script: its runtime hints at the language
      return typescriptFirst ? [...ts, ...js] : [...js, ...ts];
  }
}

function parseOnce(text: string, plugins: ParserPlugin[]): JsParseResult {
  try {
    const file = babelParser().parse(text, {
      sourceType: "unambiguous",
      errorRecovery: true,
      attachComment: false,
      // Scripts are often CommonJS with a top-level `return`, or ESM with top-level await.
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowNewTargetOutsideFunction: true,
      allowSuperOutsideMethod: true,
      allowUndeclaredExports: true,
      plugins,
    });
    const comments: JsComment[] = [];
    for (const c of file.comments ?? []) {
      if (typeof c.start === "number" && typeof c.end === "number") {
        comments.push({ block: c.type === "CommentBlock", value: c.value, start: c.start, end: c.end });
      }
    }
    return { ok: true, comments, recovered: (file.errors ?? []).map((e) => e.pos) };
  } catch (error) {
    // Babel's SyntaxError carries `pos`; anything else (e.g. a RangeError on absurdly deep
    // nesting) has no position.
    const pos = (error as { pos?: unknown }).pos;
    const message = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, "") : String(error);
    return { ok: false, pos: typeof pos === "number" ? pos : undefined, message };
  }
}

/**
 * Parses with each plugin set in turn and returns the first success; if every set fails,
 * the failure of the first (the file's most likely grammar).
 */
export function parseJs(text: string, sets: ParserPlugin[][]): JsParseResult {
  let first: JsParseResult | undefined;
  for (const plugins of sets) {
    const result = parseOnce(text, plugins);
    if (result.ok) return result;
    first ??= result;
  }
  return first ?? { ok: false, pos: undefined, message: "no parser configuration" };
}
