#!/usr/bin/env node
// Runs the test files from source (TypeScript through tsx) with node's test runner.
//
//   --tier unit    test/**/*.test.ts outside test/system/: in-process, no system package needed
//   --tier system  test/system/**/*.test.ts: real processes, ZooKeeper, dpkg, cron, Chromium
//   --tier all     both (the default; what `npm test` and CI run)
//
// Remaining arguments filter the files by substring. The list is explicit because Node 20's
// `--test DIR` would also run every helper module under a `test/` directory. System tests
// spawn the built executables in dist/; test/helpers/paths.ts refuses a dist/ older than src/.
import { spawnSync } from "node:child_process";
import fg from "fast-glob";

const args = process.argv.slice(2);
let tier = "all";
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--tier") tier = args[++i] ?? "";
  else filters.push(args[i]);
}
if (!["unit", "system", "all"].includes(tier)) {
  console.error(`run-tests: --tier must be unit, system or all (got "${tier}")`);
  process.exit(2);
}
const all = await fg("test/**/*.test.ts", { onlyFiles: true, ignore: ["test/fixtures/**"] });
const files = all
  .filter((f) => tier === "all" || (tier === "system") === f.startsWith("test/system/"))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`run-tests: no test files match (tier ${tier}${filters.length ? `, filters ${filters.join(" ")}` : ""})`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? "2";
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
