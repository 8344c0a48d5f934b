// The `cronmeta report` CLI table, run in-process (the executable run is test/system/cli/report-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineReportCliCases } from "./report-cli.cases.js";

defineReportCliCases([["in-process", runInProcess]]);
