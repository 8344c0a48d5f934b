/**
 * Which METADATA form a file uses (SPEC 2.2): JSDoc for JavaScript/TypeScript files, recognised
 * by extension or, for files without one, by a shebang that runs a JavaScript runtime; POD for
 * everything else.
 */
import { extname, posix } from "node:path";

/** Extensions of files read in the JSDoc form. */
export const JS_EXTENSIONS: ReadonlySet<string> = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"]);

/** Runtimes whose scripts are read in the JSDoc form; the ones that run TypeScript are marked. */
const RUNTIMES: ReadonlyMap<string, { typescript: boolean }> = new Map([
  ["node", { typescript: false }],
  ["nodejs", { typescript: false }], // Debian's old name of the binary
  ["bun", { typescript: false }],
  ["deno", { typescript: true }],
  ["tsx", { typescript: true }],
  ["ts-node", { typescript: true }],
  ["ts-node-esm", { typescript: true }],
  ["ts-node-script", { typescript: true }],
]);

/** env(1) options that take a separate argument. */
const ENV_OPTIONS_WITH_ARG = new Set(["-u", "--unset", "-C", "--chdir", "-a", "--argv0"]);

/**
 * The program a shebang line runs, looking through `env` (with its options and `NAME=value`
 * assignments, including `env -S "deno run …"`, see env(1)) and `npx`. Null without a shebang.
 */
export function shebangProgram(firstLine: string): string | null {
  if (!firstLine.startsWith("#!")) return null;
  const words = firstLine.slice(2).trim().split(/\s+/).filter((w) => w !== "");
  let i = 0;
  const base = (w: string | undefined): string => posix.basename(w ?? "");
  if (base(words[0]) === "env") {
    i = 1;
    while (i < words.length) {
      const w = words[i] ?? "";
      if (ENV_OPTIONS_WITH_ARG.has(w)) i += 2;
      else if (w.startsWith("-S") && w.length > 2) {
        words[i] = w.slice(2); // `-Sdeno`: the program follows the option without a blank
        break;
      } else if (w.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i += 1;
      else break;
    }
  }
  if (base(words[i]) === "npx") {
    i += 1;
    while ((words[i] ?? "").startsWith("-")) i += 1;
  }
  const program = words[i];
  return program === undefined ? null : base(program);
}

/** How a file is read. */
export interface FileForm {
  form: "pod" | "jsdoc";
  /** JSDoc form only: the file is more likely TypeScript than JavaScript. */
  typescript: boolean;
}

const POD: FileForm = { form: "pod", typescript: false };
const JSDOC: FileForm = { form: "jsdoc", typescript: false };
const JSDOC_TYPESCRIPT: FileForm = { form: "jsdoc", typescript: true };

/**
 * The form of `fileName` by its name alone, or undefined for a file without an extension, whose
 * first line decides (see {@link fileForm}). The scanner asks this once per file, and reads the
 * first line only when it must.
 */
export function formByName(fileName: string): FileForm | undefined {
  const ext = extname(posix.basename(fileName.replaceAll("\\", "/"))).toLowerCase();
  if (JS_EXTENSIONS.has(ext)) return /^\.[mc]?tsx?$/.test(ext) ? JSDOC_TYPESCRIPT : JSDOC;
  return ext === "" ? undefined : POD;
}

/** The form of a file without an extension, from its first line (a shebang that runs a JavaScript runtime). */
export function formByFirstLine(firstLine: string): FileForm {
  const program = shebangProgram(firstLine);
  const runtime = program === null ? undefined : RUNTIMES.get(program);
  if (runtime) return runtime.typescript ? JSDOC_TYPESCRIPT : JSDOC;
  return POD;
}

/** Decides the form of `fileName` (its first line is needed for extensionless files). */
export function fileForm(fileName: string, firstLine: string): FileForm {
  return { ...(formByName(fileName) ?? formByFirstLine(firstLine)) };
}
