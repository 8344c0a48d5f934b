#!/usr/bin/node
// Copies cronmeta's production dependencies (every package-lock.json entry not marked
// "dev") from the already installed node_modules into DEST/node_modules, offline: the
// package build must not download anything nor touch the developer's node_modules.
// Usage: node debian/copy-prod-modules.mjs DEST
import { cpSync, existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

const dest = process.argv[2];
if (!dest) {
  console.error("usage: copy-prod-modules.mjs DEST");
  process.exit(2);
}
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
// npm's lockfile v2/v3: "packages" maps "node_modules/<name>" (nested too) to metadata.
const paths = Object.entries(lock.packages ?? {})
  .filter(([path, meta]) => path.startsWith("node_modules/") && meta.dev !== true && meta.link !== true)
  .map(([path]) => path)
  .sort();
// Left out: what only developers of a module need (TypeScript sources and declarations, source maps,
// linter configs that lintian flags as package-contains-eslint-config-file, markdown
// documentation); LICENSE files stay, as the licenses require.
const SKIP = /(?:^\.bin|^\.package-lock\.json|\.[cm]?ts|\.[cm]?js\.map|^\.eslintrc(?:\.\w+)?|\.md)$/i;
const keep = (src) => {
  const name = basename(src);
  return /^licen[cs]e/i.test(name) || !SKIP.test(name);
};

let copied = 0;
for (const path of paths) {
  if (!existsSync(path)) {
    // Optional dependencies for other platforms are in the lock but not installed.
    const meta = lock.packages[path];
    if (meta.optional === true) continue;
    console.error(`copy-prod-modules: ${path} is in package-lock.json but not installed: run npm ci first`);
    process.exit(1);
  }
  // Nested entries (node_modules/a/node_modules/b) are copied with their parent already;
  // copying them again is harmless but wasteful.
  if (paths.some((p) => p !== path && path.startsWith(`${p}/`))) continue;
  cpSync(path, join(dest, path), {
    recursive: true,
    dereference: false,
    filter: keep,
  });
  copied++;
}
console.log(`copy-prod-modules: ${copied} packages copied to ${dest}/node_modules`);
