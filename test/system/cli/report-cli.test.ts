// The `cronmeta report` CLI table, run through the real executable (dist/, proves the shebang and exit codes).
import { runExecutable } from "../../helpers/cli.js";
import { defineReportCliCases } from "../../list/report-cli.cases.js";

defineReportCliCases([["executable", runExecutable]]);
