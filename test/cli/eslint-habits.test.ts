// ESLint habits of the CLI, run in-process (the executable run is test/system/cli/eslint-habits.test.ts).
import { runInProcess } from "../helpers/cli.js";
import { defineEslintHabitCases } from "./eslint-habits.cases.js";

defineEslintHabitCases([["in-process", runInProcess]]);
