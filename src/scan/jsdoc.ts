/**
 * The JSDoc form of METADATA (SPEC 2.2): `@crontab` tags in `/** … *\/` comments of a
 * JavaScript or TypeScript file. Comments come from @babel/parser (so `@crontab` in a string or
 * a `//` comment is not a job); tags come from comment-parser, read from the comment's raw
 * source lines so that every key and value keeps its real line and column.
 */
import { parse as parseComment, tokenizers, type Spec } from "comment-parser";
import { METADATA_KEYS } from "../jobs/keys.js";
import type { RawEntry, RawSection, ScanProblem, Suppression } from "../types.js";
import { findEarlyClose, mayCloseEarly } from "./closed-comment.js";
import { fileForm } from "./form.js";
import { parseJs, pluginSets, type JsComment, type JsParseResult } from "./js-parse.js";
import { readSectionLine } from "./key-value.js";
import { LineTable, stripBom } from "./lines.js";
import { SectionCollector } from "./sections.js";

const TAG = "@crontab";
/** More early-closed comments than this in one file is not worth re-parsing for. */
const MAX_REPAIRS = 20;
/** `@crontab` at the start of a comment line, as comment-parser would see a tag. */
const TAG_AT_LINE_START = /(?:^|\n)[ \t]*\**[ \t]*(@crontab)(?=\s|$)/;
/** A `key: value` of METADATA right after a `@crontab` (same line) or at the start of a comment line after it. */
const KEY_AFTER = new RegExp(`^[ \\t]*(?:\\r?\\n[ \\t]*(?:\\*+|//)?)?[ \\t]*(?:${METADATA_KEYS.join("|")})[ \\t]*:`);

/**
 * Offsets (in `value`) of the `@crontab`s that are followed by a METADATA `key:` but are no tag
 * comment-parser reads: in the middle of a line. A mention in prose ("see @crontab") has no key after it.
 */
function untaggedCrontabs(value: string): number[] {
  const found: number[] = [];
  for (let at = value.indexOf(TAG); at >= 0; at = value.indexOf(TAG, at + TAG.length)) {
    const lineStart = value.lastIndexOf("\n", at) + 1;
    const atTagPosition = /^[ \t]*\**[ \t]*$/.test(value.slice(lineStart, at));
    if (!atTagPosition && KEY_AFTER.test(value.slice(at + TAG.length))) found.push(at);
  }
  return found;
}

/**
 * Extracts the `@crontab` sections of a JavaScript/TypeScript file. Returns null when the file
 * has no `@crontab` comment (a cheap text check comes first). Never throws and never runs the
 * file: an unparsable file is a `metadata-syntax` problem at Babel's error position, and a
 * `*\/` that closed a `@crontab` comment early is `jsdoc-comment-closed`. `wholeFile` makes
 * Babel read the whole file even where the head would do (for tests).
 */
export function extractJsdoc(text: string, fileName: string, options: { wholeFile?: boolean } = {}): { sections: RawSection[]; problems: ScanProblem[] } | null {
  if (!text.includes(TAG)) return null;
  const source = stripBom(text);
  const lines = new LineTable(source);
  const out = new SectionCollector("jsdoc");
  const firstLine = source.slice(0, lines.lineEnd(1));
  const sets = pluginSets(fileName, fileForm(fileName, firstLine).typescript);

  // Babel reads the head of the file, and the whole file only when the head is not a clean program.
  const end = headEnd(source);
  const head = end < source.length && options.wholeFile !== true ? parseRepairing(source.slice(0, end), sets) : undefined;
  const { result, work, earlyCloses } = head !== undefined && head.result.ok && head.result.recovered.length === 0 ? head : parseRepairing(source, sets);
  for (const close of earlyCloses) {
    const step = /^\S*/.exec(source.slice(close + 2))?.[0] ?? "";
    out.problem(
      "jsdoc-comment-closed",
      lines.position(close),
      `this "*/" ends the @crontab comment; write "*\\/${step}" for a cron step inside /** … */ (cronmeta reads it as "*/${step}")`,
    );
  }

  if (!result.ok) {
    out.problem(
      "metadata-syntax",
      lines.position(result.pos ?? 0),
      `could not parse JavaScript/TypeScript, so its @crontab comments cannot be read: ${result.message}`,
    );
  } else {
    result.comments.forEach((comment, i) => {
      if (!comment.value.includes(TAG)) return;
      if (comment.block) readComment(comment, source, work, lines, out);
      else lineCommentNearMiss(comment, result.comments[i + 1], lines, out);
    });
  }
  const { sections, problems } = out.result();
  return sections.length === 0 && problems.length === 0 ? null : { sections, problems };
}

/**
 * Parses `text`, then again with each early `*\/` neutralised (same length, so offsets do not
 * move) while that gets Babel further: the repaired text (`work`) is what the author meant.
 */
function parseRepairing(text: string, sets: ReturnType<typeof pluginSets>): { result: JsParseResult; work: string; earlyCloses: number[] } {
  let work = text;
  let result = parseJs(work, sets);
  const earlyCloses: number[] = [];
  for (let i = 0; i < MAX_REPAIRS; i++) {
    const errorAt = result.ok ? Math.max(-1, ...result.recovered) : result.pos;
    if (errorAt === undefined || errorAt < 0) break;
    const close = findEarlyClose(work, errorAt);
    if (close === null) break;
    const trial = `${work.slice(0, close + 1)} ${work.slice(close + 2)}`;
    const next = parseJs(trial, sets);
    if (!improves(result, next)) break;
    earlyCloses.push(close);
    work = trial;
    result = next;
  }
  return { result, work, earlyCloses };
}

/**
 * Where the head of the file that Babel reads first ends: just after the first `*\/` that
 * follows the last `@crontab` and does not have the shape of an early close (closed-comment.ts),
 * so that the lines an early `*\/` breaks are in the head.
 *
 * Why the head's comments are the file's when the head parses cleanly on its own: a lexer
 * decides whether `/**` opens a comment from the text before it alone, so the whole file lexes
 * the same up to there. METADATA usually heads a script, so Babel reads a few hundred bytes
 * instead of the whole file (on the 100,000-file benchmark tree, the scan's most expensive step
 * drops to a seventh). A syntax error after the last `@crontab` comment therefore no longer
 * hides the file's jobs: cronmeta reads METADATA, it does not lint JavaScript.
 */
function headEnd(source: string): number {
  for (let from = source.lastIndexOf(TAG) + TAG.length; ; ) {
    const close = source.indexOf("*/", from);
    if (close < 0) return source.length;
    if (!mayCloseEarly(source, close)) return close + 2;
    from = close + 2;
  }
}

/** True when the repaired text parses better than before. */
function improves(before: JsParseResult, after: JsParseResult): boolean {
  if (after.ok) return !before.ok || after.recovered.length < before.recovered.length;
  return !before.ok && (after.pos ?? -1) > (before.pos ?? -1);
}

/** Reads the sections of one block comment that mentions `@crontab`. */
function readComment(comment: JsComment, source: string, work: string, lines: LineTable, out: SectionCollector): void {
  const isJsdoc = comment.value.startsWith("*") && !comment.value.startsWith("**");
  if (!isJsdoc) {
    // JSDoc tools only read `/** */`; a tag in `/* */` or `/*** */` would be silently lost.
    const match = TAG_AT_LINE_START.exec(comment.value);
    const offset = match?.index !== undefined ? comment.value.indexOf(TAG, match.index) : untaggedCrontabs(comment.value)[0];
    if (offset !== undefined) {
      out.problem("metadata-syntax", lines.position(comment.start + 2 + offset), `${TAG} is only read from a /** … */ comment, not from /* … */: write "/**" to open the comment`);
    }
    return;
  }
  for (const offset of untaggedCrontabs(comment.value)) {
    out.problem(
      "metadata-syntax",
      lines.position(comment.start + 2 + offset),
      `this ${TAG} is not a tag, so its job is not read: a tag starts its line of the comment (" * ${TAG}"), with its key: value lines after it`,
    );
  }
  const [block] = parseComment(work.slice(comment.start, comment.end), {
    spacing: "preserve",
    tokenizers: [tokenizers.tag()],
  });
  if (!block) return;
  const first = lines.position(comment.start);
  for (const tag of block.tags) {
    const head = tag.source[0];
    if (!head) continue;
    const tagLine = first.line + head.number;
    const tagColumn =
      (head.number === 0 ? first.column : 1) + head.tokens.start.length + head.tokens.delimiter.length + head.tokens.postDelimiter.length;
    if (tag.tag !== "crontab") {
      if (tag.tag.toLowerCase().startsWith("cron")) {
        out.problem("metadata-syntax", { line: tagLine, column: tagColumn }, `unknown tag @${tag.tag}: did you mean ${TAG}?`);
      }
      continue;
    }
    const suppressions: Suppression[] = [];
    out.section({ line: tagLine, column: tagColumn }, readEntries(tag, comment, first, source, lines, out, suppressions), TAG, suppressions);
  }
}

/** Reads the `key: value` lines of one `@crontab` tag from the original text. */
function readEntries(
  tag: Spec,
  comment: JsComment,
  first: { line: number; column: number },
  source: string,
  lines: LineTable,
  out: SectionCollector,
  suppressions: Suppression[],
): RawEntry[] {
  const entries: RawEntry[] = [];
  tag.source.forEach((sourceLine, k) => {
    const line = first.line + sourceLine.number;
    const { tokens } = sourceLine;
    const decoration = tokens.start.length + tokens.delimiter.length + tokens.postDelimiter.length + (k === 0 ? tokens.tag.length : 0);
    const lineStart = lines.lineStart(line);
    const from = lineStart + (sourceLine.number === 0 ? first.column - 1 : 0) + decoration;
    // The closing `*/` of the comment is not part of the last line's content.
    const to = Math.max(from, Math.min(lines.lineEnd(line), comment.end - 2));
    const read = readSectionLine(source.slice(from, to), line, from - lineStart + 1);
    if (read.kind === "entry") {
      // `*/` cannot be written inside a block comment: `*\/` stands for it (SPEC 2.2).
      entries.push({ ...read.entry, value: read.entry.value.replaceAll("*\\/", "*/") });
    } else if (read.kind === "suppression") {
      suppressions.push(read.suppression);
    } else if (read.kind === "problem") {
      out.problems.push(read.problem);
    }
  });
  return entries;
}

/**
 * `// @crontab` with `//   key: value` lines after it (in the same comment or the next line
 * comment): a person meant METADATA, which only a `/** … *\/` comment holds.
 */
function lineCommentNearMiss(comment: JsComment, next: JsComment | undefined, lines: LineTable, out: SectionCollector): void {
  const at = comment.value.indexOf(TAG);
  if (!/^[ \t]*$/.test(comment.value.slice(0, at))) return;
  const after = comment.value.slice(at + TAG.length);
  const nextIsKey = next !== undefined && !next.block && lines.lineOf(next.start) === lines.lineOf(comment.start) + 1 && KEY_AFTER.test(next.value);
  if (!KEY_AFTER.test(after) && !nextIsKey) return;
  out.problem("metadata-syntax", lines.position(comment.start + 2 + at), `${TAG} in a // comment is not read: write the tags in a /** … */ comment`);
}
