#!/usr/bin/env node
"use strict";
// The executables of switchman and cronmeta (scripts/postbuild.mjs copies this file to
// DIST/switchman/cli.cjs and DIST/cli/cronmeta.cjs): runs the esbuild bundle beside it
// (bundle.cjs) with V8's code cache of it (bundle.cjs.cache, made at build time by a typical
// run: a switchman skip, a cronmeta lint), so that a start neither parses the bundle nor
// compiles the functions that run (issue 14; Node 18 and 20 have no module.enableCompileCache).
// The bundle's require() of a file beside it (`./zookeeper-client.cjs`: switchman's ZooKeeper
// client, outside the bundle so that a local-mode start does not read it) is compiled the same
// way, with that file's own cache.
//
// A cache that does not belong to these very bytes of its file is never given to V8: a cache
// file holds the exact bytes of the source its V8 data was made from (FILE.cache: the source's
// byte length, 4 bytes little-endian, the source, then V8's data), and the loader compares them
// with the file's bytes (V8's own check compares the source's length only). An exact comparison
// cannot accept other bytes, as a digest could in principle; and it costs a memcmp where
// SHA-256 cost node:crypto's 40 internal modules (2.3 ms and 2 MB a start) and hashing. V8
// refuses a cache of another V8 version or other flags (cachedDataRejected), and the source is
// then compiled as without one. CommonJS and no ES module loader: measured, both cost a start.
const { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE = "bundle.cjs";
const LENGTH_BYTES = 4;
/** The copy in a cache is compared in pieces of this size, so that it is never in memory whole. */
const PIECE_BYTES = 64 * 1024;

/**
 * V8's data in `path` (a FILE.cache), or undefined when that cache is not of `source`'s bytes
 * (or unreadable, or has no data).
 */
function cachedDataFor(path, source) {
  let fd;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const end = LENGTH_BYTES + source.length;
    if (size <= end) return undefined;
    const piece = Buffer.allocUnsafe(Math.min(PIECE_BYTES, Math.max(source.length, LENGTH_BYTES)));
    if (readSync(fd, piece, 0, LENGTH_BYTES, 0) !== LENGTH_BYTES || piece.readUInt32LE(0) !== source.length) return undefined;
    for (let at = 0; at < source.length; at += piece.length) {
      const length = Math.min(piece.length, source.length - at);
      if (readSync(fd, piece, 0, length, LENGTH_BYTES + at) !== length || !piece.subarray(0, length).equals(source.subarray(at, at + length))) return undefined;
    }
    const data = Buffer.allocUnsafe(size - end);
    return readSync(fd, data, 0, data.length, end) === data.length ? data : undefined;
  } catch {
    // No cache (a build without one, or it was removed): compile from the source.
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Set by train(): what compile() compiled, by file name, with the bytes it compiled. */
let compiled;

/**
 * The file `name` of this directory compiled as a CommonJS module body, with its cache when the
 * cache is this file's. `filename` names it in stack traces; V8 keeps the name a cache was made
 * under (so a package's training run names the path the file is installed at).
 */
function compile(name, filename) {
  const source = readFileSync(join(__dirname, name));
  const cachedData = cachedDataFor(join(__dirname, `${name}.cache`), source);
  // The wrapper shares the source's first line, so stack traces keep its line numbers. The
  // bundle has no import() (postbuild.mjs turns it into require()), which vm.Script lacks.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source.toString("utf8")}\n})`;
  const script = new Script(wrapped, { filename, cachedData });
  compiled?.set(name, { script, source });
  return script;
}

/** module.exports of the files of this directory that ran, by file name. */
const exportsOf = new Map();

/**
 * The require() the bundle and its files get: a file of this directory (`./name`) runs from its
 * cache; anything else is this module's require() (node's modules).
 */
function requireHere(id) {
  if (!id.startsWith("./")) return require(id);
  const name = id.slice(2);
  if (exportsOf.has(name)) return exportsOf.get(name);
  return run(name, join(__dirname, name));
}
requireHere.resolve = require.resolve;
requireHere.cache = require.cache;

/** Runs the file `name` of this directory as a CommonJS module of it; returns its exports. */
function run(name, filename) {
  // A training run that runs the bundle more than once runs one script, so that its cache holds every run's code.
  const script = compiled?.get(name)?.script ?? compile(name, filename);
  const module = { exports: {} };
  exportsOf.set(name, module.exports);
  script.runInThisContext().call(module.exports, module.exports, requireHere, module, join(__dirname, name), __dirname);
  exportsOf.set(name, module.exports);
  return module.exports;
}

/** Starts the executable: the bundle reads process.argv (and switchman's exits the process). */
function start() {
  run(BUNDLE, join(__dirname, BUNDLE));
}

/**
 * For the build (scripts/postbuild.mjs) only: starts the executable like start(), first
 * requiring the files `preload` (names in this directory: a file the training run does not
 * require, whose module body is then in its cache), and at exit writes the cache of every file
 * that ran beside it. `dir`: where the files will be run from (default: here). `before`: argument
 * lists of runs made first, each to its process.exit() (which then returns instead of exiting),
 * so that the caches hold the code of several kinds of start (switchman: a local-mode skip,
 * then a ZooKeeper one); the last run is the process's own arguments and exits the process.
 */
async function train(dir = __dirname, preload = [], before = []) {
  compiled = new Map();
  process.on("exit", (code) => {
    // A failed training writes nothing (the build fails on its exit status).
    if (code !== 0) return;
    for (const [name, { script, source }] of compiled) {
      const length = Buffer.alloc(LENGTH_BYTES);
      length.writeUInt32LE(source.length);
      writeFileSync(join(__dirname, `${name}.cache`), Buffer.concat([length, source, script.createCachedData()]));
    }
  });
  // Each name as one flat string: V8 writes a string made by concatenation (path.join's) as its
  // pieces, and the cache should name the file as a whole (the package test looks for it).
  const filename = (name) => Buffer.from(join(dir, name)).toString();
  for (const name of preload) run(name, filename(name));
  const { argv, exit } = process;
  for (const args of before) {
    await new Promise((resolve) => {
      process.exit = (code) => resolve(code);
      process.argv = [argv[0], argv[1], ...args];
      run(BUNDLE, filename(BUNDLE));
    }).then((code) => {
      if (code !== 0) throw new Error(`the training run ${args.join(" ")} exited ${code}`);
    });
  }
  process.exit = exit;
  process.argv = argv;
  run(BUNDLE, filename(BUNDLE));
}

if (require.main === module) start();
else module.exports = { start, train };
