/**
 * Collects the sections of one file: numbers them in file order and turns a section without
 * entries into a `metadata-empty` problem instead of a job (the lint rules would otherwise also
 * report every missing key of a section that says nothing).
 */
import type { Position, RawEntry, RawSection, ScanProblem, Suppression } from "../types.js";

/** Sections and problems of one file, filled by an extractor. */
export class SectionCollector {
  readonly sections: RawSection[] = [];
  readonly problems: ScanProblem[] = [];

  constructor(private readonly form: RawSection["form"]) {}

  /** Records a problem. */
  problem(rule: ScanProblem["rule"], pos: Position, message: string): void {
    this.problems.push({ rule, pos, message });
  }

  /** Adds a finished section opened at `pos` (`<crontab>` or `@crontab`), with its `# cronmeta-disable` comments. */
  section(pos: Position, entries: RawEntry[], label: string, suppressions: Suppression[] = []): void {
    if (entries.length === 0) {
      this.problem("metadata-empty", pos, `${label} section has no "key: value" lines`);
      return;
    }
    const section: RawSection = { form: this.form, pos, index: this.sections.length, entries };
    if (suppressions.length > 0) section.suppressions = suppressions;
    this.sections.push(section);
  }

  /** The result, problems sorted by position. */
  result(): { sections: RawSection[]; problems: ScanProblem[] } {
    const problems = [...this.problems].sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
    return { sections: this.sections, problems };
  }
}
