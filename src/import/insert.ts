/**
 * Puts imported METADATA into a script's text, in the place its language keeps documentation,
 * and proves the result: the new text must read back (src/scan/) as exactly the sections
 * written, or nothing is inserted. Pure: text in, text out.
 *
 * - Perl, shell, Python: a POD block. Into the script's first POD region, before the `=cut`
 *   that ends it (also an emptied one: `: <<'=cut'` then `=cut`, or a docstring holding `=cut`);
 *   otherwise Perl gets it before `__END__`/`__DATA__` or at the end, shell as a
 *   `: <<'=cut'` here-document after the header comments, Python at the end of its module
 *   docstring (or as a new one).
 * - JavaScript/TypeScript: `@crontab` tags at the end of the file's leading `/** … *\/`
 *   comment, or a new one after the shebang.
 */
import { extname, posix } from "node:path";
import { extractJsdoc } from "../scan/jsdoc.js";
import { fileForm, shebangProgram } from "../scan/form.js";
import { extractPod } from "../scan/pod.js";
import { jsdocTagLines, podBlockLines, type SectionEntries } from "./metadata-block.js";

/** How a script keeps METADATA. */
export type ScriptLanguage = "perl" | "shell" | "python" | "javascript" | "other";

/** The language of a script, from its extension or its shebang. */
export function scriptLanguage(file: string, firstLine: string): ScriptLanguage {
  if (fileForm(file, firstLine).form === "jsdoc") return "javascript";
  const ext = extname(posix.basename(file)).toLowerCase();
  const program = shebangProgram(firstLine) ?? "";
  if ([".pl", ".pm", ".t", ".cgi", ".plx"].includes(ext) || /^perl[0-9.]*$/.test(program)) return "perl";
  if ([".sh", ".bash", ".ksh", ".zsh", ".dash"].includes(ext) || ["sh", "bash", "dash", "ksh", "zsh", "mksh", "ash"].includes(program)) return "shell";
  if (ext === ".py" || /^python[0-9.]*$/.test(program)) return "python";
  return "other";
}

/** True when the text already has METADATA, or something a person may have meant as it. */
export function hasMetadata(text: string, file: string): boolean {
  if (/@crontab/i.test(text) || /^[ \t]*=head[1-4][ \t]+metadata\b/im.test(text)) return true;
  return extractPod(text) !== null || extractJsdoc(text, file) !== null;
}

const POD_COMMAND = /^=[A-Za-z]/;
const CUT = /^=cut\b/;

/** Where a POD block goes and what surrounds it, or why it cannot go anywhere. */
function podInsertion(lines: string[], language: ScriptLanguage, block: string[], hasBackslash: boolean): string[] | string {
  const start = lines.findIndex((l) => POD_COMMAND.test(l));
  if (start >= 0) {
    const cut = CUT.test(lines[start] ?? "") ? start : lines.findIndex((l, i) => i > start && CUT.test(l));
    if (cut >= 0) {
      const blank = cut !== start && (lines[cut - 1] ?? "").trim() !== "" ? [""] : [];
      return [...lines.slice(0, cut), ...blank, ...block, ...lines.slice(cut)];
    }
    if (language !== "perl") return "its POD has no =cut, so the end of the here-document or string holding it is unknown";
    return [...lines, ...((lines[lines.length - 1] ?? "").trim() === "" ? [] : [""]), ...block, "=cut"];
  }
  if (language === "perl") {
    const end = lines.findIndex((l) => /^__(END|DATA)__[ \t]*$/.test(l));
    if (end >= 0) return [...lines.slice(0, end), ...block, "=cut", "", ...lines.slice(end)];
    return [...lines, ...((lines[lines.length - 1] ?? "").trim() === "" ? [] : [""]), ...block, "=cut"];
  }
  if (language === "shell") {
    let at = lines[0]?.startsWith("#!") === true ? 1 : 0;
    while (at < lines.length && /^[ \t]*#/.test(lines[at] ?? "")) at += 1;
    const after = (lines[at] ?? "").trim() === "" ? [] : [""];
    return [...lines.slice(0, at), ": <<'=cut'", ...block, "=cut", ...after, ...lines.slice(at)];
  }
  // Python: the module docstring, when the module starts with one.
  let at = 0;
  while (at < lines.length && /^[ \t]*(#.*)?$/.test(lines[at] ?? "")) at += 1;
  const opening = /^([rRuU]?)("""|''')/.exec(lines[at] ?? "");
  if (opening === null) {
    const quote = hasBackslash ? 'r"""' : '"""';
    return [...lines.slice(0, at), quote, ...block, "=cut", '"""', ...lines.slice(at)];
  }
  const [, prefix = "", quotes = '"""'] = opening;
  if (hasBackslash && prefix.toLowerCase() !== "r") return "the METADATA holds a backslash and the module docstring is not a raw string (r\"\"\"…\"\"\")";
  const sameLine = (lines[at] ?? "").indexOf(quotes, opening[0].length);
  const close = sameLine >= 0 ? at : lines.findIndex((l, i) => i > at && l.includes(quotes));
  if (close < 0) return "its module docstring is not closed";
  const line = lines[close] ?? "";
  const closeAt = close === at ? sameLine : line.indexOf(quotes);
  const before = line.slice(0, closeAt);
  if (close !== at && before.trim() === "") {
    // The closing quotes are alone on their line: the block goes just above them.
    const blank = (lines[close - 1] ?? "").trim() === "" ? [] : [""];
    return [...lines.slice(0, close), ...blank, ...block, "=cut", ...lines.slice(close)];
  }
  // `"""Text."""` or `text"""`: the text stays, the block and the closing quotes go below it.
  return [...lines.slice(0, close), before, "", ...block, "=cut", line.slice(closeAt), ...lines.slice(close + 1)];
}

/** Inserts `@crontab` tags into the leading JSDoc comment, or a new comment after the shebang. */
function jsdocInsertion(lines: string[], sections: readonly SectionEntries[]): string[] {
  let at = lines[0]?.startsWith("#!") === true ? 1 : 0;
  while (at < lines.length && /^[ \t]*(\/\/.*)?$/.test(lines[at] ?? "")) at += 1;
  const head = lines[at] ?? "";
  if (!/^[ \t]*\/\*\*(?!\*)/.test(head)) return [...lines.slice(0, at), "/**", ...jsdocTagLines(sections, " * "), " */", ...lines.slice(at)];
  const openEnd = head.indexOf("/**") + 3;
  let close = head.indexOf("*/", openEnd) >= 0 ? at : lines.findIndex((l, i) => i > at && l.includes("*/"));
  if (close < 0) close = at; // an unclosed comment: the parser reports it; insert nothing odd below
  const indent = /^[ \t]*/.exec(head)?.[0] ?? "";
  const prefix = `${indent} * `;
  const line = lines[close] ?? "";
  const closeAt = close === at ? line.indexOf("*/", openEnd) : line.indexOf("*/");
  const tags = jsdocTagLines(sections, prefix);
  if (close !== at && line.slice(0, closeAt).trim() === "") {
    const previous = (lines[close - 1] ?? "").trim();
    const blank = previous === "*" || close - 1 === at ? [] : [`${indent} *`];
    return [...lines.slice(0, close), ...blank, ...tags, ...lines.slice(close)];
  }
  // `/** Text. */` or ` * text */`: the text stays, the tags and the closing go below it.
  return [...lines.slice(0, close), line.slice(0, closeAt).trimEnd(), `${indent} *`, ...tags, `${indent} ${line.slice(closeAt)}`, ...lines.slice(close + 1)];
}

/** The sections a text reads back as, as [key, value] lists. */
function readBack(text: string, file: string, language: ScriptLanguage): { sections: string[][][]; problems: number } | undefined {
  const result = language === "javascript" ? extractJsdoc(text, file) : extractPod(text);
  if (result === null) return undefined;
  return { sections: result.sections.map((s) => s.entries.map((e) => [e.key, e.value])), problems: result.problems.length };
}

/** The script's text with the METADATA of `sections` in it, or why it cannot be inserted. */
export function insertMetadata(text: string, file: string, sections: readonly SectionEntries[]): { text: string } | { problem: string } {
  const newline = text.indexOf("\n");
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const language = scriptLanguage(file, firstLine);
  if (language === "other") return { problem: "cronmeta does not know where this kind of script keeps documentation: paste the block yourself" };
  if (hasMetadata(text, file)) return { problem: "the script already has METADATA (or a near miss of it)" };
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const finalEol = text.endsWith("\n");
  const lines = (finalEol ? text.slice(0, -1) : text).split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const hasBackslash = sections.some((s) => s.some(([, v]) => v.includes("\\")));
  const inserted =
    language === "javascript" ? jsdocInsertion(lines, sections) : podInsertion(lines, language, podBlockLines(sections), hasBackslash);
  if (typeof inserted === "string") return { problem: inserted };
  const result = inserted.join(eol) + (finalEol ? eol : "");
  const back = readBack(result, file, language);
  const same = back !== undefined && back.problems === 0 && JSON.stringify(back.sections) === JSON.stringify(sections);
  if (!same) return { problem: "the inserted METADATA would not read back as written: paste the block yourself" };
  return { text: result };
}
