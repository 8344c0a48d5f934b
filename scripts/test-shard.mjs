// One of run-tests.mjs's shared processes: imports the test files named on its command line, one
// after the other; node:test runs their top-level tests in this process, in that order.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

for (const file of process.argv.slice(2)) await import(pathToFileURL(resolve(file)).href);
