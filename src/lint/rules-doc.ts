/** docs/rules.md, generated from the rule registry so that no rule goes undocumented. */
import { RULES } from "./rules/index.js";

/** The Markdown text of docs/rules.md. */
export function renderRulesDoc(): string {
  const lines: string[] = [
    "# cronmeta lint rules",
    "",
    "Generated from `src/lint/rules/` by `npm run docs`; do not edit by hand.",
    "Severities can be changed in config `rules` (`\"error\"`, `\"warning\"`, `\"off\"`), except for",
    "rules marked *fatal*: gen cannot write a correct cron line while their problem exists.",
    "",
    "| rule | default | fatal | what it reports |",
    "|---|---|---|---|",
    ...RULES.map((r) => `| [\`${r.meta.id}\`](#${r.meta.id}) | ${r.meta.defaultSeverity} | ${r.meta.fatal ? "yes" : "no"} | ${r.meta.description.replace(/\|/g, "\\|")} |`),
    "",
  ];
  for (const rule of RULES) {
    lines.push(
      `## ${rule.meta.id}`,
      "",
      `*${rule.meta.defaultSeverity}${rule.meta.fatal ? ", fatal" : ""}* — ${rule.meta.description}`,
      "",
      rule.meta.docs.details,
      "",
      "Bad:",
      "",
      "```",
      rule.meta.docs.bad,
      "```",
      "",
      "Good:",
      "",
      "```",
      rule.meta.docs.good,
      "```",
      "",
    );
  }
  return lines.join("\n");
}
