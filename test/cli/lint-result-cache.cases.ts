// `lint --cache` keeps its result beside the scan cache (src/project.ts, src/lint-cache-key.ts)
// and reuses it only when nothing the rules read changed. Each case primes the cache, marks the
// stored result (every message gets a prefix that no real run prints), changes one input and
// lints again: the mark must be gone and the report byte for byte a run without --cache. The
// control cases (nothing changed, a fresh checkout, files that hold nothing, a gen run in
// between) show that the mark is printed when the stored result is used, so that its absence
// means the rules ran again.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { cpSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { RACY_MARGIN_MS } from "../../src/scan/cache.js";
import type { Runner } from "../helpers/cli.js";
import { control, makeProject, pod, removeProject } from "../helpers/project.js";
import { readCacheParts, writeCacheParts } from "../helpers/scan-cache-file.js";

const P = "package: my-project-scripts1";
const MARK = "STORED-RESULT ";

/** Registers the lint-result cache cases for each of `runners`. */
export function defineLintResultCacheCases(runners: Runner[]): void {
  const roots: string[] = [];
  after(async () => {
    for (const root of roots) await removeProject(root);
  });

  async function project(): Promise<string> {
    const root = await makeProject({
      "debian/control": control("my-project", "my-project-scripts1"),
      "debian/my-project-scripts1.install": "bin/* usr/share/my-project/bin\n",
      "bin/ok.pl": pod([P, "time: */5 * * * *"]),
      "bin/day-or.pl": pod([P, "time: 0 4 1 * mon"]), // cron-day-or: a warning
      "bin/bad.pl": pod([P, "time: 61 * * * *"]), // an error
      "lib/helper.pm": "package Helper;\n1;\n",
    });
    roots.push(root);
    return root;
  }

  for (const [name, run] of runners) {
    const lint = async (root: string, ...more: string[]) => run(["lint", "--format", "json", ...more], root);
    const cached = async (root: string, ...more: string[]) => lint(root, "--cache", "--cache-location", `${root}.cache`, ...more);

    /** A project whose cache holds a lint result, marked. */
    async function primed(): Promise<string> {
      const root = await project();
      roots.push(`${root}.cache`);
      const first = await cached(root);
      assert.deepEqual(first, await lint(root));
      mark(`${root}.cache`);
      return root;
    }

    function mark(cacheFile: string): void {
      const parts = readCacheParts(cacheFile);
      assert.notEqual(parts.lint, "", "a lint result is stored");
      writeCacheParts(cacheFile, { ...parts, lint: parts.lint.replaceAll('"message":"', `"message":"${MARK}`) });
    }

    /** After `change`, the report is a run's without --cache: the stored result was not used. */
    async function recomputedAfter(change: (root: string) => void | Promise<void>, ...more: string[]): Promise<void> {
      const root = await primed();
      await change(root);
      const again = await cached(root, ...more);
      assert.ok(!again.stdout.includes(MARK), "the stored result must not answer");
      assert.deepEqual(again, await lint(root, ...more));
      // And the new result is stored: the next run answers with it.
      mark(`${root}.cache`);
      const third = await cached(root, ...more);
      assert.deepEqual({ ...third, stdout: third.stdout.replaceAll(MARK, "") }, await lint(root, ...more));
      assert.ok(third.stdout.includes(MARK), "the new result is reused");
    }

    describe(`lint --cache, the stored lint result (${name})`, () => {
      it("is used when nothing changed, on a fresh checkout and when only files that hold nothing came", async () => {
        const root = await primed();
        const plain = await lint(root);
        const reused = await cached(root);
        assert.ok(reused.stdout.includes(MARK));
        assert.deepEqual({ ...reused, stdout: reused.stdout.replaceAll(MARK, "") }, plain);
        // A fresh checkout: new inodes and stamps, the same bytes.
        const copy = `${root}-checkout`;
        roots.push(copy, `${copy}.cache`);
        cpSync(root, copy, { recursive: true });
        cpSync(`${root}.cache`, `${copy}.cache`);
        const fresh = await cached(copy);
        assert.ok(fresh.stdout.includes(MARK));
        assert.deepEqual({ ...fresh, stdout: fresh.stdout.replaceAll(MARK, "") }, await lint(copy));
        // Files with nothing in them came (one where the install glob bin/* reaches: debian/ is
        // read for the scripts with METADATA alone) and went: no result came or went.
        writeFileSync(join(root, "lib", "notes.txt"), "nothing to see\n");
        writeFileSync(join(root, "bin", "readme.txt"), "no metadata\n");
        rmSync(join(root, "lib", "helper.pm"));
        const grown = await cached(root);
        assert.ok(grown.stdout.includes(MARK));
        assert.deepEqual({ ...grown, stdout: grown.stdout.replaceAll(MARK, "") }, await lint(root));
        // Paths select what is reported from the stored result as from a computed one.
        const selected = await cached(root, "bin/ok.pl");
        assert.ok(!selected.stdout.includes("bin/bad.pl"));
        assert.deepEqual(JSON.parse(selected.stdout).jobCount, JSON.parse((await lint(root, "bin/ok.pl")).stdout).jobCount);
        // gen --cache in between carries the stored result along (its results are the same).
        const gen = await run(["gen", "--dry-run", "--cache", "--cache-location", `${root}.cache`], root);
        assert.equal(gen.code, 1, gen.stderr); // bin/bad.pl has an error: gen refuses
        assert.ok((await cached(root)).stdout.includes(MARK));
      });

      it("is not used after a METADATA file changed (same size), went, came, or became a symbolic link", async () => {
        await recomputedAfter((root) => writeFileSync(join(root, "bin", "bad.pl"), pod([P, "time: 51 * * * *"])));
        await recomputedAfter((root) => rmSync(join(root, "bin", "day-or.pl")));
        await recomputedAfter((root) => writeFileSync(join(root, "lib", "new.pl"), pod([P, "time: 7 * * * *"])));
        await recomputedAfter((root) => {
          rmSync(join(root, "bin", "ok.pl"));
          symlinkSync("day-or.pl", join(root, "bin", "ok.pl"));
        });
      });

      it("is not used after a suppression comment or a binary file with METADATA came", async () => {
        await recomputedAfter((root) => writeFileSync(join(root, "bin", "day-or.pl"), pod([P, "time: 0 4 1 * mon", "# cronmeta-disable cron-day-or -- on purpose"])));
        await recomputedAfter(async (root) => {
          writeFileSync(join(root, "lib", "nul.pl"), pod([P, "time: 0 3 * * *\u0000"]));
          // Its result has no content hash (a binary is not hashed): a racily clean one is not cached, nor the lint result with it.
          await sleep(RACY_MARGIN_MS + 300);
        });
      });

      it("is not used after a config change (a rule's severity, the time zone, the stampede threshold)", async () => {
        await recomputedAfter((root) => writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ rules: { "cron-day-or": "error" } })));
        await recomputedAfter((root) => writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ timezone: "Europe/Berlin" })));
        await recomputedAfter((root) => writeFileSync(join(root, "cronmeta.config.json"), JSON.stringify({ stampedeThreshold: 1 })));
      });

      it("is not used after debian/control or an install file changed, or with another --mode", async () => {
        await recomputedAfter((root) => writeFileSync(join(root, "debian", "control"), control("my-project", "my-project-scripts1", "my-project-scripts2")));
        await recomputedAfter((root) => writeFileSync(join(root, "debian", "my-project-scripts1.install"), "bin/ok.pl usr/share/my-project/bin\n"));
        await recomputedAfter((root) => writeFileSync(join(root, "debian", "my-project-scripts1.install"), "bin/* usr/lib/my-project\n"));
        await recomputedAfter(() => undefined, "--mode", "tree");
      });

      it("is not used when it is damaged, and never makes the report differ", async () => {
        for (const lintPart of ["{not json", '{"diagnostics":[{"file":1}],"suppressed":[],"jobFiles":[]}', '{"diagnostics":[],"suppressed":[]}']) {
          await recomputedAfter((root) => {
            const parts = readCacheParts(`${root}.cache`);
            writeCacheParts(`${root}.cache`, { ...parts, lint: lintPart });
          });
        }
        // A key that is not this run's.
        await recomputedAfter((root) => {
          const parts = readCacheParts(`${root}.cache`);
          writeCacheParts(`${root}.cache`, { ...parts, header: { ...parts.header, lintKey: "0".repeat(64) } });
        });
      });
    });
  }
}
