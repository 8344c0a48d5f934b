#!/usr/bin/env node
// Rewrites the golden files of `cronmeta gen` (test/fixtures/gen-*/expected/ and
// test/fixtures/goldens/my-project/) by running the golden test with UPDATE_GOLDENS=1.
// Review the result with `git diff` before committing.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "test/generate/goldens.test.ts"], {
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  stdio: "inherit",
  env: { ...process.env, UPDATE_GOLDENS: "1" },
});
process.exit(result.status ?? 1);
