// The `cronmeta check` CLI table, run through the real executable (dist/).
import { runExecutable } from "../../helpers/cli.js";
import { defineCheckCliCases } from "../../cli/check-cli.cases.js";

defineCheckCliCases([["executable", runExecutable]]);
