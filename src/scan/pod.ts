/**
 * The POD form of METADATA (SPEC 2.1): a `=head1 METADATA` block read line by line, raw.
 *
 * Line-based on purpose: the same reader handles POD in Perl, a shell here-document
 * (`: <<'=cut'` … `=cut`) and a Python string, none of which is rendered as POD.
 * perlpodspec: a command paragraph is a line starting with `=` followed by an identifier,
 * so any such line ends the block.
 */
import type { RawEntry, RawSection, ScanProblem } from "../types.js";
import { leadingBlanks, quoteLine, readSectionLine } from "./key-value.js";
import { splitLines, stripBom } from "./lines.js";
import { SectionCollector } from "./sections.js";

const BLOCK_START = /^=head1 METADATA[ \t]*$/;
const POD_COMMAND = /^=[A-Za-z]/;
const OPEN = "<crontab>";
const CLOSE = "</crontab>";

interface OpenSection {
  pos: { line: number; column: number };
  entries: RawEntry[];
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
    if (section) out.section(section.pos, section.entries, OPEN);
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

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (inBlock && POD_COMMAND.test(line)) endBlock();
    if (!inBlock) {
      if (!BLOCK_START.test(line)) return;
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
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const pos = { line: lineNo, column: leadingBlanks(line) + 1 };
    if (trimmed === OPEN) {
      if (section) {
        out.problem("metadata-syntax", pos, `${OPEN} inside a section opened at line ${section.pos.line}: close it with ${CLOSE} first`);
        closeSection();
      }
      sawSection = true;
      section = { pos, entries: [] };
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
  return blocks === 0 ? null : out.result();
}
