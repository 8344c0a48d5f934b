/**
 * The POD form of METADATA (SPEC 2.1): a `=head1 METADATA` block read line by line, raw.
 *
 * Line-based on purpose: the same reader handles POD in Perl, a shell here-document
 * (`: <<'=cut'` … `=cut`) and a Python string, none of which is rendered as POD.
 * perlpodspec: a command paragraph is a line starting with `=` followed by an identifier,
 * so any such line ends the block.
 */
import type { RawEntry, RawSection, ScanProblem, Suppression } from "../types.js";
import { leadingBlanks, quoteLine, readSectionLine } from "./key-value.js";
import { splitLines, stripBom } from "./lines.js";
import { SectionCollector } from "./sections.js";

const BLOCK_START = /^=head1 METADATA[ \t]*$/;
const POD_COMMAND = /^=[A-Za-z]/;
const OPEN = "<crontab>";
const CLOSE = "</crontab>";
/** A heading a person may have meant as `=head1 METADATA`: another level or case, indented, or with more text. */
const NEAR_HEADING = /^([ \t]*)(=head[0-9]+)[ \t]+(meta[ \t_-]?data\b.*?)[ \t]*$/i;
/** Where a near miss's region ends: the next POD command, indented or not. */
const ANY_POD_COMMAND = /^[ \t]*=[A-Za-z]/;

/** A heading near miss and what its region holds. */
interface NearHeading {
  line: number;
  column: number;
  written: string;
  /** The heading says METADATA in upper case: meant as the block whatever follows. */
  upperCase: boolean;
  sections: number;
}

/** What to write instead of a near-miss heading. */
function headingFix(near: NearHeading): string {
  const indented = near.column > 1;
  const why = indented
    ? "a POD command must start its line"
    : /^=head1[ \t]+METADATA\b/.test(near.written)
      ? "the heading must be exactly that, with nothing after it"
      : "cronmeta reads only this heading, level 1, in upper case";
  return `write "=head1 METADATA" at the start of the line (${why})`;
}

interface OpenSection {
  pos: { line: number; column: number };
  entries: RawEntry[];
  suppressions: Suppression[];
}

/**
 * Extracts the `<crontab>` sections of the file's METADATA block with the position of every
 * key and value. Returns null when the file has no `=head1 METADATA` line. Never throws:
 * every problem (stray text, unclosed or nested sections, empty sections, a second block) is
 * returned as data.
 */
export function extractPod(text: string): { sections: RawSection[]; problems: ScanProblem[] } | null {
  const lines = splitLines(stripBom(text));
  const out = new SectionCollector("pod");
  let blocks = 0;
  let inBlock = false;
  let ignoring = false; // inside a second block, whose content is not read
  let blockLine = 0;
  let sawSection = false;
  let section: OpenSection | null = null;

  const closeSection = (): void => {
    if (section) out.section(section.pos, section.entries, OPEN, section.suppressions);
    section = null;
  };
  const endBlock = (): void => {
    if (ignoring) {
      ignoring = false;
      inBlock = false;
      return;
    }
    if (section) {
      out.problem(
        "metadata-syntax",
        section.pos,
        `${OPEN} is not closed by ${CLOSE} before the METADATA block ends (add ${CLOSE}, then =cut)`,
      );
      closeSection();
    }
    if (!sawSection) out.problem("metadata-empty", { line: blockLine, column: 1 }, `METADATA block has no ${OPEN} section`);
    inBlock = false;
  };

  // Near misses (issue 17): METADATA a person meant but cronmeta would not read, reported
  // instead of dropping its jobs without a word.
  const nearHeadings: NearHeading[] = [];
  let near: NearHeading | undefined;
  const outside = (line: string, lineNo: number): void => {
    if (near !== undefined && ANY_POD_COMMAND.test(line)) near = undefined;
    const heading = NEAR_HEADING.exec(line);
    if (heading !== null) {
      const [, indent = "", command = "", text = ""] = heading;
      near = { line: lineNo, column: indent.length + 1, written: line.trimEnd(), upperCase: /^METADATA\b/.test(text) && command !== "", sections: 0 };
      nearHeadings.push(near);
      return;
    }
    if (line.trim() === OPEN) {
      if (near !== undefined) near.sections += 1;
      else {
        out.problem(
          "metadata-syntax",
          { line: lineNo, column: leadingBlanks(line) + 1 },
          `this ${OPEN} section is outside a METADATA block, so its job is not read: put "=head1 METADATA" on a line of its own above the sections (and "=cut" after them)`,
        );
      }
    }
  };

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (inBlock && POD_COMMAND.test(line)) endBlock();
    if (!inBlock) {
      if (!BLOCK_START.test(line)) {
        outside(line, lineNo);
        return;
      }
      near = undefined;
      blocks += 1;
      inBlock = true;
      if (blocks > 1) {
        ignoring = true;
        out.problem(
          "metadata-syntax",
          { line: lineNo, column: 1 },
          `a second METADATA block (the first is at line ${blockLine}): put every ${OPEN} section in one block`,
        );
        return;
      }
      blockLine = lineNo;
      sawSection = false;
      return;
    }
    if (ignoring) return;
    const trimmed = line.trim();
    if (trimmed === "") return;
    const pos = { line: lineNo, column: leadingBlanks(line) + 1 };
    if (trimmed.startsWith("#")) {
      const read = readSectionLine(line, lineNo, 1);
      if (read.kind === "suppression" && section) section.suppressions.push(read.suppression);
      else if (read.kind === "suppression") out.problem("suppression-unused", pos, "this cronmeta-disable comment is outside a <crontab> section, so it turns nothing off: put it inside the section of the job it is for");
      else if (read.kind === "problem") out.problems.push(read.problem);
      return;
    }
    if (trimmed === OPEN) {
      if (section) {
        out.problem("metadata-syntax", pos, `${OPEN} inside a section opened at line ${section.pos.line}: close it with ${CLOSE} first`);
        closeSection();
      }
      sawSection = true;
      section = { pos, entries: [], suppressions: [] };
    } else if (trimmed === CLOSE) {
      if (section) closeSection();
      else out.problem("metadata-syntax", pos, `${CLOSE} without a matching ${OPEN}`);
    } else if (section) {
      const read = readSectionLine(line, lineNo, 1);
      if (read.kind === "entry") section.entries.push(read.entry);
      else if (read.kind === "problem") out.problems.push(read.problem);
    } else {
      out.problem(
        "metadata-syntax",
        pos,
        `text outside a ${OPEN} section in the METADATA block: ${quoteLine(trimmed)} (expected ${OPEN}, ${CLOSE}, a # comment or a blank line)`,
      );
    }
  });
  if (inBlock) endBlock();
  for (const heading of nearHeadings) {
    if (!heading.upperCase && heading.sections === 0) continue;
    const what = heading.sections > 0 ? `the ${heading.sections === 1 ? `${OPEN} section` : `${heading.sections} ${OPEN} sections`} below it ${heading.sections === 1 ? "is" : "are"} not read` : "nothing below it is read";
    out.problem("metadata-syntax", { line: heading.line, column: heading.column }, `${JSON.stringify(heading.written.length > 50 ? `${heading.written.slice(0, 50)}…` : heading.written)} is not read as the METADATA heading, so ${what}: ${headingFix(heading)}`);
  }
  return blocks === 0 && out.problems.length === 0 ? null : out.result();
}
