// Inline suppression, run in-process (the executable run is test/system/cli/suppression.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineSuppressionCases } from "./suppression.cases.js";

defineSuppressionCases([["in-process", runInProcess]]);
