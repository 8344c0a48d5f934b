// Near misses of METADATA, run in-process (the executable run is test/system/cli/near-miss.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineNearMissCases } from "./near-miss.cases.js";

defineNearMissCases([["in-process", runInProcess]]);
