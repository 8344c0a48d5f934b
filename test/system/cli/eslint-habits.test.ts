// ESLint habits of the CLI, run through the real executable (dist/).
import { runExecutable } from "../../helpers/cli.js";
import { defineEslintHabitCases } from "../../cli/eslint-habits.cases.js";

defineEslintHabitCases([["executable", runExecutable]]);
