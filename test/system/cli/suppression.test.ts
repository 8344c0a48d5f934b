// Inline suppression, run through the real executable (dist/).
import { runExecutable } from "../../helpers/cli.js";
import { defineSuppressionCases } from "../../cli/suppression.cases.js";

defineSuppressionCases([["executable", runExecutable]]);
