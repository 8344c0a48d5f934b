// The stored lint result of `lint --cache`, run through the real executable (dist/: the bundle's own build digest in the key).
import { runExecutable } from "../../helpers/cli.js";
import { defineLintResultCacheCases } from "../../cli/lint-result-cache.cases.js";

defineLintResultCacheCases([["executable", runExecutable]]);
