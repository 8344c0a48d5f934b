// The `cronmeta import` CLI table, run through the real executable (dist/).
import { runExecutable } from "../../helpers/cli.js";
import { defineImportCliCases } from "../../cli/import-cli.cases.js";

defineImportCliCases([["executable", runExecutable]]);
