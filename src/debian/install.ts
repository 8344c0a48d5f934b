/**
 * Parses debian/<package>.install files (dh_install(1)). cronmeta only needs to know where a
 * script lands: `SOURCE... DEST-DIR` lines, globs, comments. Lines it cannot interpret
 * (dh-exec syntax, variables, a lone source with no destination) become notes, not crashes.
 */

/** One interpretable install line. */
export interface InstallLine {
  sources: string[];
  /** Destination directory, absolute, without a trailing slash. */
  destDir: string;
  line: number;
}

/** A line cronmeta did not interpret (reported as a warning). */
export interface InstallNote {
  line: number;
  column: number;
  message: string;
}

/** Result of parsing one .install file. */
export interface ParsedInstall {
  lines: InstallLine[];
  notes: InstallNote[];
}

/** Parses an install file's text. `executable` files are dh-exec scripts: not interpreted. */
export function parseInstall(text: string, executable = false): ParsedInstall {
  const result: ParsedInstall = { lines: [], notes: [] };
  const rows = text.split(/\r?\n/);
  if (executable || rows[0]?.startsWith("#!")) {
    result.notes.push({
      line: 1,
      column: 1,
      message: "executable install file (dh-exec) is not interpreted; scripts it installs fall back to config installDir",
    });
    return result;
  }
  rows.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const column = raw.length - raw.trimStart().length + 1;
    if (/[$]\{|=>|\\/.test(trimmed)) {
      result.notes.push({ line, column, message: `cannot interpret "${trimmed}" (variables, renames and escapes are not supported)` });
      return;
    }
    const words = trimmed.split(/\s+/);
    if (words.length < 2) {
      result.notes.push({
        line,
        column,
        message: `"${trimmed}" has no destination directory; cronmeta cannot tell where it is installed`,
      });
      return;
    }
    const dest = words[words.length - 1]!;
    const destDir = "/" + dest.replace(/^\/+/, "").replace(/\/+$/, "");
    if (destDir.split("/").includes("..")) {
      result.notes.push({ line, column, message: `destination "${dest}" leaves the package root` });
      return;
    }
    result.lines.push({ sources: words.slice(0, -1), destDir: destDir === "/" ? "" : destDir, line });
  });
  return result;
}
