// Rebuilds give byte-identical cron.d files, in both spread modes: each rebuild is a fresh copy
// of the project in a new directory, its files written in a different (seeded) order, so
// directory order, inodes and timestamps differ; the H values depend on package and lock name
// alone (hash) or on the whole job set (balanced), never on the order anything is found in.
// Shared by the quick check (test/spread/determinism.test.ts, a few rebuilds, unit tier) and
// issue 19's 100-rebuild check (test/system/spread/determinism.test.ts: 200 projects linted and
// rendered, about 8 s of CPU, a big loop for the system tier).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generate } from "../../src/generate/generate.js";
import { makeProject, pod, removeProject } from "../helpers/project.js";
import { manyJobs } from "./projects.js";

const TIMES = ["H * * * *", "H H * * *", "H/15 * * * *", "H H(0-5) * * H(mon-fri)", "H(0-29),H(30-59) 8-18 * * *", "H H H(1-28) * *", "0 * * * *", "*/5 * * * *"];

function project(config: Record<string, unknown>): Record<string, string> {
  const files = manyJobs(40, "H * * * *", { timezone: "Europe/Berlin", ...config });
  TIMES.forEach((time, t) => {
    files[`bin/mixed-${t}.sh`] = pod(...Array.from({ length: 5 }, (_, i) => ["package: demo-cron", `time: ${time}`, `params: --mixed ${t}-${i}`]));
  });
  return files;
}

/** A permutation of `items` from a small seeded generator (the same for the same seed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed * 2654435761 >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function build(files: Record<string, string>, seed: number): Promise<string> {
  const entries = shuffled(Object.entries(files), seed);
  const root = await makeProject(Object.fromEntries(entries));
  try {
    const result = await generate({ root, action: "dry-run" });
    assert.equal(result.errorCount, 0, JSON.stringify(result.diagnostics.slice(0, 2)));
    return result.files.map((f) => `${f.path}\n${f.content}`).join("\n");
  } finally {
    await removeProject(root);
  }
}

/** Registers, for both spread modes, a test that `rebuilds` rebuilds give identical files. */
export function defineDeterminismCases(rebuilds: number): void {
  for (const spread of ["hash", "balanced"] as const) {
    describe(`spread "${spread}"`, () => {
      it(`gives byte-identical cron.d files on ${rebuilds} rebuilds`, { timeout: 240_000 }, async () => {
        const files = project({ spread });
        const first = await build(files, 1);
        assert.match(first, /\n\d+ \d+ \* \* [1-5] root /, "H forms were resolved");
        assert.doesNotMatch(first, /(^|\n)H/, "no H reaches a cron.d file");
        for (let i = 2; i <= rebuilds; i++) assert.equal(await build(files, i), first, `rebuild ${i}`);
        console.log(`# spread "${spread}": ${rebuilds} rebuilds byte-identical (${first.length} bytes)`);
      });
    });
  }
}
