// The scan cache: same results as a scan without it, reuse of unchanged files (by stamp) and of
// files with new stamps and the same content (a fresh checkout), never a stale result (content
// changed with size and mtime kept, one byte changed in a fresh copy, racily clean files,
// tampered hashes), corrupt or foreign cache files ignored, atomic writes, and the cache file
// never scanned itself.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/schema.js";
import { RACY_MARGIN_MS, ScanCache, defaultCacheLocation, scanCacheKey } from "../../src/scan/cache.js";
import { defaultScanWorkers, stopScanWorkers } from "../../src/scan/scan-pool.js";
import { scanTree } from "../../src/scan/tree.js";
import { cachedFiles, readCacheParts, writeCacheParts } from "../helpers/scan-cache-file.js";

const config = defaultConfig();
const key = scanCacheKey(config);
/** A scan that "starts" well after the test wrote its files, so that they are not racily clean. */
const later = (): number => Date.now() + RACY_MARGIN_MS + 1000;

const pod = (time: string): string => `#!/bin/sh\n: <<'=cut'\n=head1 METADATA\n\n<crontab>\n    time: ${time}\n</crontab>\n\n=cut\necho hi\n`;
const js = (time: string): string => `/**\n * @crontab\n *   time: ${time}\n */\nexport {};\n`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "cronmeta-cache-test-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function scanWith(root: string, cachePath: string, startedMs = later()): Promise<{ files: Awaited<ReturnType<typeof scanTree>>; cache: ScanCache }> {
  const cache = await ScanCache.load(cachePath, key, startedMs);
  const files = await scanTree(root, config, { cache });
  await cache.save();
  return { files, cache };
}

const times = (files: Awaited<ReturnType<typeof scanTree>>): string[] =>
  files.map((f) => `${f.file}:${f.sections.map((s) => s.entries.map((e) => e.value).join(",")).join("|")}`);

describe("scan cache", () => {
  it("gives the same result as a scan without cache, and answers a second run from the cache", async () => {
    const root = project("same", { "bin/a.sh": pod("@daily"), "bin/b.js": js("@hourly"), "lib/c.py": "print(1)\n", "d.js": 'x = "@crontab";\n' });
    const cachePath = join(dir, "same.json");
    const plain = await scanTree(root, config);
    const first = await scanWith(root, cachePath);
    assert.deepEqual(first.files, plain);
    assert.deepEqual([first.cache.hits, first.cache.misses], [0, 4]);
    const second = await scanWith(root, cachePath);
    assert.deepEqual(second.files, plain);
    assert.deepEqual([second.cache.hits, second.cache.misses], [4, 0]);
    assert.deepEqual(times(second.files), ["bin/a.sh:@daily", "bin/b.js:@hourly"]);
  });

  it("sees a change that keeps size and mtime (ctime changes) and a replaced file (inode changes)", async () => {
    const root = project("change", { "a.sh": pod("@daily"), "b.sh": pod("@daily") });
    const cachePath = join(dir, "change.json");
    const a = join(root, "a.sh");
    const fixed = 1_700_000_000; // a whole second, so that utimes can set it back exactly
    utimesSync(a, fixed, fixed);
    await scanWith(root, cachePath);
    const old = statSync(a);
    writeFileSync(a, pod("@yearl")); // as long as "@daily": same size
    utimesSync(a, fixed, fixed);
    assert.equal(statSync(a).size, old.size);
    assert.equal(statSync(a).mtimeMs, old.mtimeMs);
    const b = join(root, "b.sh");
    rmSync(b);
    writeFileSync(b, pod("@daily").replace("hi", "ho"));
    const { files, cache } = await scanWith(root, cachePath);
    assert.deepEqual(times(files), ["a.sh:@yearl", "b.sh:@daily"]);
    assert.equal(cache.hits, 0);
  });

  it("does not trust the stamp of a file changed just before the scan started (racily clean), only its content hash", async () => {
    const root = project("racy", { "a.sh": pod("@daily"), "b.sh": "echo no metadata\n" });
    const cachePath = join(dir, "racy.json");
    await scanWith(root, cachePath, Date.now()); // the files are younger than the margin
    const second = await scanWith(root, cachePath);
    // Both read again; a.sh (past the prefilter) is answered by its content hash, b.sh costs nothing to scan.
    assert.deepEqual([second.cache.hits, second.cache.contentHits, second.cache.misses], [1, 1, 1]);
    assert.deepEqual(times(second.files), ["a.sh:@daily"]);
    const third = await scanWith(root, cachePath);
    assert.deepEqual([third.cache.hits, third.cache.contentHits, third.cache.misses], [2, 0, 0]);
  });

  it("answers a fresh checkout (new inodes, ctimes and mtimes, the same bytes) by content, and sees one byte changed", async () => {
    const files = { "bin/a.sh": pod("@daily"), "bin/b.js": js("@hourly"), "lib/c.py": "print(1)\n", "d.js": 'x = "@crontab";\n', "e.pl": pod("@weekly") };
    const root = project("checkout", files);
    const cachePath = join(dir, "checkout.json");
    await scanWith(root, cachePath);
    const copy = join(dir, "checkout-fresh");
    cpSync(root, copy, { recursive: true });
    const stamped = join(copy, "bin", "a.sh");
    utimesSync(stamped, 1_800_000_000, 1_800_000_000); // a checkout's mtime: whatever the clock said
    const plain = await scanTree(copy, config);
    const freshCache = join(dir, "checkout-fresh.json");
    cpSync(cachePath, freshCache);
    const first = await scanWith(copy, freshCache);
    assert.deepEqual(first.files, plain);
    // The three files past the prefilters come from the cache by content; the two others are simply read.
    assert.deepEqual([first.cache.hits, first.cache.contentHits, first.cache.misses], [3, 3, 2]);
    // The entries took the copy's stamps: the next run only stats.
    const second = await scanWith(copy, freshCache);
    assert.deepEqual(second.files, plain);
    assert.deepEqual([second.cache.hits, second.cache.contentHits, second.cache.misses], [5, 0, 0]);

    // One byte changed in another fresh copy: that file alone is extracted again, and its new result is the one given.
    const changed = join(dir, "checkout-changed");
    cpSync(root, changed, { recursive: true });
    writeFileSync(join(changed, "e.pl"), pod("@weekly").replace("@weekly", "@Weekly"));
    const changedCache = join(dir, "checkout-changed.json");
    cpSync(cachePath, changedCache);
    const third = await scanWith(changed, changedCache);
    assert.deepEqual(third.files, await scanTree(changed, config));
    assert.deepEqual(times(third.files), ["bin/a.sh:@daily", "bin/b.js:@hourly", "e.pl:@Weekly"]);
    assert.deepEqual([third.cache.hits, third.cache.contentHits, third.cache.misses], [2, 2, 3]);
  });

  it("takes the stamps from the open files once a tree's stamps miss (a fresh checkout of 600 files), and still sees a changed file and an unchanged one", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`f${String(i).padStart(3, "0")}.${i % 3 === 0 ? "sh" : "txt"}`] = i % 3 === 0 ? pod(`${i % 60} * * * *`) : `text ${i}\n`;
    const root = project("many", files);
    const cachePath = join(dir, "many.json");
    const plain = await scanTree(root, config, { workers: 0 });
    await scanWith(root, cachePath);
    const copy = join(dir, "many-fresh");
    cpSync(root, copy, { recursive: true });
    // Late in the walk, after the first window of missed stamps: one changed, one the same bytes with an old stamp kept from the original.
    writeFileSync(join(copy, "f597.sh"), pod("@daily"));
    const freshCache = join(dir, "many-fresh.json");
    cpSync(cachePath, freshCache);
    const cache = await ScanCache.load(freshCache, key, later());
    const found = await scanTree(copy, config, { cache, workers: 0 });
    await cache.save();
    assert.deepEqual(found, (await scanTree(copy, config, { workers: 0 })));
    assert.notDeepEqual(found, plain);
    assert.deepEqual(times(found.filter((f) => f.file === "f597.sh")), ["f597.sh:@daily"]);
    assert.deepEqual([cache.hits, cache.contentHits, cache.misses], [199, 199, 401]);
    // The next run: every stamp matches, whichever way it is taken.
    const second = await scanWith(copy, freshCache);
    assert.deepEqual(second.files, found);
    assert.deepEqual([second.cache.hits, second.cache.misses], [600, 0]);
  });

  it("never answers from a hash that does not match the bytes (a tampered or damaged hash)", async () => {
    const root = project("tampered", { "a.sh": pod("@daily") });
    const cachePath = join(dir, "tampered.json");
    await scanWith(root, cachePath);
    const copy = join(dir, "tampered-fresh");
    cpSync(root, copy, { recursive: true });
    const stored = readCacheParts(cachePath);
    for (const digest of ["AAAA", 42, null]) {
      writeCacheParts(cachePath, { ...stored, digests: JSON.stringify({ 0: digest }) });
      const freshCache = join(dir, "tampered-fresh.json");
      cpSync(cachePath, freshCache);
      const { files, cache } = await scanWith(copy, freshCache);
      assert.deepEqual(times(files), ["a.sh:@daily"]);
      assert.deepEqual([cache.hits, cache.misses], [0, 1], String(digest));
    }
  });

  it("forgets deleted files and scans new ones", async () => {
    const root = project("grow", { "a.sh": pod("@daily"), "b.sh": pod("@hourly") });
    const cachePath = join(dir, "grow.json");
    await scanWith(root, cachePath);
    rmSync(join(root, "b.sh"));
    writeFileSync(join(root, "c.js"), js("@weekly"));
    const { files } = await scanWith(root, cachePath);
    assert.deepEqual(times(files), ["a.sh:@daily", "c.js:@weekly"]);
    assert.deepEqual(cachedFiles(cachePath).sort(), ["a.sh", "c.js"]);
  });

  it("ignores a corrupt, truncated, foreign or mismatched cache file, and rewrites it", async () => {
    const root = project("corrupt", { "a.sh": pod("@daily") });
    const cachePath = join(dir, "corrupt.json");
    const good = (await scanWith(root, cachePath)).files;
    const bytes = readFileSync(cachePath);
    const parts = readCacheParts(cachePath);
    const body = bytes.subarray(bytes.indexOf(0x0a) + 1);
    const withHeader = (header: object): Buffer => Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]);
    const withParts = (changes: Partial<typeof parts>): Buffer => {
      writeCacheParts(cachePath, { ...parts, ...changes });
      return readFileSync(cachePath);
    };
    const [first = 0, ...rest] = parts.header.lengths;
    const bad: Array<string | Buffer> = [
      "not json",
      bytes.subarray(0, bytes.length / 2),
      "null",
      "[]",
      withHeader({ ...parts.header, tool: "something-else" }),
      // The cache of an older cronmeta (one JSON object), and one of another format number.
      JSON.stringify({ tool: "cronmeta-scan-cache", key, files: ["a.sh"], stamps: "AAAA", results: {}, digests: {} }),
      withHeader({ ...parts.header, format: 7 }),
      // Parts that do not line up: stamps of the wrong length, more files than the header says, lengths that do not add up.
      withParts({ stamps: Buffer.from("AAAA") }),
      withParts({ files: `${parts.files}\0b.sh` }),
      withHeader({ ...parts.header, lengths: [first + 1, ...rest] }),
      withHeader({ ...parts.header, key: scanCacheKey({ ...config, exclude: ["x/**"] }) }),
      // A result of the wrong shape for a file whose stamp matches: dropped, the file re-read.
      withParts({ results: parts.results.replace(/"@daily"/g, "42") }),
      withParts({ results: "{not json" }),
      // A listed result that is missing.
      withParts({ results: "{}" }),
    ];
    for (const content of bad) {
      writeFileSync(cachePath, content);
      const { files, cache } = await scanWith(root, cachePath);
      const what = content.toString().slice(0, 80);
      assert.deepEqual(files, good, what);
      // Damaged results are found only once a hit asks for them: the file is then scanned again.
      assert.equal(cache.misses, 1, what);
      assert.deepEqual(readCacheParts(cachePath).header.key, key);
      assert.deepEqual(cachedFiles(cachePath), ["a.sh"]);
    }
  });

  it("starts the scan workers while it parses a large cache file, for the scan to take (or nobody: they are unref'ed)", async () => {
    const root = project("large", { "a.sh": pod("@daily") });
    const cachePath = join(dir, "large.json");
    const small = await ScanCache.load(cachePath, key, later());
    assert.equal(small.takeWorkers(), undefined);
    // Damaged and large: ignored as a cache, but it says the tree is large.
    writeFileSync(cachePath, `{"files":[${'"x",'.repeat(400_000)}`);
    const large = await ScanCache.load(cachePath, key, later());
    const workers = large.takeWorkers();
    assert.equal(workers?.length, defaultScanWorkers());
    assert.equal(large.takeWorkers(), undefined, "taken once");
    await stopScanWorkers(workers ?? []);
    // The scan ends workers it is given but does not use (a one-file tree is scanned on this thread).
    const again = await ScanCache.load(cachePath, key, later());
    assert.deepEqual(times(await scanTree(root, config, { cache: again })), ["a.sh:@daily"]);
    assert.equal(again.takeWorkers(), undefined);
  });

  it("keys the cache by include/exclude/debianDir", () => {
    assert.notEqual(scanCacheKey(config), scanCacheKey({ ...config, include: ["bin/**"] }));
    assert.notEqual(scanCacheKey(config), scanCacheKey({ ...config, debianDir: "pkg/debian" }));
    assert.equal(scanCacheKey(config), scanCacheKey({ ...defaultConfig() }));
  });

  it("writes atomically (no temp file left), only when something changed, and reports an unwritable location", async () => {
    const root = project("atomic", { "a.sh": pod("@daily") });
    const cacheDir = join(dir, "atomic-cache", "deep");
    const cachePath = join(cacheDir, "scan.json");
    await scanWith(root, cachePath);
    assert.deepEqual(readdirSync(cacheDir), ["scan.json"]);
    const before = statSync(cachePath).mtimeMs;
    const cache = await ScanCache.load(cachePath, key, later());
    await scanTree(root, config, { cache });
    assert.deepEqual(await cache.save(), { written: false });
    assert.equal(statSync(cachePath).mtimeMs, before);

    writeFileSync(join(dir, "a-file"), "");
    const blocked = await ScanCache.load(join(dir, "a-file", "scan.json"), key, later());
    await scanTree(root, config, { cache: blocked });
    const outcome = await blocked.save();
    assert.equal(outcome.written, false);
    assert.match(outcome.error ?? "", /^cannot write scan cache .*a-file\/scan\.json: (ENOTDIR|EEXIST)$/);
  });

  it("never scans its own file inside the tree; the default location is under node_modules", async () => {
    const root = project("inside", { "a.sh": pod("@daily") });
    const cachePath = join(root, ".cronmetacache");
    writeFileSync(cachePath, "=head1 METADATA\n\n<crontab>\n    time: @daily\n</crontab>\n");
    const { files } = await scanWith(root, cachePath);
    assert.deepEqual(times(files), ["a.sh:@daily"]);
    assert.equal(defaultCacheLocation(root), join(root, "node_modules", ".cache", "cronmeta", "scan-cache.json"));
    const viaDefault = await scanWith(root, defaultCacheLocation(root));
    assert.deepEqual(times(viaDefault.files), ["a.sh:@daily"]);
    assert.ok(existsSync(defaultCacheLocation(root)));
  });
});
