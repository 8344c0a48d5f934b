// The `cronmeta check` CLI table, run in-process (the executable run is test/system/cli/check-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineCheckCliCases } from "./check-cli.cases.js";

defineCheckCliCases([["in-process", runInProcess]]);
