// Locates the repository root whether tests run from test/ (tsx) or from dist/test/ (compiled).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "tsconfig.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${start}`);
    dir = parent;
  }
}

/** Absolute path of the repository checkout. */
export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Directory for test artefacts (screenshots, logs); ignored by git. */
export const testOutputDir = join(repoRoot, "test-output");
/** Fixture projects. */
export const fixturesDir = join(repoRoot, "test", "fixtures");
/** The compiled cronmeta executable (built by `npm run build`). */
export const cronmetaBin = join(repoRoot, "dist", "src", "cli", "cronmeta.js");
/** The compiled switchman executable. */
export const switchmanBin = join(repoRoot, "dist", "src", "switchman", "cli.js");
