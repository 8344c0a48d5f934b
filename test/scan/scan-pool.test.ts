// Scanning on worker threads (trees of PARALLEL_MIN_FILES files or more) finds exactly what
// scanning on the main thread finds, with and without the cache, and reuses the cache.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/schema.js";
import { RACY_MARGIN_MS, ScanCache, scanCacheKey } from "../../src/scan/cache.js";
import { PARALLEL_MIN_FILES, scanTree } from "../../src/scan/tree.js";

const samples: Array<[string, string]> = [
  ["a.js", "/**\n * @crontab\n *   time: @daily\n *   params: --x\n */\nmodule.exports = 1;\n"],
  ["b.ts", "/**\n * @crontab\n *   time: 0 */2 * * *\n */\nexport const x: number = 1;\n"],
  ["c.js", "/**\n * @crontab\n *   time: @daily\n */\nfunction (\n"],
  ["d.js", 'const s = "@crontab";\n'],
  ["e.sh", "#!/bin/sh\n: <<'=cut'\n=head1 METADATA\n\n<crontab>\n    time: @daily\n</crontab>\n\n=cut\n"],
  ["f.pl", "=head1 METADATA\n\n<crontab>\n</crontab>\n"],
  ["g.json", '{"a": 1}\n'],
  ["h.png", "\u0089PNG\u0000\u0000=head1 METADATA\n"],
];

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), "cronmeta-pool-test-"));
  for (let i = 0; i < PARALLEL_MIN_FILES + 100; i++) {
    const [name, text] = samples[i % samples.length] as [string, string];
    mkdirSync(join(root, `d${i % 37}`), { recursive: true });
    writeFileSync(join(root, `d${i % 37}`, `${i}-${name}`), text.replace("@daily", `${i % 60} 3 * * *`));
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("scanTree on worker threads", () => {
  it("finds the same as on the main thread", async () => {
    const config = defaultConfig();
    const here = await scanTree(root, config, { workers: 0 });
    const threaded = await scanTree(root, config, { workers: 2 });
    assert.deepEqual(threaded, here);
    // a, b, c (parse error), e (section), f (empty section): 5 of every 8 files.
    const holding = new Set([0, 1, 2, 4, 5]);
    assert.equal(here.length, Array.from({ length: PARALLEL_MIN_FILES + 100 }, (_, i) => i % 8).filter((k) => holding.has(k)).length);
    assert.ok(here.some((f) => f.problems.some((p) => p.message.startsWith("could not parse"))));
  });

  it("fills the cache from the workers, and reuses it there when many files are new", async () => {
    const config = defaultConfig();
    const cachePath = join(root, "..", `${root.split("/").at(-1)}-cache.json`);
    const load = (): Promise<ScanCache> => ScanCache.load(cachePath, scanCacheKey(config), Date.now() + RACY_MARGIN_MS + 1000);
    const more = join(root, "more");
    try {
      const first = await load();
      assert.deepEqual(await scanTree(root, config, { cache: first, workers: 2 }), await scanTree(root, config, { workers: 0 }));
      assert.deepEqual([first.hits, first.misses], [0, PARALLEL_MIN_FILES + 100]);
      await first.save();
      // As many new files as it takes for the workers to run again: the old ones come from the cache.
      mkdirSync(more);
      for (let i = 0; i < PARALLEL_MIN_FILES; i++) writeFileSync(join(more, `${i}.sh`), (samples[4] as [string, string])[1]);
      const second = await load();
      assert.deepEqual(await scanTree(root, config, { cache: second, workers: 2 }), await scanTree(root, config, { workers: 0 }));
      assert.deepEqual([second.hits, second.misses], [PARALLEL_MIN_FILES + 100, PARALLEL_MIN_FILES]);
    } finally {
      rmSync(cachePath, { force: true });
      rmSync(more, { recursive: true, force: true });
    }
  });
});
