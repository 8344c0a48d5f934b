/** `cronmeta report`: the week's schedule as a self-contained HTML page, or as JSON; with `--records` the measured side. */
import { renderReportHtml } from "../../list/report-html.js";
import { formatReportJson } from "../../list/report-json.js";
import { loadReportTemplate } from "../../list/report-template.js";
import { buildReport } from "../../list/report.js";
import { readJournals } from "../../list/records-read.js";
import { VERSION } from "../../version.js";
import type { Io } from "../io.js";
import type { ReportOptions } from "../options.js";
import { writeFileAtomically } from "../output-file.js";
import { checkedZone, projectWithoutErrors, zoneFor } from "./list.js";

/** `cronmeta report`: 0 written, 1 the project has lint errors, 2 usage error (thrown). */
export async function runReport(options: ReportOptions, io: Io): Promise<number> {
  const tz = checkedZone(options.tz);
  const project = await projectWithoutErrors(options, io);
  if (project === undefined) return 1;
  const zone = zoneFor(tz, project);
  const records = options.records === undefined || options.records.length === 0 ? undefined : await readJournals(options.records);
  const report = buildReport(project.jobs, zone, records === undefined ? {} : { records });
  if (options.format === "json") {
    io.stdout(formatReportJson(report));
    if (options.html === undefined) return 0;
  }
  if (options.html !== undefined) {
    const html = renderReportHtml(report, await loadReportTemplate(), `cronmeta ${VERSION}`);
    await writeFileAtomically(options.html, html);
    io.stderr(`cronmeta: wrote ${options.html} (${report.jobCount} jobs, ${report.startsPerWeek} starts in the week)\n`);
  }
  return 0;
}
