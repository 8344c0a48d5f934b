/** One formatter per output format; each is a pure function of the report. */
export { formatGithub } from "./github.js";
export { formatJson } from "./json.js";
export { formatSarif } from "./sarif.js";
export { formatStylish, type StylishOptions } from "./stylish.js";
export type { LintReport } from "./result.js";
