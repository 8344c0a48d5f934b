// One of run-tests.mjs's shared processes: imports the test files named on its command line, one
// after the other; node:test runs their top-level tests in this process, in that order. A file
// that cannot be loaded fails as a test of its own (as under `node --test`), and the others run.
import { relative, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

for (const file of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    test(`${relative(process.cwd(), resolve(file))} loads`, () => {
      throw error;
    });
  }
}
