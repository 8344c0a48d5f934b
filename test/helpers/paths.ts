// Locates the repository root and the built executables whether tests run from source (tsx)
// or compiled.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
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
/** The compiled cronmeta executable (built by `npm run build`); check it with {@link builtBin}. */
export const cronmetaBin = join(repoRoot, "dist", "cli", "cronmeta.cjs");
/** The compiled switchman executable; check it with {@link builtBin}. */
export const switchmanBin = join(repoRoot, "dist", "switchman", "cli.cjs");

let staleness: string | undefined | null = null;

/**
 * The first source file whose compiled module in dist/ is missing or older, or undefined when
 * dist/ is up to date. Tests run from source would otherwise silently test yesterday's build.
 */
export function staleBuild(): string | undefined {
  if (staleness !== null) return staleness;
  const src = join(repoRoot, "src");
  const walk = (dir: string): string | undefined => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = walk(path);
        if (found !== undefined) return found;
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const built = join(repoRoot, "dist", relative(src, path)).replace(/\.ts$/, ".js");
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) return relative(repoRoot, path);
      }
    }
    return undefined;
  };
  staleness = walk(src);
  return staleness;
}

/** `bin` when dist/ is built and up to date; otherwise throws with what to run. */
export function builtBin(bin: string): string {
  if (!existsSync(bin)) throw new Error(`${relative(repoRoot, bin)} is missing: run \`npm run build\` first`);
  const stale = staleBuild();
  if (stale !== undefined) throw new Error(`dist/ is older than ${stale}: run \`npm run build\` first`);
  return bin;
}
