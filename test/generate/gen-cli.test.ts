// The `cronmeta gen` CLI table, run in-process (the executable run is test/system/cli/gen-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineGenCliCases } from "./gen-cli.cases.js";

defineGenCliCases([["in-process", runInProcess]]);
