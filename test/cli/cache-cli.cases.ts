// `--cache` on lint and gen: the same report as without it, the cache file where asked (by
// default under node_modules/.cache/cronmeta in the root), an edit always seen, a fresh checkout
// answered by content with a byte-identical report, a config change always followed, an
// unwritable location only a warning. In-process and through the real executable.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { RACY_MARGIN_MS } from "../../src/scan/cache.js";
import type { Runner } from "../helpers/cli.js";
import { cachedFiles, parseCacheParts } from "../helpers/scan-cache-file.js";
import { control, makeProject, pod, removeProject } from "../helpers/project.js";

/** Registers the `--cache` CLI tests for each of `runners`. */
export function defineCacheCliCases(runners: Runner[]): void {
const P = "package: my-project-scripts1";
const roots: string[] = [];

async function project(): Promise<string> {
  const root = await makeProject({
    "debian/control": control("my-project", "my-project-scripts1"),
    "debian/my-project.install": "bin/* usr/share/my-project/bin\n",
    "bin/ok.pl": pod([P, "time: */5 * * * *"]),
    "bin/bad.pl": pod([P, "time: 61 * * * *"]),
  });
  roots.push(root);
  return root;
}

after(async () => {
  for (const root of roots) await removeProject(root);
});

for (const [name, run] of runners) {
  describe(`--cache (${name})`, () => {
    it("prints the same report, writes the default cache file, and sees an edit on the next run", async () => {
      const root = await project();
      await sleep(RACY_MARGIN_MS + 300);
      const plain = await run(["lint", "--format", "json"], root);
      const first = await run(["lint", "--format", "json", "--cache"], root);
      assert.deepEqual(first, plain);
      const cacheFile = join(root, "node_modules", ".cache", "cronmeta", "scan-cache.json");
      assert.ok(existsSync(cacheFile));
      assert.deepEqual(cachedFiles(cacheFile).sort(), ["bin/bad.pl", "bin/ok.pl", "debian/control", "debian/my-project.install"]);
      const second = await run(["lint", "--format", "json", "--cache"], root);
      assert.deepEqual(second, plain);
      assert.equal(second.code, 1);
      // The same size, a new content: the ctime changed, the cache must not answer.
      writeFileSync(join(root, "bin", "bad.pl"), pod([P, "time: 59 * * * *"]));
      const fixed = await run(["lint", "--format", "json", "--cache"], root);
      assert.equal(fixed.code, 0, fixed.stdout);
      assert.deepEqual(fixed, await run(["lint", "--format", "json"], root));
    });

    it("gives a fresh checkout (same bytes, new stamps) the byte-identical report from the cache's content hashes, and sees one byte changed", async () => {
      const root = await project();
      await sleep(RACY_MARGIN_MS + 300);
      const cacheFile = join(root, "..", `${root.split("/").pop() ?? "p"}-cache.json`);
      roots.push(cacheFile);
      await run(["lint", "--format", "json", "--cache", "--cache-location", cacheFile], root);
      const copy = `${root}-checkout`;
      roots.push(copy);
      cpSync(root, copy, { recursive: true });
      const plain = await run(["lint", "--format", "json"], copy);
      const cachedBefore = readFileSync(cacheFile);
      const fromCache = await run(["lint", "--format", "json", "--cache", "--cache-location", cacheFile], copy);
      assert.equal(fromCache.stdout, plain.stdout);
      assert.deepEqual(fromCache, plain);
      // The entries took the copy's stamps (the cache was rewritten), their results unchanged.
      const cachedAfter = readFileSync(cacheFile);
      assert.ok(!cachedAfter.equals(cachedBefore));
      const digests = (bytes: Buffer): string[] => Object.values(JSON.parse(parseCacheParts(bytes).digests) as Record<string, string>).sort();
      assert.deepEqual(digests(cachedAfter), digests(cachedBefore));
      assert.equal(parseCacheParts(cachedAfter).lint, parseCacheParts(cachedBefore).lint, "the lint result carried along");
      // One byte changed (same size) in another checkout: the cache must not answer for it.
      const changed = `${root}-changed`;
      roots.push(changed);
      cpSync(root, changed, { recursive: true });
      writeFileSync(join(changed, "bin", "bad.pl"), pod([P, "time: 51 * * * *"]));
      writeFileSync(cacheFile, cachedBefore);
      const fixed = await run(["lint", "--format", "json", "--cache", "--cache-location", cacheFile], changed);
      assert.equal(fixed.code, 0, fixed.stdout);
      assert.deepEqual(fixed, await run(["lint", "--format", "json"], changed));
    });

    it("follows a config change with the cache on: the rules always run, and other include/exclude globs do not use it", async () => {
      const root = await project();
      writeFileSync(join(root, "bin", "bad.pl"), pod([P, "time: 0 4 1 * mon"])); // cron-day-or: a warning
      await sleep(RACY_MARGIN_MS + 300);
      const warned = await run(["lint", "--format", "json", "--cache"], root);
      assert.equal(warned.code, 0, warned.stdout);
      assert.match(warned.stdout, /"severity":"warning","rule":"cron-day-or"/);
      // A rule's setting is not part of what the cache holds: the report follows it at once.
      writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ rules: { "cron-day-or": "error" } }));
      const strict = await run(["lint", "--format", "json", "--cache"], root);
      assert.equal(strict.code, 1, strict.stdout);
      assert.deepEqual(strict, await run(["lint", "--format", "json"], root));
      // Other globs: the cache made for the old ones is not used.
      writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ rules: { "cron-day-or": "error" }, exclude: ["bin/bad.pl"] }));
      const excluded = await run(["lint", "--format", "json", "--cache"], root);
      assert.equal(excluded.code, 0, excluded.stdout);
      assert.deepEqual(excluded, await run(["lint", "--format", "json"], root));
    });

    it("takes --cache-location relative to the current directory, for gen too", async () => {
      const root = await project();
      writeFileSync(join(root, "bin", "bad.pl"), pod([P, "time: 0 4 * * *"]));
      const plain = await run(["gen", "--dry-run"], root);
      const cached = await run(["gen", "--dry-run", "--cache", "--cache-location", "cache/scan.json"], root);
      assert.deepEqual(cached, plain);
      assert.ok(existsSync(join(root, "cache", "scan.json")));
      assert.ok(!existsSync(join(root, "node_modules")));
      // Without --cache, --cache-location does nothing (as in ESLint).
      await run(["lint", "--cache-location", "other.json"], root);
      assert.ok(!existsSync(join(root, "other.json")));
    });

    it("warns when the cache cannot be written and still lints correctly", async () => {
      const root = await project();
      mkdirSync(join(root, "blocked"));
      writeFileSync(join(root, "blocked", "file"), "");
      const result = await run(["lint", "--format", "json", "--cache", "--cache-location", "blocked/file/scan.json"], root);
      assert.equal(result.code, 1);
      assert.deepEqual(JSON.parse(result.stdout), JSON.parse((await run(["lint", "--format", "json"], root)).stdout));
      assert.match(result.stderr, /^cronmeta: warning: cannot write scan cache .*blocked\/file\/scan\.json: (ENOTDIR|EEXIST)\n$/);
    });
  });
}
}
