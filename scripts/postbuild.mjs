#!/usr/bin/env node
// After tsc (`npm run build`, and debian/rules with its own output directory):
//
//   node scripts/postbuild.mjs [DIST]     DIST defaults to dist
//
// 1. switchman's executable becomes one bundle (issue 14): esbuild replaces tsc's
//    DIST/switchman/cli.js with switchman and the npm code it runs (zod, and the ZooKeeper
//    client in a chunk of its own that only ZooKeeper mode loads) in DIST/switchman/cli.js and
//    DIST/switchman/chunks/. A cron line's start then compiles a few hundred kilobytes of
//    JavaScript from three files instead of resolving and compiling about 150 modules, which was
//    most of its start-up (docs/benchmarks.md). The Debian switchman package ships exactly these
//    files (debian/bundle.mjs). ES modules (the package is "type": "module"), syntax for Node 18
//    (Debian 12's nodejs 18.19/18.20).
// 2. The executables get mode 0755 (tsc does not keep modes).
//
// Offline: esbuild comes from node_modules (a devDependency, installed by `npm ci`).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The source tree: esbuild names bundled modules by their path relative to it. */
const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));

const dist = resolve(process.argv[2] ?? "dist");
const switchmanDir = join(dist, "switchman");
const entry = join(switchmanDir, "cli.js");

/** The bundle's files, relative to DIST/switchman (debian/bundle.mjs ships this list). */
const SWITCHMAN_BUNDLE_LIST = "bundle-files.json";
/** The licenses of the npm packages inside the bundle, which their licenses ask every copy to carry. */
const NOTICES = "THIRD-PARTY-NOTICES.txt";

/** The npm packages (name, directory) whose code is in a bundle, from esbuild's metafile. */
function bundledPackages(metafile) {
  const found = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) found.set(match[2], resolve(repo, match[1]));
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Each bundled package's name, version and LICENSE text. */
function notices(packages) {
  const parts = [];
  for (const [name, dir] of packages) {
    const { version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (file === undefined) throw new Error(`${dir} has no LICENSE file to carry into the bundle`);
    parts.push(`${name} ${version} (${license})\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`);
  }
  return `switchman's bundle (dist/switchman/cli.js and chunks/) contains these npm packages:\n\n${parts.join("\n----------------------------------------------------------------------\n\n")}`;
}

async function bundleSwitchman() {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc -p tsconfig.build.json first`);
  // tsc rewrites cli.js on every build; an earlier bundle's chunks are removed, never mixed in.
  if (readFileSync(entry, "utf8").includes("/* switchman bundle */")) {
    throw new Error(`${entry} is already a bundle: run tsc -p tsconfig.build.json before this script`);
  }
  rmSync(join(switchmanDir, "chunks"), { recursive: true, force: true });
  const result = await build({
    entryPoints: { cli: entry },
    outdir: switchmanDir,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node18",
    // Whitespace and syntax only: error messages and SWITCHMAN_DEBUG stacks keep their names.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    // Byte-identical output wherever the tree is (a package build works on a copy whose
    // node_modules is a symlink): module paths relative to the tree, symlinks not followed.
    absWorkingDir: repo,
    preserveSymlinks: true,
    write: false,
    metafile: true,
    logLevel: "warning",
    // The ZooKeeper client is CommonJS and require()s node's modules.
    banner: { js: "/* switchman bundle */import{createRequire as __cmCreateRequire}from\"node:module\";const require=__cmCreateRequire(import.meta.url);" },
  });
  const files = [NOTICES];
  for (const output of result.outputFiles) {
    mkdirSync(dirname(output.path), { recursive: true });
    writeFileSync(output.path, output.contents);
    files.push(relative(switchmanDir, output.path));
  }
  writeFileSync(join(switchmanDir, NOTICES), notices(bundledPackages(result.metafile)));
  files.sort();
  writeFileSync(join(switchmanDir, SWITCHMAN_BUNDLE_LIST), `${JSON.stringify(files, null, 2)}\n`);
}

await bundleSwitchman();
for (const bin of ["cli/cronmeta.js", "switchman/cli.js"]) {
  if (existsSync(join(dist, bin))) chmodSync(join(dist, bin), 0o755);
}
