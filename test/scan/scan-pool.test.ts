// Scanning on this thread and worker threads together (scan-pool.ts) finds exactly what scanning
// on this thread alone finds, with and without the cache, whatever the number of workers.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/schema.js";
import { RACY_MARGIN_MS, ScanCache, scanCacheKey } from "../../src/scan/cache.js";
import { scanPaths, startScanWorkers } from "../../src/scan/scan-pool.js";
import { scanTree } from "../../src/scan/tree.js";
import type { ScannedFile } from "../../src/types.js";

const samples: Array<[string, string]> = [
  ["a.js", "/**\n * @crontab\n *   time: @daily\n *   params: --x\n */\nmodule.exports = 1;\n"],
  ["b.ts", "/**\n * @crontab\n *   time: 0 *\\/2 * * *\n */\nexport const x: number = 1;\n"],
  ["c.js", "function (\n/**\n * @crontab\n *   time: @daily\n */\n"],
  ["d.js", 'const s = "@crontab";\n'],
  ["e.mjs", "/* @crontab time: @daily */\nexport {};\n"],
  ["f.sh", "#!/bin/sh\n: <<'=cut'\n=head1 METADATA\n\n<crontab>\n    time: @daily\n</crontab>\n\n=cut\n"],
  ["g.ts", "/**\n * @crontab\n *   time: */5 * * * *\n */\nexport {};\n"],
];

// More files than one batch per thread, so that every thread scans some.
const FILES = 1400;
const config = defaultConfig();
let root: string;
/** What this thread alone finds: the reference, scanned once for both tests. */
let inline: ScannedFile[];
before(async () => {
  root = mkdtempSync(join(tmpdir(), "cronmeta-pool-test-"));
  for (let i = 0; i < FILES; i++) {
    const [name, text] = samples[i % samples.length] as [string, string];
    mkdirSync(join(root, `d${i % 7}`), { recursive: true });
    writeFileSync(join(root, `d${i % 7}`, `${i}-${name}`), text.replace("@daily", `${i % 60} 3 * * *`));
  }
  inline = await scanTree(root, config, { workers: 0 });
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("scanPaths", () => {
  it("finds the same on this thread alone and with 1 or 2 workers", async () => {
    assert.equal(inline.length, FILES - FILES / samples.length); // d.js files hold nothing
    const problems = new Set(inline.flatMap((f) => f.problems.map((p) => p.rule)));
    assert.deepEqual([...problems].sort(), ["jsdoc-comment-closed", "metadata-syntax"]);
    assert.ok(inline.some((f) => f.problems.some((p) => p.message.startsWith("could not parse"))));
    assert.deepEqual(await scanTree(root, config, { workers: 1 }), inline);
    assert.deepEqual(await scanTree(root, config, { workers: 2 }), inline);
  });

  it("fills the cache from the workers' answers, and answers from it next time", async () => {
    const cachePath = `${root}-cache.json`;
    const load = (): Promise<ScanCache> => ScanCache.load(cachePath, scanCacheKey(config), Date.now() + RACY_MARGIN_MS + 1000);
    try {
      const first = await load();
      assert.deepEqual(await scanTree(root, config, { cache: first, workers: 1 }), inline);
      assert.deepEqual([first.hits, first.misses], [0, FILES]);
      await first.save();
      const second = await load();
      assert.deepEqual(await scanTree(root, config, { cache: second, workers: 1 }), inline);
      assert.deepEqual([second.hits, second.misses], [FILES, 0]);
    } finally {
      rmSync(cachePath, { force: true });
    }
  });

  it("takes workers started ahead of the walk, and ends them", async () => {
    const threads = startScanWorkers(2);
    const paths = inline.map((f) => f.file);
    const found = new Map<string, unknown>();
    await scanPaths(root, paths, undefined, threads, (path, outcome) => found.set(path, outcome.kind === "scanned" ? outcome.result : outcome.kind));
    assert.deepEqual([...found.keys()].sort(), [...paths].sort());
    assert.deepEqual(paths.map((p) => found.get(p)), inline);
    // Ended: a second scan cannot use them and says so instead of waiting forever.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(threads.every((t) => t.threadId < 0));
    await assert.rejects(scanPaths(root, paths, undefined, threads, () => undefined), /exited before the scan/);
  });

  it("answers a fresh copy by content hashes on the workers too", async () => {
    const cachePath = `${root}-content-cache.json`;
    const copy = `${root}-copy`;
    const load = (): Promise<ScanCache> => ScanCache.load(cachePath, scanCacheKey(config), Date.now() + RACY_MARGIN_MS + 1000);
    try {
      const first = await load();
      await scanTree(root, config, { cache: first, workers: 1 });
      await first.save();
      cpSync(root, copy, { recursive: true });
      const fresh = await load();
      assert.deepEqual(await scanTree(copy, config, { cache: fresh, workers: 1 }), inline);
      // Every file passes the prefilters but d.js (a string, no comment): those are answered by content.
      const passing = FILES - FILES / samples.length;
      assert.deepEqual([fresh.hits, fresh.contentHits, fresh.misses], [passing, passing, FILES - passing]);
    } finally {
      rmSync(cachePath, { force: true });
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
