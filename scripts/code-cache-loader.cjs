#!/usr/bin/env node
"use strict";
// The executables of switchman and cronmeta (scripts/postbuild.mjs copies this file to
// DIST/switchman/cli.cjs and DIST/cli/cronmeta.cjs): runs the esbuild bundle beside it
// (bundle.cjs) with V8's code cache of it (bundle.cjs.cache, made at build time by a typical
// run: a switchman skip, a cronmeta lint), so that a start neither parses the bundle nor
// compiles the functions that run (issue 14; Node 18 and 20 have no module.enableCompileCache).
// A cache that does not belong to these very bytes of the bundle is never given to V8: its
// first 32 bytes are the SHA-256 of the bundle, checked here (V8's own check compares the
// source's length only). V8 refuses a cache of another V8 version or other flags
// (cachedDataRejected), and the bundle is then compiled as without one. CommonJS and no ES
// module loader: measured, both cost a start.
const { createHash } = require("node:crypto");
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE = join(__dirname, "bundle.cjs");
const CACHE = `${BUNDLE}.cache`;
const DIGEST_BYTES = 32;

/**
 * The bundle compiled as a CommonJS module body, with its cache when that is the bundle's.
 * `filename` names it in stack traces; V8 keeps the name a cache was made under (so a package's
 * training run names the path the bundle is installed at).
 */
function compile(filename = BUNDLE) {
  // Read as text (node's fast path, no Buffer of the bundle) and hashed as its UTF-8 bytes.
  const source = readFileSync(BUNDLE, "utf8");
  const digest = createHash("sha256").update(source, "utf8").digest();
  let cachedData;
  try {
    const cache = readFileSync(CACHE);
    if (cache.length > DIGEST_BYTES && cache.subarray(0, DIGEST_BYTES).equals(digest)) cachedData = cache.subarray(DIGEST_BYTES);
  } catch {
    // No cache (a build without one, or it was removed): compile from the source.
  }
  // The wrapper shares the bundle's first line, so stack traces keep its line numbers. The
  // bundle has no import() (postbuild.mjs turns it into require()), which vm.Script lacks.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  return { script: new Script(wrapped, { filename, cachedData }), digest };
}

/** Runs the bundle as a CommonJS module of this directory: its require() resolves from here. */
function run(script) {
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, require, module, BUNDLE, __dirname);
}

/** Starts the executable: the bundle reads process.argv (and switchman's exits the process). */
function start() {
  run(compile().script);
}

/**
 * For the build (scripts/postbuild.mjs) only: starts the executable like start() and at exit
 * writes the digest and the code cache of what it compiled to `out`; `filename`: where the
 * bundle will be run from (default: here).
 */
function train(out, filename = BUNDLE) {
  const { script, digest } = compile(filename);
  process.on("exit", () => writeFileSync(out, Buffer.concat([digest, script.createCachedData()])));
  run(script);
}

if (require.main === module) start();
else module.exports = { start, train };
