// The executables' loader (scripts/code-cache-loader.cjs, copied by the build to
// dist/switchman/cli.cjs and dist/cli/cronmeta.cjs): V8's code cache of a file is used exactly
// when the cache holds that file's bytes, never for other bytes, and a file the bundle requires
// beside it runs from its own cache too. Real node processes, real V8 caches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/paths.js";

const LOADER = join(repoRoot, "scripts", "code-cache-loader.cjs");

/** A directory with the loader as cli.cjs and the given files; removed after `body`. */
function withExecutable(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "cronmeta-loader-test-"));
  try {
    copyFileSync(LOADER, join(dir, "cli.cjs"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function node(args: string[]): string {
  const run = spawnSync(process.execPath, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
  return run.stdout;
}

/** The training run of the build: runs the executable, then writes the caches of what ran. */
const train = (dir: string, preload: string[] = [], before: string[][] = [], args: string[] = []): string =>
  node(["-e", `require(${JSON.stringify(join(dir, "cli.cjs"))}).train(undefined, ${JSON.stringify(preload)}, ${JSON.stringify(before)})`, "--", "cli.cjs", ...args]);
const start = (dir: string, args: string[] = []): string => node([join(dir, "cli.cjs"), ...args]);

/** The cache of `dir`'s bundle.cjs with V8's data kept and its copy of the bytes replaced by `source`'s. */
function withCopyOf(dir: string, source: string): void {
  const cache = readFileSync(join(dir, "bundle.cjs.cache"));
  const length = cache.readUInt32LE(0);
  assert.equal(Buffer.byteLength(source), length);
  writeFileSync(join(dir, "bundle.cjs.cache"), Buffer.concat([cache.subarray(0, 4), Buffer.from(source), cache.subarray(4 + length)]));
  writeFileSync(join(dir, "bundle.cjs"), source);
}

// Two sources of the same length, each printing its letter: V8 itself checks only the length.
const A = 'process.stdout.write("A");\n';
const B = 'process.stdout.write("B");\n';

test("a cache made from other bytes of the same length is not used: the file's own code runs", () => {
  withExecutable({ "bundle.cjs": A }, (dir) => {
    assert.equal(train(dir), "A");
    writeFileSync(join(dir, "bundle.cjs"), B);
    assert.equal(start(dir), "B");
  });
});

test("the cache is used when it holds the file's bytes: what decides is the copy of the bytes", () => {
  withExecutable({ "bundle.cjs": A }, (dir) => {
    train(dir);
    // V8's data for A with a copy of B's bytes: the loader gives it to V8, which then runs A's
    // compiled code although the file says B. (Only a build writes caches; this shows that the
    // cache is really used, and that the comparison of the bytes is the whole check.)
    const cache = readFileSync(join(dir, "bundle.cjs.cache"));
    const length = cache.readUInt32LE(0);
    assert.equal(cache.subarray(4, 4 + length).toString("utf8"), A);
    writeFileSync(join(dir, "bundle.cjs.cache"), Buffer.concat([cache.subarray(0, 4), Buffer.from(B), cache.subarray(4 + length)]));
    writeFileSync(join(dir, "bundle.cjs"), B);
    assert.equal(start(dir), "A");
  });
});

test("a cache that is missing, cut short or of a longer or shorter file is not used", () => {
  withExecutable({ "bundle.cjs": A }, (dir) => {
    train(dir);
    const cache = readFileSync(join(dir, "bundle.cjs.cache"));
    for (const bad of [cache.subarray(0, 4 + A.length), cache.subarray(0, 3), Buffer.alloc(0)]) {
      writeFileSync(join(dir, "bundle.cjs.cache"), bad);
      assert.equal(start(dir), "A");
    }
    writeFileSync(join(dir, "bundle.cjs.cache"), cache);
    writeFileSync(join(dir, "bundle.cjs"), `${A}process.stdout.write("+");\n`);
    assert.equal(start(dir), "A+");
    writeFileSync(join(dir, "bundle.cjs"), A.slice(0, -1));
    assert.equal(start(dir), "A");
    rmSync(join(dir, "bundle.cjs.cache"));
    writeFileSync(join(dir, "bundle.cjs"), B);
    assert.equal(start(dir), "B");
  });
});

test("a file the bundle requires beside it runs once, from its own cache, with the bundle's require for what it requires", () => {
  const part = 'exports.letter = "A"; exports.sep = require("node:path").sep;\n';
  const bundle = 'const p = require("./part.cjs"); process.stdout.write(p.letter + p.sep + (require("./part.cjs") === p));\n';
  withExecutable({ "bundle.cjs": bundle, "part.cjs": part }, (dir) => {
    // Preloaded by the training run (the build's training run of a skip does not require the
    // ZooKeeper client), so its cache holds its module body.
    assert.equal(train(dir, ["part.cjs"]), "A/true");
    const cache = readFileSync(join(dir, "part.cjs.cache"));
    assert.equal(cache.subarray(4, 4 + cache.readUInt32LE(0)).toString("utf8"), part);
    assert.equal(start(dir), "A/true");
    const other = part.replace('"A"', '"B"');
    writeFileSync(join(dir, "part.cjs"), other);
    assert.equal(start(dir), "B/true");
    // Used when it holds the part's bytes (V8's data for A, a copy of B's bytes: A runs).
    writeFileSync(join(dir, "part.cjs.cache"), Buffer.concat([cache.subarray(0, 4), Buffer.from(other), cache.subarray(4 + part.length)]));
    assert.equal(start(dir), "A/true");
  });
});

test("a training run with earlier runs runs the bundle once per argument list, each to its exit, and the cache holds the code of every run", () => {
  // f and g run only when asked for: V8 compiles each on its first call, so the cache holds the
  // one that ran. Which ran shows when the bytes are swapped for others of the same length
  // under V8's data (as above): a function in the cache prints 1, one compiled now prints 2.
  const bundle = (n: string): string =>
    `const f = () => process.stdout.write("f${n}");\nconst g = () => process.stdout.write("g${n}");\n(process.argv[2] === "f" ? f : g)();\nprocess.exit(0);\n`;
  withExecutable({ "bundle.cjs": bundle("1") }, (dir) => {
    assert.equal(train(dir, [], [["f"]], ["g"]), "f1g1");
    withCopyOf(dir, bundle("2"));
    assert.equal(start(dir, ["f"]), "f1");
    assert.equal(start(dir, ["g"]), "g1");
  });
  withExecutable({ "bundle.cjs": bundle("1") }, (dir) => {
    // Without the earlier run, f is not in the cache.
    assert.equal(train(dir, [], [], ["g"]), "g1");
    withCopyOf(dir, bundle("2"));
    assert.equal(start(dir, ["f"]), "f2");
    assert.equal(start(dir, ["g"]), "g1");
  });
});

test("a training run fails when an earlier run exits with another code than 0, and writes no cache", () => {
  withExecutable({ "bundle.cjs": "process.exit(process.argv[2] === \"bad\" ? 3 : 0);\n" }, (dir) => {
    const run = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(join(dir, "cli.cjs"))}).train(undefined, [], [["bad"]])`, "--", "cli.cjs"], { encoding: "utf8" });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /the training run bad exited 3/);
    assert.equal(existsSync(join(dir, "bundle.cjs.cache")), false);
  });
});
