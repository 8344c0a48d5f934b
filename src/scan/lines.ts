/**
 * Line splitting shared by the extractors. Lines end at LF; a CR before the LF belongs to the
 * line ending (Windows files), a lone CR is an ordinary character. A leading byte-order mark is
 * not part of line 1, so columns match what an editor shows.
 */

/** Removes a leading U+FEFF byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The lines of `text` without their LF / CRLF endings. */
export function splitLines(text: string): string[] {
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** Maps 0-based string offsets to 1-based line/column positions. */
export class LineTable {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line holding `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset of the first character of 1-based `line`. */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  /** Offset just past the last character of 1-based `line` (before its LF or CRLF). */
  lineEnd(line: number): number {
    const next = this.starts[line];
    if (next === undefined) return this.text.length;
    return next >= 2 && this.text[next - 2] === "\r" ? next - 2 : next - 1;
  }

  /** 1-based position of `offset` (UTF-16 code units, tab = 1 column). */
  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, column: clamped - this.lineStart(line) + 1 };
  }
}
