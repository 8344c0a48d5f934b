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
//    code it runs (zod/mini) into DIST/switchman/bundle.cjs, CommonJS (no ES module loader at
//    start), with every module behind a dynamic import (the run path, ZooKeeper, leases, the
//    canary, --status) run only when imported; the ZooKeeper client is beside it in
//    DIST/switchman/zookeeper-client.cjs, required only in ZooKeeper mode. The executable
//    DIST/switchman/cli.cjs (scripts/code-cache-loader.cjs) runs them with V8's code caches
//    (bundle.cjs.cache, zookeeper-client.cjs.cache), which this build makes from a local-mode
//    skip and a ZooKeeper-mode one (against scripts/zookeeper-training-server.mjs on loopback):
//    a cron line's start then neither parses the bundle nor compiles its skip path. One file
//    rather than chunks: esbuild's chunks made a skip load 15 files, which cost more CPU and
//    memory than the source it does not run. tsc's
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
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
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
  return `switchman's bundle (dist/switchman/bundle.cjs and zookeeper-client.cjs) contains these npm packages:\n\n${parts.join("\n----------------------------------------------------------------------\n\n")}`;
}

/**
 * switchman's ZooKeeper client, outside its bundle: one CommonJS file beside it
 * (zookeeper-client.cjs), required only in ZooKeeper mode. Inside, its 150 KB of source cost
 * every local-mode start 6 ms CPU and 0.7 MB (measured: the bundle's text and its code cache are
 * read and kept whole). The file's exports are the modules of the package that switchman
 * imports, each import in the bundle a property of them: the client, and its protocol records
 * (lib/jute), which grant-probe.ts uses on its own socket (one copy of them, the client's: a file
 * of their own cost a ZooKeeper start 0.6 ms).
 */
const ZOOKEEPER_FILE = "zookeeper-client.cjs";
const ZOOKEEPER_MODULES = { "node-zookeeper-client": "client", "node-zookeeper-client/lib/jute/index.js": "jute" };
const zookeeperOutside = {
  name: "zookeeper-outside",
  setup(b) {
    b.onResolve({ filter: /^node-zookeeper-client(\/|$)/ }, (args) => {
      if (ZOOKEEPER_MODULES[args.path] === undefined) throw new Error(`switchman imports ${args.path}: add it to ZOOKEEPER_MODULES in scripts/postbuild.mjs`);
      return { path: args.path, namespace: "zookeeper-outside" };
    });
    b.onResolve({ filter: /^\.\/zookeeper-client\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: "zookeeper-outside" }, (args) => ({ contents: `module.exports = require("./${ZOOKEEPER_FILE}").${ZOOKEEPER_MODULES[args.path]};`, loader: "js" }));
  },
};
/** zookeeper-client.cjs's source: its exports. */
const zookeeperEntry = `module.exports = { ${Object.entries(ZOOKEEPER_MODULES).map(([spec, key]) => `${key}: require(${JSON.stringify(spec)})`).join(", ")} };\n`;

/**
 * node:crypto in switchman's and cronmeta's bundles is required on the first call of one of the
 * functions their modules import from it, not as those modules load (esbuild puts each import's
 * require() at its module's start): node:crypto brings 40 internal modules (streams, ciphers),
 * about 2.3 ms CPU and 2 MB a start, which a path that calls none of them (a skip; a lint without
 * --cache) then does not pay. Only the
 * functions listed: a module that imports another name fails the build (esbuild: no such export).
 */
const LAZY_BUILTINS = { "node:crypto": ["createHash", "randomBytes"] };
/**
 * cronmeta's bundle also requires node:child_process on first use: commander requires it at its
 * top (for executable subcommands, which cronmeta has none of) and it brings net, dgram and the
 * stream modules, about 3 ms of every cronmeta start; check's spawnSync and switchman's modules
 * in the bundle (monitor) call the others. And node:fs/promises (which loads readline and the
 * file watchers) and node:module (the ES module loader's modules), which gen, list, the cache,
 * the scan pool and the output's TTY check call, and a lint of a small project does not.
 */
const CRONMETA_LAZY_BUILTINS = {
  ...LAZY_BUILTINS,
  "node:child_process": ["execFile", "spawn", "spawnSync"],
  "node:fs/promises": ["lstat", "mkdir", "open", "readFile", "readdir", "realpath", "rename", "rm", "stat", "unlink", "writeFile"],
  "node:module": ["createRequire"],
};
const lazyBuiltinsOf = (builtins) => ({
  name: "lazy-builtins",
  setup(b) {
    const names = Object.keys(builtins);
    b.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => (args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path, namespace: "lazy-builtin" }));
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: [
        "let loaded;",
        `const builtin = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        ...builtins[args.path].map((f) => `export function ${f}(...args) { return builtin().${f}(...args); }`),
      ].join("\n"),
      loader: "js",
    }));
  },
});
const lazyBuiltins = lazyBuiltinsOf(LAZY_BUILTINS);

/**
 * What node-zookeeper-client requires, only as far as it uses it: `underscore` and `async`
 * become modules of the functions it calls (underscore's ES modules, async's per-function files:
 * the same code as the whole packages'), not the whole packages, whose module bodies cost every
 * ZooKeeper-mode start 9 ms CPU and 1.4 MB (measured: 150 -> 80 KB of client); and `assert`,
 * which it only calls as `assert(value, message)`, becomes a function that loads node:assert
 * when an assertion fails and throws its error: node:assert's module body makes process.stderr
 * (its colours look at it) and costs a start about 2 ms. The build fails when the client uses
 * them otherwise than listed here (`u.x`, `async.x`, `assert.x` in its sources).
 */
const ZOOKEEPER_CLIENT_USES = {
  underscore: { variable: "u", functions: ["clone", "defaults", "shuffle"], contents: (fs) => fs.map((f) => `export { default as ${f} } from "underscore/modules/${f}.js";`) },
  async: { variable: "async", functions: ["eachSeries", "reduce", "whilst"], contents: (fs) => fs.map((f) => `export { default as ${f} } from "async/${f}.js";`) },
  assert: {
    variable: "assert",
    functions: [],
    contents: () => ['module.exports = function assert(value, message) {', '  if (!value) require("node:assert")(value, message);', "};"],
  },
};
const zookeeperClientDependencies = {
  name: "zookeeper-client-dependencies",
  setup(b) {
    const client = join(repo, "node_modules", "node-zookeeper-client");
    const sources = ["index.js", ...readdirSync(join(client, "lib")).filter((f) => f.endsWith(".js")).map((f) => `lib/${f}`)];
    for (const [name, { variable, functions }] of Object.entries(ZOOKEEPER_CLIENT_USES)) {
      for (const file of sources) {
        const text = readFileSync(join(client, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, "");
        const binding = new RegExp(`\\bvar\\s+(\\w+)\\s*=\\s*require\\('${name}'\\)`).exec(text);
        if (binding === null) {
          if (text.includes(`'${name}'`)) throw new Error(`node-zookeeper-client/${file} requires ${name} otherwise than \`var ${variable} = require('${name}')\`: update ZOOKEEPER_CLIENT_USES in scripts/postbuild.mjs`);
          continue;
        }
        if (binding[1] !== variable) throw new Error(`node-zookeeper-client/${file} names ${name} ${binding[1]}, not ${variable}: update ZOOKEEPER_CLIENT_USES in scripts/postbuild.mjs`);
        // Each use is `variable.function` of the list, or for a list without functions a call `variable(`.
        for (const use of text.replace(binding[0], "").matchAll(new RegExp(`\\b${variable}\\b\\s*(\\.\\s*(\\w+)|\\()?`, "g"))) {
          const ok = functions.length === 0 ? use[1] === "(" : use[2] !== undefined && functions.includes(use[2]);
          if (!ok) throw new Error(`node-zookeeper-client/${file} uses ${name} as \`${use[0]}\`: update ZOOKEEPER_CLIENT_USES in scripts/postbuild.mjs`);
        }
      }
    }
    const names = Object.keys(ZOOKEEPER_CLIENT_USES);
    b.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({ path: args.path, namespace: "zookeeper-client-uses" }));
    b.onLoad({ filter: /.*/, namespace: "zookeeper-client-uses" }, (args) => {
      const { functions, contents } = ZOOKEEPER_CLIENT_USES[args.path];
      return { contents: `${contents(functions).join("\n")}\n`, resolveDir: client, loader: "js" };
    });
  },
};

async function bundleSwitchman() {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc -p tsconfig.build.json first`);
  // An earlier build's chunks (before the bundle was one file) are removed, never mixed in.
  rmSync(join(switchmanDir, "chunks"), { recursive: true, force: true });
  // So are the protocol records' own file and cache (before they were the client's).
  for (const f of ["zookeeper-jute.cjs", "zookeeper-jute.cjs.cache"]) rmSync(join(switchmanDir, f), { force: true });
  const result = await build({
    ...common,
    entryPoints: { bundle: src("switchman/cli.ts") },
    outdir: switchmanDir,
    // Modules behind a dynamic import (the ZooKeeper back end, the run path, leases, the
    // canary, --status) run only when imported.
    ...commonJs,
    target: "node18",
    plugins: [zookeeperOutside, lazyBuiltins],
  });
  const zookeeper = await build({
    ...common,
    ...commonJs,
    banner: {},
    define: {},
    stdin: { contents: zookeeperEntry, resolveDir: repo, sourcefile: "zookeeper-client-entry.cjs", loader: "js" },
    outdir: undefined,
    outExtension: undefined,
    outfile: join(switchmanDir, ZOOKEEPER_FILE),
    target: "node18",
    plugins: [zookeeperClientDependencies],
  });
  const files = [NOTICES, ...writeOutputs(result, switchmanDir), ...writeOutputs(zookeeper, switchmanDir), ...(await executable(switchmanDir, "cli.cjs", trainSwitchman, installedDist.has("switchman") ? join(installedDist.get("switchman"), "switchman") : undefined, [ZOOKEEPER_FILE]))].sort();
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
 * from one training process by this build's node (`train(scratch, peerPort)` says which runs:
 * `before`, argument lists run first, then `args`; `train.peer`, a process the runs talk to), so
 * that the cache holds the functions such a start compiles, and the cache of each file of `preload` (files
 * beside the bundle that it requires, each run once before it). Another node (V8) refuses a
 * cache and the file compiles as without one. Returns the files it made, relative to `dir`.
 */
async function executable(dir, name, train, installedDir, preload = []) {
  const bundle = join(dir, BUNDLE);
  writeFileSync(bundle, readFileSync(bundle, "utf8").replace(/^#!.*\n/, ""));
  copyFileSync(join(repo, "scripts", "code-cache-loader.cjs"), join(dir, name));
  chmodSync(join(dir, name), 0o755);
  const caches = [BUNDLE, ...preload].map((f) => `${f}.cache`);
  for (const cache of caches) rmSync(join(dir, cache), { force: true });
  const scratch = mkdtempSync(join(tmpdir(), "cronmeta-code-cache-"));
  let peer;
  try {
    let peerPort;
    if (train.peer !== undefined) {
      try {
        ({ child: peer, port: peerPort } = await startPeer(train.peer));
      } catch (error) {
        // A build without loopback (a network namespace with lo down): train without the peer.
        process.stderr.write(`${name}'s code cache: no training peer (${error.message}); training without it\n`);
      }
    }
    const { args, before = [], env = {} } = train(scratch, peerPort);
    const code = `require(${JSON.stringify(join(dir, name))}).train(${JSON.stringify(installedDir ?? dir)}, ${JSON.stringify(preload)}, ${JSON.stringify(before)})`;
    // A fixed seed for V8's random numbers (the only flag of the training run): the cache is then
    // the same bytes on every build of the same bundle by the same node (a Debian package builds
    // reproducibly), and V8 still takes it in a run without the flag (it is not in the cache's
    // flag hash). Measured: without it, two builds give two different caches.
    const run = spawnSync(process.execPath, ["--random-seed=1", "-e", code, "--", name, ...args], { cwd: scratch, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, encoding: "utf8" });
    const missing = caches.filter((f) => !existsSync(join(dir, f)));
    if (run.status !== 0 || run.stderr !== "" || missing.length > 0) {
      throw new Error(`${name}'s code cache: the training run failed (exit ${run.status}, missing ${missing.join(", ") || "nothing"}): ${run.stderr}${run.error?.message ?? ""}`);
    }
  } finally {
    peer?.kill();
    rmSync(scratch, { recursive: true, force: true });
  }
  return [name, ...caches];
}

/**
 * Starts `node argv` (a training run's peer), which prints the port it listens on on 127.0.0.1;
 * resolves when it has and a connection to it works (in a network namespace whose loopback is
 * down, listening works and connecting does not).
 */
async function startPeer(argv) {
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = "";
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`the training peer ${argv[0]} exited (${code}) before it listened`)));
      child.stdout.on("data", (d) => {
        out += d;
        const found = /^(\d+)\n/.exec(out)?.[1];
        if (found !== undefined) resolve(Number(found));
      });
    });
    await new Promise((resolve, reject) => {
      const probe = connect(port, "127.0.0.1", () => probe.end(resolve));
      probe.on("error", reject);
    });
    return { child, port };
  } catch (error) {
    child.kill();
    throw error;
  }
}

/**
 * switchman's training: skips (host not in the group: most starts on a fleet) in a scratch
 * directory, one in local mode, then one in ZooKeeper mode against
 * scripts/zookeeper-training-server.mjs (its peer), so that the caches hold the session's code
 * too (the ZooKeeper client's and the back end's). Measured with callgrind, median of 5: a
 * ZooKeeper skip 196 -> 178 million instructions against a cache trained on a local skip alone.
 */
function trainSwitchman(scratch, peerPort) {
  for (const d of ["locks", "state", "textfiles"]) mkdirSync(join(scratch, d));
  const records = { state_dir: join(scratch, "state"), textfile_dir: join(scratch, "textfiles") };
  const skip = (mode, config) => {
    writeFileSync(join(scratch, config), JSON.stringify({ ...mode, ...records }));
    return ["--config", join(scratch, config), "--group", "other", "--lockname", "code-cache", "--", "/bin/true"];
  };
  const local = skip({ lockdir: join(scratch, "locks"), groups: TRAINING_GROUPS }, "local.conf");
  // Without the peer (a build with no loopback), the local skip alone.
  if (peerPort === undefined) return { args: local, env: { SWITCHMAN_HOSTNAME: "build.invalid" } };
  return { before: [local], args: skip({ zkhosts: `127.0.0.1:${peerPort}`, prefix: TRAINING_PREFIX }, "zookeeper.conf"), env: { SWITCHMAN_HOSTNAME: "build.invalid" } };
}
const TRAINING_PREFIX = "/switchman/code-cache";
const TRAINING_GROUPS = { other: "elsewhere.invalid" };
trainSwitchman.peer = [join(repo, "scripts", "zookeeper-training-server.mjs"), JSON.stringify({ groups: TRAINING_GROUPS }), TRAINING_PREFIX];

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
  const cli = await build({ ...common, ...commonJs, entryPoints: { bundle: src("cli/cronmeta.ts") }, outdir: cliDir, target: "node20", plugins: [bundledBabel, lazyBuiltinsOf(CRONMETA_LAZY_BUILTINS)] });
  // The scan worker, started by URL from the scan pool: an ES module of its own, Babel from node_modules.
  const worker = await build({ ...common, splitting: false, entryPoints: { "scan-worker": src("scan/scan-worker.ts") }, outdir: cliDir, target: "node20", external: ["@babel/parser"], banner: esmRequire });
  const files = [...writeOutputs(cli, cliDir), ...writeOutputs(worker, cliDir), ...(await executable(cliDir, "cronmeta.cjs", trainCronmeta, installedDist.has("cronmeta") ? join(installedDist.get("cronmeta"), "cli") : undefined))].sort();
  if (files.some((f) => f.includes("/"))) throw new Error(`cronmeta's bundle must be flat in ${cliDir}: ${files.join(", ")}`);
  writeFileSync(list, `${JSON.stringify(files, null, 2)}\n`);
  forwarder(join(cliDir, "cronmeta.js"), "cronmeta.cjs");
}

await bundleSwitchman();
await bundleCronmeta();
