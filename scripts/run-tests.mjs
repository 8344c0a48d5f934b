#!/usr/bin/env node
// Runs the compiled test files (dist/test/**/*.test.js) with node's test runner.
// Node 20's `--test DIR` would also run every helper module under a `test/` directory,
// so the list is made explicit. Arguments filter the list by substring.
import { spawnSync } from "node:child_process";
import fg from "fast-glob";

const filters = process.argv.slice(2);
const files = (await fg("dist/test/**/*.test.js", { onlyFiles: true }))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error("no test files found: run `npm run build` first");
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? "2";
const result = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
