// Near misses of METADATA, run through the real executable (dist/).
import { runExecutable } from "../../helpers/cli.js";
import { defineNearMissCases } from "../../cli/near-miss.cases.js";

defineNearMissCases([["executable", runExecutable]]);
