/**
 * Reads the binary package names from debian/control (deb822 paragraphs, deb-control(5)).
 * Pure: text in, names out.
 */

/** A `Package:` field and the line it is on. */
export interface ControlPackage {
  name: string;
  line: number;
}

/** What cronmeta needs from debian/control. */
export interface ControlInfo {
  source?: string;
  packages: ControlPackage[];
}

/** Parses debian/control text. Comment lines (`#`) and continuation lines are skipped. */
export function parseControl(text: string): ControlInfo {
  const info: ControlInfo = { packages: [] };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (raw.startsWith("#") || /^\s/.test(raw)) return;
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*?)\s*$/.exec(raw);
    if (!match) return;
    const field = match[1]!.toLowerCase();
    const value = match[2]!;
    if (field === "package" && value !== "") info.packages.push({ name: value, line: index + 1 });
    else if (field === "source" && value !== "") info.source = value;
  });
  return info;
}
