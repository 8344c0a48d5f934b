// Suggestions and configuration, run in-process (the executable run is test/system/cli/suggestions.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineSuggestionCases } from "./suggestions.cases.js";

defineSuggestionCases([["in-process", runInProcess]]);
