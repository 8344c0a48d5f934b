// The `cronmeta list` CLI table, run through the real executable (dist/, proves the shebang and exit codes).
import { runExecutable } from "../../helpers/cli.js";
import { defineListCliCases } from "../../list/list-cli.cases.js";

defineListCliCases([["executable", runExecutable]]);
