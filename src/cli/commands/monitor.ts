/**
 * `cronmeta monitor` (docs/monitor.md): the manifests' jobs against their run records. Exit codes:
 * with `--format nagios` the plugin's 0/1/2/3 (OK, WARNING, CRITICAL, UNKNOWN), where records
 * that cannot be read are CRITICAL and bad input (manifest, filter, malformed record, switchman
 * config) UNKNOWN, never OK; otherwise 0 when every job is ok, 1 when any is not, 2 for either
 * error. Errors are one line on stderr (nagios: the status line on stdout), never a stack trace.
 */
import type { Io } from "../io.js";
import { MonitorInputError, readManifests } from "../../monitor/manifests.js";
import { fleetFacts, RecordsUnavailableError } from "../../monitor/records.js";
import { buildReport, canaryPackages, formatJson, formatNagios, formatPrometheus, formatTable, NAGIOS, selectJobs, type Filters } from "../../monitor/report.js";

export const MONITOR_FORMATS = ["table", "json", "prometheus", "nagios"] as const;
export type MonitorFormat = (typeof MONITOR_FORMATS)[number];

export interface MonitorOptions {
  manifests: string[];
  format: MonitorFormat;
  switchmanConfig: string;
  filters: Filters;
  /** How far back slots are shown and counted, seconds. */
  windowS: number;
  timeoutMs: number;
  /** For tests: "now", ms. */
  now?: number;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

export async function runMonitor(options: MonitorOptions, io: Io): Promise<number> {
  const nagios = options.format === "nagios";
  try {
    const manifests = await readManifests(options.manifests);
    const selected = selectJobs(manifests, options.filters);
    const facts = await fleetFacts(options.switchmanConfig, selected.map((s) => s.job.lockname), options.timeoutMs, canaryPackages(selected).length > 0);
    const report = buildReport(selected, facts, options.now ?? Date.now(), options.windowS * 1000);
    switch (options.format) {
      case "nagios": {
        const { text, code } = formatNagios(report);
        io.stdout(text);
        return code;
      }
      case "json":
        io.stdout(formatJson(report));
        break;
      case "prometheus":
        io.stdout(formatPrometheus(report));
        break;
      case "table":
        io.stdout(formatTable(report));
        break;
    }
    return report.severity === "ok" ? 0 : 1;
  } catch (error) {
    const unavailable = error instanceof RecordsUnavailableError;
    if (!unavailable && !(error instanceof MonitorInputError)) throw error;
    const reason = oneLine((error as Error).message);
    if (nagios) {
      io.stdout(`CRONMETA ${unavailable ? "CRITICAL" : "UNKNOWN"} - ${reason}\n`);
      return unavailable ? NAGIOS.critical : NAGIOS.unknown;
    }
    if (options.format === "prometheus") io.stdout("# cronmeta monitor could not read its input\ncronmeta_monitor_up 0\n");
    io.stderr(`cronmeta monitor: ${reason}\n`);
    return 2;
  }
}
