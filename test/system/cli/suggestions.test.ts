// Suggestions and configuration, run through the real executable (dist/).
import { runExecutable } from "../../helpers/cli.js";
import { defineSuggestionCases } from "../../cli/suggestions.cases.js";

defineSuggestionCases([["executable", runExecutable]]);
