// The `cronmeta import` CLI table, run in-process (the executable run is test/system/cli/import-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineImportCliCases } from "./import-cli.cases.js";

defineImportCliCases([["in-process", runInProcess]]);
