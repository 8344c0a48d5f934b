// The `cronmeta lint` CLI table, run through the real executable (dist/, proves the shebang and exit codes).
import { runExecutable } from "../../helpers/cli.js";
import { defineLintCliCases } from "../../cli/lint-cli.cases.js";

defineLintCliCases([["executable", runExecutable]]);
