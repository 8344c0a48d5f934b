/**
 * Reads debian/control (deb822 paragraphs, deb-control(5), deb-src-control(5)): the binary
 * package names and, for each, its `Depends` and `Pre-Depends`. Pure: text in, facts out.
 */

/** A field's value (continuation lines joined with a blank) and where its first line is. */
export interface ControlField {
  value: string;
  /** 1-based line of the field name. */
  line: number;
  /** 1-based column where the value starts on that line. */
  column: number;
}

/** A `Package:` paragraph: the name and the line it is on, and the relation fields cronmeta reads. */
export interface ControlPackage {
  name: string;
  line: number;
  depends?: ControlField;
  preDepends?: ControlField;
}

/** What cronmeta needs from debian/control. */
export interface ControlInfo {
  source?: string;
  packages: ControlPackage[];
}

/**
 * Parses debian/control text. Paragraphs are separated by blank lines; `#` lines are comments;
 * a line starting with a blank continues the field before it. Fields may come in any order
 * within a paragraph, so a paragraph is read whole before its package is recorded.
 */
export function parseControl(text: string): ControlInfo {
  const info: ControlInfo = { packages: [] };
  let fields = new Map<string, ControlField>();
  let last: ControlField | undefined;
  const endParagraph = (): void => {
    const source = fields.get("source");
    if (source !== undefined && source.value !== "") info.source = source.value;
    const pkg = fields.get("package");
    if (pkg !== undefined && pkg.value !== "") {
      const entry: ControlPackage = { name: pkg.value, line: pkg.line };
      const depends = fields.get("depends");
      const preDepends = fields.get("pre-depends");
      if (depends !== undefined) entry.depends = depends;
      if (preDepends !== undefined) entry.preDepends = preDepends;
      info.packages.push(entry);
    }
    fields = new Map();
    last = undefined;
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.startsWith("#")) return;
    if (raw.trim() === "") {
      endParagraph();
      return;
    }
    if (/^\s/.test(raw)) {
      if (last !== undefined) last.value = `${last.value} ${raw.trim()}`.trim();
      return;
    }
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:(\s*)(.*?)\s*$/.exec(raw);
    if (!match) {
      last = undefined;
      return;
    }
    const name = match[1]!;
    last = { value: match[3]!, line: index + 1, column: name.length + 2 + match[2]!.length };
    fields.set(name.toLowerCase(), last);
  });
  endParagraph();
  return info;
}

/**
 * The package names of a relation field (deb-src-control(5)): one list per comma-separated
 * relation, one name per `|` alternative, without version `(…)`, architecture `[…]`, build
 * profile `<…>` and `:arch` qualifiers. Substitution variables stay as written (`${misc:Depends}`).
 */
export function relationNames(value: string): string[][] {
  return value
    .split(",")
    .map((relation) =>
      relation
        .split("|")
        .map((alternative) =>
          alternative
            .replace(/\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, " ")
            .trim()
            .split(/\s+/)[0]!
            .replace(/:[a-z0-9-]+$/, ""),
        )
        .filter((name) => name !== ""),
    )
    .filter((names) => names.length > 0);
}
