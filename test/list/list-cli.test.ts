// The `cronmeta list` CLI table, run in-process (the executable run is test/system/cli/list-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineListCliCases } from "./list-cli.cases.js";

defineListCliCases([["in-process", runInProcess]]);
