// The `cronmeta lint` CLI table, run in-process (the executable run is test/system/cli/lint-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineLintCliCases } from "./lint-cli.cases.js";

defineLintCliCases([["in-process", runInProcess]]);
