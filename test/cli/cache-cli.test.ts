// The `--cache` CLI table, run in-process (the executable run is test/system/cli/cache-cli.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineCacheCliCases } from "./cache-cli.cases.js";

defineCacheCliCases([["in-process", runInProcess]]);
