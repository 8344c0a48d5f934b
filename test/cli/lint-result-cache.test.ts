// The stored lint result of `lint --cache`, run in-process (the executable run is test/system/cli/lint-result-cache.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineLintResultCacheCases } from "./lint-result-cache.cases.js";

defineLintResultCacheCases([["in-process", runInProcess]]);
