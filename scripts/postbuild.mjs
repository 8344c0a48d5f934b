#!/usr/bin/env node
// After tsc (`npm run build`, and debian/rules with its own output directory):
//
//   node scripts/postbuild.mjs [DIST] [--installed-dist switchman=DIR] [--installed-dist cronmeta=DIR]
//
// DIST defaults to dist. --installed-dist: where a package will install that executable's DIST
// (debian/rules: /usr/share/switchman/dist, /usr/share/cronmeta/dist), which its code cache
// then names, so that the cache is the same bytes wherever the package is built (V8 keeps the
// file name a cache was made under, for stack traces).
//
// 1. switchman's executable becomes one bundle (issue 14): esbuild bundles switchman and the npm
//    code it runs (zod/mini, and the ZooKeeper client, whose modules run only when ZooKeeper
//    mode imports them) into DIST/switchman/bundle.cjs, CommonJS (no ES module loader at
//    start), with every module behind a dynamic import (the run path, ZooKeeper, leases, the
//    canary, --status) run only when imported. The executable DIST/switchman/cli.cjs
//    (scripts/code-cache-loader.cjs) runs it with V8's code cache (bundle.cjs.cache), which
//    this build makes from one skip run: a cron line's start then neither parses the bundle nor
//    compiles its skip path. One file rather than chunks: esbuild's chunks made a skip load 15
//    files, which cost more CPU and memory than the source it does not run. tsc's
//    DIST/switchman/cli.js becomes a forwarder to cli.cjs. The Debian switchman package ships
//    exactly these files and the notices (debian/bundle.mjs). Syntax for Node 18 (Debian 12's
//    nodejs 18.19/18.20).
// 2. So does cronmeta's (the build tool; Node 20, like its Depends): DIST/cli/bundle.cjs with
//    commander, zod, fast-glob, eta, @babel/parser (required only for a tree with JavaScript
//    candidates) and the rest, run by DIST/cli/cronmeta.cjs with its code cache (made from a
//    lint of examples/my-project), and the scan worker (DIST/cli/scan-worker.js, an ES module
//    of its own, found by URL) in DIST/cli/. tsc's modules stay in DIST for the library
//    (DIST/index.js) and `cronmeta monitor`'s imports of switchman's modules.
// 3. The executables get mode 0755 (tsc does not keep modes).
//
// Offline: esbuild comes from node_modules (a devDependency, installed by `npm ci`).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

/** The source tree: esbuild names bundled modules by their path relative to it. */
const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { "installed-dist": { type: "string", multiple: true, default: [] } } });
const dist = resolve(positionals[0] ?? "dist");
/** Executable name (switchman, cronmeta) → the DIST its package installs. */
const installedDist = new Map(
  options["installed-dist"].map((pair) => {
    const match = /^(switchman|cronmeta)=(\/.*)$/.exec(pair);
    if (match === null) throw new Error(`--installed-dist ${pair}: write switchman=/ABSOLUTE/DIR or cronmeta=/ABSOLUTE/DIR`);
    return [match[1], match[2]];
  }),
);
const switchmanDir = join(dist, "switchman");
const entry = join(switchmanDir, "cli.js");
// esbuild bundles from src/ (it compiles TypeScript itself; tsc has type-checked the same files):
// a bundle then names its modules by their place in the tree, the same wherever DIST is, so that
// the package build (DIST = debian/build/dist) makes byte for byte the bundle `npm run build` makes.
const src = (path) => join(repo, "src", path);

/** Each bundle's files, relative to its directory (debian/bundle.mjs ships switchman's list). */
const BUNDLE_LIST = "bundle-files.json";
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
  return `switchman's bundle (dist/switchman/bundle.cjs, zookeeper-client.cjs and zookeeper-jute.cjs) contains these npm packages:\n\n${parts.join("\n----------------------------------------------------------------------\n\n")}`;
}

/**
 * switchman's ZooKeeper client, outside its bundle: each specifier becomes a CommonJS file of its
 * own beside it, required only in ZooKeeper mode. Inside, its 150 KB of source cost every
 * local-mode start 6 ms CPU and 0.7 MB (measured: the bundle's text and its code cache are
 * read, hashed and kept whole). grant-probe.ts uses the client's protocol records (lib/jute) on
 * its own socket: a copy of them of its own is enough.
 */
const ZOOKEEPER_FILES = { "node-zookeeper-client": "zookeeper-client.cjs", "node-zookeeper-client/lib/jute/index.js": "zookeeper-jute.cjs" };
const zookeeperOutside = {
  name: "zookeeper-outside",
  setup(b) {
    b.onResolve({ filter: /^node-zookeeper-client(\/|$)/ }, (args) => {
      const file = ZOOKEEPER_FILES[args.path];
      if (file === undefined) throw new Error(`switchman imports ${args.path}: add it to ZOOKEEPER_FILES in scripts/postbuild.mjs`);
      return { path: `./${file}`, external: true };
    });
  },
};

async function bundleSwitchman() {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc -p tsconfig.build.json first`);
  // An earlier build's chunks (before the bundle was one file) are removed, never mixed in.
  rmSync(join(switchmanDir, "chunks"), { recursive: true, force: true });
  const result = await build({
    ...common,
    entryPoints: { bundle: src("switchman/cli.ts") },
    outdir: switchmanDir,
    // Modules behind a dynamic import (the ZooKeeper back end, the run path, leases, the
    // canary, --status) run only when imported.
    ...commonJs,
    target: "node18",
    plugins: [zookeeperOutside],
  });
  const zookeeper = await build({
    ...common,
    ...commonJs,
    banner: {},
    define: {},
    entryPoints: Object.fromEntries(Object.entries(ZOOKEEPER_FILES).map(([spec, file]) => [file.replace(/\.cjs$/, ""), spec])),
    outdir: switchmanDir,
    target: "node18",
  });
  const files = [NOTICES, ...writeOutputs(result, switchmanDir), ...writeOutputs(zookeeper, switchmanDir), ...executable(switchmanDir, "cli.cjs", trainSwitchman, installedDist.has("switchman") ? join(installedDist.get("switchman"), "switchman") : undefined)].sort();
  const inputs = { ...result.metafile.inputs, ...zookeeper.metafile.inputs };
  writeFileSync(join(switchmanDir, NOTICES), notices(bundledPackages({ inputs })));
  writeFileSync(join(switchmanDir, BUNDLE_LIST), `${JSON.stringify(files, null, 2)}\n`);
  forwarder(entry, "cli.cjs");
}

/** The bundle's name beside its executable (scripts/code-cache-loader.cjs runs it). */
const BUNDLE = "bundle.cjs";

/** CommonJS bundle settings: no ES module loader at start, and V8's code cache works (the loader). */
const commonJs = {
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  splitting: false,
  // import() becomes require(): the loader compiles with vm.Script, which has no import().
  supported: { "dynamic-import": false },
  // version.ts, templates.ts and the scan pool find their files from their own URL.
  define: { "import.meta.url": "__cmImportMetaUrl" },
  banner: { js: '"use strict";/* cronmeta bundle */const __cmImportMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
};

/**
 * Makes `dir`/`name` the executable (scripts/code-cache-loader.cjs) of `dir`/bundle.cjs: drops
 * the bundle's #! line (the loader runs it inside a function) and writes V8's code cache of it
 * from one typical run (`train(scratch)` says which) by this build's node, so that the cache
 * holds the functions such a start compiles. Another node (V8) refuses it and compiles the
 * bundle as without a cache. Returns the files it made, relative to `dir`.
 */
function executable(dir, name, train, installedDir) {
  const bundle = join(dir, BUNDLE);
  writeFileSync(bundle, readFileSync(bundle, "utf8").replace(/^#!.*\n/, ""));
  copyFileSync(join(repo, "scripts", "code-cache-loader.cjs"), join(dir, name));
  chmodSync(join(dir, name), 0o755);
  const cache = `${bundle}.cache`;
  rmSync(cache, { force: true });
  const scratch = mkdtempSync(join(tmpdir(), "cronmeta-code-cache-"));
  try {
    const { args, env = {} } = train(scratch);
    const filename = join(installedDir ?? dir, BUNDLE);
    const code = `require(${JSON.stringify(join(dir, name))}).train(${JSON.stringify(cache)}, ${JSON.stringify(filename)})`;
    // A fixed seed for V8's random numbers (the only flag of the training run): the cache is then
    // the same bytes on every build of the same bundle by the same node (a Debian package builds
    // reproducibly), and V8 still takes it in a run without the flag (it is not in the cache's
    // flag hash). Measured: without it, two builds give two different caches.
    const run = spawnSync(process.execPath, ["--random-seed=1", "-e", code, "--", name, ...args], { cwd: scratch, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, encoding: "utf8" });
    if (run.status !== 0 || run.stderr !== "" || !existsSync(cache)) {
      throw new Error(`${name}'s code cache: the training run failed (exit ${run.status}): ${run.stderr}${run.error?.message ?? ""}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return [name, `${BUNDLE}.cache`];
}

/** switchman's training: one skip (host not in the group: most starts on a fleet) in a scratch directory. */
function trainSwitchman(scratch) {
  for (const d of ["locks", "state", "textfiles"]) mkdirSync(join(scratch, d));
  const config = join(scratch, "switchman.conf");
  writeFileSync(config, JSON.stringify({ lockdir: join(scratch, "locks"), state_dir: join(scratch, "state"), textfile_dir: join(scratch, "textfiles"), groups: { other: "elsewhere.invalid" } }));
  return { args: ["--config", config, "--group", "other", "--lockname", "code-cache", "--", "/bin/true"], env: { SWITCHMAN_HOSTNAME: "build.invalid" } };
}

/** cronmeta's training: `cronmeta lint` of examples/my-project (a config; shell, Perl POD, Python, JavaScript and TypeScript scripts; debian/). */
function trainCronmeta() {
  return { args: ["lint", "--root", join(repo, "examples", "my-project"), "--quiet"] };
}

/**
 * tsc's module at `path` becomes a forwarder to the executable `target` beside it, for
 * `node dist/switchman/cli.js` and `node dist/cli/cronmeta.js` (the executables before they
 * were CommonJS); package.json's bin and the Debian packages run the .cjs executables.
 */
function forwarder(path, target) {
  writeFileSync(path, `#!/usr/bin/env node\n// The executable is ./${target} (scripts/postbuild.mjs); this forwards to it.\nimport { createRequire } from "node:module";\ncreateRequire(import.meta.url)("./${target}").start();\n`);
  chmodSync(path, 0o755);
}

/** Shared esbuild settings: ES modules, names kept, byte-identical output wherever the tree is. */
const common = {
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // Whitespace and syntax only: error messages and debug stacks keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  // Module paths relative to the tree, symlinks not followed (a package build works on a copy
  // whose node_modules is a symlink).
  absWorkingDir: repo,
  preserveSymlinks: true,
  write: false,
  metafile: true,
  logLevel: "warning",
};

/** ES module bundles: CommonJS modules inside require() node's modules. */
const esmRequire = { js: "/* cronmeta bundle */import{createRequire as __cmCreateRequire}from\"node:module\";const require=__cmCreateRequire(import.meta.url);" };

/** Writes esbuild's outputs; returns their paths relative to `dir`. */
function writeOutputs(result, dir) {
  const files = [];
  for (const output of result.outputFiles) {
    mkdirSync(dirname(output.path), { recursive: true });
    writeFileSync(output.path, output.contents);
    files.push(relative(dir, output.path));
  }
  return files;
}

/**
 * In the CommonJS bundle, js-parse.ts's lazy createRequire of @babel/parser becomes a lazy
 * require() that esbuild bundles (so the code cache holds Babel too), still run only for a
 * tree with JavaScript candidates. Fails the build when that expression is no longer there.
 */
const bundledBabel = {
  name: "bundled-babel",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]scan[\\/]js-parse\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const lazy = 'createRequire(import.meta.url)("@babel/parser")';
      if (!text.includes(lazy)) throw new Error(`${args.path} no longer loads Babel with ${lazy}: update scripts/postbuild.mjs`);
      return { contents: text.replace(lazy, 'require("@babel/parser")'), loader: "ts" };
    });
  },
};

async function bundleCronmeta() {
  const cliDir = join(dist, "cli");
  // An earlier bundle's files go; tsc's modules stay.
  const list = join(cliDir, BUNDLE_LIST);
  if (existsSync(list)) for (const f of JSON.parse(readFileSync(list, "utf8"))) if (f !== "cronmeta.js") rmSync(join(cliDir, f), { force: true });
  // The CLI: one CommonJS bundle, everything but node's modules inside, each command (and
  // zod/mini, fast-glob, Babel, the ZooKeeper client of `monitor`) run only when imported.
  const cli = await build({ ...common, ...commonJs, entryPoints: { bundle: src("cli/cronmeta.ts") }, outdir: cliDir, target: "node20", plugins: [bundledBabel] });
  // The scan worker, started by URL from the scan pool: an ES module of its own, Babel from node_modules.
  const worker = await build({ ...common, splitting: false, entryPoints: { "scan-worker": src("scan/scan-worker.ts") }, outdir: cliDir, target: "node20", external: ["@babel/parser"], banner: esmRequire });
  const files = [...writeOutputs(cli, cliDir), ...writeOutputs(worker, cliDir), ...executable(cliDir, "cronmeta.cjs", trainCronmeta, installedDist.has("cronmeta") ? join(installedDist.get("cronmeta"), "cli") : undefined)].sort();
  if (files.some((f) => f.includes("/"))) throw new Error(`cronmeta's bundle must be flat in ${cliDir}: ${files.join(", ")}`);
  writeFileSync(list, `${JSON.stringify(files, null, 2)}\n`);
  forwarder(join(cliDir, "cronmeta.js"), "cronmeta.cjs");
}

await bundleSwitchman();
await bundleCronmeta();
