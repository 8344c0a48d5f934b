/** docs/rules.md, generated from the rule registries so that no rule goes undocumented. */
import { CHECK_ONLY_RULES, SHARED_CHECK_RULES } from "../check/rules/index.js";
import type { RuleMeta } from "./rule.js";
import { RULES } from "./rules/index.js";

/** One rule's section: heading, severity, description, details, bad and good example. */
function ruleSection(meta: RuleMeta): string[] {
  return [
    `## ${meta.id}`,
    "",
    `*${meta.defaultSeverity}${meta.fatal ? ", fatal" : ""}* — ${meta.description}`,
    "",
    meta.docs.details,
    "",
    "Bad:",
    "",
    "```",
    meta.docs.bad,
    "```",
    "",
    "Good:",
    "",
    "```",
    meta.docs.good,
    "```",
    "",
  ];
}

const row = (meta: RuleMeta, fatal: boolean): string =>
  `| [\`${meta.id}\`](#${meta.id}) | ${meta.defaultSeverity} |${fatal ? ` ${meta.fatal ? "yes" : "no"} |` : ""} ${meta.description.replace(/\|/g, "\\|")} |`;

/** The Markdown text of docs/rules.md. */
export function renderRulesDoc(): string {
  const lines: string[] = [
    "# cronmeta lint rules",
    "",
    "Generated from `src/lint/rules/` and `src/check/rules/` by `npm run docs`; do not edit by hand.",
    "Severities can be changed in config `rules` (`\"error\"`, `\"warning\"`, `\"off\"`), except for",
    "rules marked *fatal*: gen cannot write a correct cron line while their problem exists.",
    "",
    "| rule | default | fatal | what it reports |",
    "|---|---|---|---|",
    ...RULES.map((r) => row(r.meta, true)),
    "",
    ...RULES.flatMap((r) => ruleSection(r.meta)),
    "# Rules of `cronmeta check`",
    "",
    "`cronmeta check FILE…` reads existing cron.d files, /etc/crontab and user crontabs as Debian's cron",
    "reads them. It reports the lint rules " + SHARED_CHECK_RULES.map((r) => `[\`${r.meta.id}\`](#${r.meta.id})`).join(", ") +
      " on their lines, with the same messages, and these rules of its own. Config `rules` sets their severity too.",
    "",
    "| rule | default | what it reports |",
    "|---|---|---|",
    ...CHECK_ONLY_RULES.map((r) => row(r.meta, false)),
    "",
    ...CHECK_ONLY_RULES.flatMap((r) => ruleSection(r.meta)),
  ];
  return lines.join("\n");
}
