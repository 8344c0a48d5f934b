/**
 * cronmeta's library API: what the CLI calls.
 * `scan` finds METADATA, `lint` validates a project, `generate` writes cron.d files,
 * `list` describes every job.
 */
export { scanTree as scan, scanTree, extractPod, extractJsdoc } from "./scan/index.js";
export { lintProject as lint, type LintProjectOptions, type ProjectResult } from "./project.js";
export { parseCronTime } from "./cron/parse.js";
export { configSchema, defaultConfig, type Config, type ConfigInput } from "./config/schema.js";
export { loadConfig } from "./config/load.js";
export { RULES } from "./lint/rules/index.js";
export type { Rule, RuleMeta } from "./lint/rule.js";
export { LINT_FORMATTERS, LINT_FORMATS, formatLintReport, type LintFormat, type LintReport, type Formatter, type FormatOptions } from "./lint/formatters/index.js";
export { formatGithub } from "./lint/formatters/github.js";
export { formatJson } from "./lint/formatters/json.js";
export { formatSarif } from "./lint/formatters/sarif.js";
export { formatStylish } from "./lint/formatters/stylish.js";
export { UsageError } from "./errors.js";
export { generate, type GenerateOptions, type GenerateResult } from "./generate/generate.js";
export { renderCronFiles, type RenderedFile, type TemplateData, type TemplateJob } from "./generate/render.js";
export { OutputWriteError, type WriteReport } from "./generate/write.js";
export type { WritePlan, PlannedFile } from "./generate/plan.js";
export { listJobs as list, type ListedJob, type ListingOptions } from "./list/listing.js";
export { nextRuns, iterateRuns, runsBetween } from "./cron/next.js";
export { describeCronTime } from "./cron/describe.js";
export { isValidZone, machineZone, formatInZone } from "./cron/zone.js";
export { buildReport, type ScheduleReport } from "./list/report.js";
export { renderReportHtml } from "./list/report-html.js";
export { loadReportTemplate } from "./list/report-template.js";
export { formatListTable, formatListJson } from "./list/format.js";
export { formatReportJson } from "./list/report-json.js";
export type * from "./types.js";
