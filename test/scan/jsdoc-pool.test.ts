// JSDoc extraction on a worker thread gives exactly what the extractor gives inline (sections,
// early-closed comments, syntax errors, nothing), and scanTree finds the same with and without
// the worker, with and without the cache.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/schema.js";
import { RACY_MARGIN_MS, ScanCache, scanCacheKey } from "../../src/scan/cache.js";
import { extractJsdoc } from "../../src/scan/index.js";
import { JsdocPool } from "../../src/scan/jsdocPool.js";
import { scanTree } from "../../src/scan/tree.js";

const samples: Array<[string, string]> = [
  ["a.js", "/**\n * @crontab\n *   time: @daily\n *   params: --x\n */\nmodule.exports = 1;\n"],
  ["b.ts", "/**\n * @crontab\n *   time: 0 */2 * * *\n */\nexport const x: number = 1;\n"],
  ["c.js", "/**\n * @crontab\n *   time: @daily\n */\nfunction (\n"],
  ["d.js", 'const s = "@crontab";\n'],
  ["e.mjs", "/* @crontab time: @daily */\nexport {};\n"],
  ["f.sh", "#!/bin/sh\n: <<'=cut'\n=head1 METADATA\n\n<crontab>\n    time: @daily\n</crontab>\n\n=cut\n"],
];

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), "cronmeta-pool-test-"));
  for (let i = 0; i < 300; i++) {
    const [name, text] = samples[i % samples.length] as [string, string];
    mkdirSync(join(root, `d${i % 7}`), { recursive: true });
    writeFileSync(join(root, `d${i % 7}`, `${i}-${name}`), text.replace("@daily", `${i % 60} 3 * * *`));
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("JsdocPool", () => {
  it("answers on a worker exactly as extractJsdoc does inline", async () => {
    const pool = new JsdocPool(1, 0);
    try {
      const all = [...samples, ...samples, ...samples];
      const results = await Promise.all(all.map(([path, text]) => pool.extract(text, path)));
      assert.deepEqual(results, all.map(([path, text]) => extractJsdoc(text, path)));
      assert.notEqual(results[0], null);
    } finally {
      await pool.close();
    }
  });

  it("scanTree finds the same with and without the worker", async () => {
    const config = defaultConfig();
    const inline = await scanTree(root, config, { workers: 0 });
    assert.deepEqual(await scanTree(root, config, { workers: 1 }), inline);
    assert.deepEqual(await scanTree(root, config, { workers: 2 }), inline);
    assert.equal(inline.length, 250); // d.js files hold nothing
    assert.ok(inline.some((f) => f.problems.some((p) => p.message.startsWith("could not parse"))));
  });

  it("fills the cache from the worker's answers, and answers from it next time", async () => {
    const config = defaultConfig();
    const cachePath = `${root}-cache.json`;
    const load = (): Promise<ScanCache> => ScanCache.load(cachePath, scanCacheKey(config), Date.now() + RACY_MARGIN_MS + 1000);
    try {
      const inline = await scanTree(root, config, { workers: 0 });
      const first = await load();
      assert.deepEqual(await scanTree(root, config, { cache: first, workers: 1 }), inline);
      assert.deepEqual([first.hits, first.misses], [0, 300]);
      await first.save();
      const second = await load();
      assert.deepEqual(await scanTree(root, config, { cache: second, workers: 1 }), inline);
      assert.deepEqual([second.hits, second.misses], [300, 0]);
    } finally {
      rmSync(cachePath, { force: true });
    }
  });
});
