import type { LintReport } from "./result.js";

// GitHub workflow commands: data and property values are percent-encoded
// (https://github.com/actions/toolkit, command.ts escapeData/escapeProperty).
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `--format github`: one `::error` / `::warning` workflow command per diagnostic. */
export function formatGithub(report: LintReport): string {
  return report.diagnostics
    .map((d) => {
      const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`];
      if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
      if (d.endColumn !== undefined) props.push(`endColumn=${d.endColumn}`);
      props.push(`title=${escapeProperty(d.rule)}`);
      return `::${d.severity} ${props.join(",")}::${escapeData(d.message)}\n`;
    })
    .join("");
}
