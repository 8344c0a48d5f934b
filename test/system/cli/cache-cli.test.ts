// The `--cache` CLI table, run through the real executable (dist/, proves the shebang and exit codes).
import { runExecutable } from "../../helpers/cli.js";
import { defineCacheCliCases } from "../../cli/cache-cli.cases.js";

defineCacheCliCases([["executable", runExecutable]]);
