// The `cronmeta gen` CLI table, run through the real executable (dist/, proves the shebang and exit codes).
import { runExecutable } from "../../helpers/cli.js";
import { defineGenCliCases } from "../../generate/gen-cli.cases.js";

defineGenCliCases([["executable", runExecutable]]);
