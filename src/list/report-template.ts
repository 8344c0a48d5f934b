/**
 * Reads the report page template, templates/report.html.eta, from cronmeta's own
 * templates directory (the one the cron.d templates live in).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { builtinTemplatesDir } from "../generate/templates.js";

/** File name of the report template inside cronmeta's templates directory. */
export const REPORT_TEMPLATE = "report.html.eta";

/** The source of the report page template. */
export async function loadReportTemplate(): Promise<string> {
  return readFile(join(builtinTemplatesDir, REPORT_TEMPLATE), "utf8");
}
