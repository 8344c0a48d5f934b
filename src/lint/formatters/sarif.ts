import { VERSION } from "../../version.js";
import type { Diagnostic } from "../../types.js";
import { ALL_RULE_METAS } from "../all-rules.js";
import type { SuppressedDiagnostic } from "../suppressions.js";
import type { LintReport } from "./result.js";

/** One SARIF result; `suppressed` marks it turned off in the source (`# cronmeta-disable`). */
function result(d: Diagnostic, index: ReadonlyMap<string, number>, suppressed?: SuppressedDiagnostic): Record<string, unknown> {
  return {
    ruleId: d.rule,
    ruleIndex: index.get(d.rule) ?? -1,
    level: d.severity === "error" ? "error" : "warning",
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(d.file), uriBaseId: "%SRCROOT%" },
          region: {
            startLine: d.line,
            startColumn: d.column,
            ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
            ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
          },
        },
      },
    ],
    ...(suppressed === undefined ? {} : { suppressions: [{ kind: "inSource", ...(suppressed.reason === undefined ? {} : { justification: suppressed.reason }) }] }),
  };
}

/** `--format sarif`: a SARIF 2.1.0 log with one run, the full rule list and one result per diagnostic. */
export function formatSarif(report: LintReport): string {
  const rules = ALL_RULE_METAS.map((meta) => ({
    id: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.docs.details },
    helpUri: `https://www.npmjs.com/package/cronmeta#${meta.id}`,
    defaultConfiguration: { level: meta.defaultSeverity === "error" ? "error" : "warning" },
  }));
  const index = new Map(ALL_RULE_METAS.map((meta, i) => [meta.id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "cronmeta", version: VERSION, informationUri: "https://www.npmjs.com/package/cronmeta", rules } },
        columnKind: "utf16CodeUnits",
        // Suppressed diagnostics stay in the log, marked in-source with their reason (SARIF 2.1.0, 3.27.23).
        results: [...report.diagnostics.map((d) => result(d, index)), ...(report.suppressed ?? []).map((d) => result(d, index, d))],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
