// A small run of the benchmark harness (1,000 files, one repetition, a few switchman starts),
// with the start-up floors and targets of issue 14,
// so that `npm run bench` cannot rot: the synthetic tree is what its manifest says, lint and
// gen find exactly the planted jobs and errors, grep finds the candidates, and the results are
// sane JSON and Markdown. Needs the built executables (`npm run build`), GNU time (Debian
// package time) and ZooKeeper (Debian package zookeeper).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBench, type BenchResults } from "../../../bench/harness.js";
import { requireGnuTime } from "../../../bench/measure.js";
import { markdownReport } from "../../../bench/report.js";
import { builtBin, cronmetaBin, switchmanBin } from "../../helpers/paths.js";

test("bench smoke run: 1,000 files, one repetition", { timeout: 120_000 }, async () => {
  requireGnuTime();
  for (const bin of [cronmetaBin, switchmanBin]) builtBin(bin);
  const work = mkdtempSync(join(tmpdir(), "cronmeta-bench-smoke-"));
  let results: BenchResults;
  try {
    results = await runBench({
      sizes: [1000],
      reps: 1,
      seed: 1,
      workDir: work,
      cronmetaBin,
      switchmanBin,
      switchmanRuns: 3,
      zookeeper: true,
      removeTrees: true,
      log: () => undefined,
    });
    assert.deepEqual(readdirSync(join(work, "trees")).filter((f) => !f.endsWith(".json")), [], "the tree is removed");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // The results survive a JSON round trip (what docs/benchmarks.json holds).
  assert.deepEqual(JSON.parse(JSON.stringify(results)), results);
  assert.equal(results.sizes.length, 1);
  const size = results.sizes[0];
  assert.ok(size);
  const { manifest, checks } = size;

  // The tree: exactly 1,000 files, about 10% of the scripts with METADATA, planted errors of every kind.
  assert.equal(manifest.files, 1000);
  assert.ok(manifest.expected.metadataFiles >= 30 && manifest.expected.metadataFiles <= 90, `${manifest.expected.metadataFiles} METADATA files`);
  assert.ok(manifest.expected.jobs >= manifest.expected.metadataFiles, "1-3 jobs per file");
  assert.deepEqual(Object.keys(manifest.expected.errorsByRule).sort(), ["cron-time-invalid", "metadata-unknown-key", "package-unknown"]);
  assert.ok(manifest.counts.bundle === 1 && (manifest.counts.node_modules ?? 0) > 0);

  // What lint, gen and grep found is what the tree holds (the vendored @crontab tags under
  // node_modules and the @crontab in a bundle's string are not jobs).
  assert.deepEqual(checks.problems, []);
  assert.equal(checks.ok, true);
  assert.equal(checks.lintJobs, manifest.expected.jobs);
  assert.equal(checks.lintErrors, manifest.expected.errors);
  assert.equal(checks.lintWarnings, 0);
  assert.equal(checks.genJobs, manifest.expected.jobs);
  assert.equal(checks.grepFiles, manifest.grepCandidates);

  // Sane measurements: node needs more than 10 MB and some CPU; ratios are the medians' quotients.
  for (const summary of [size.grep, size.lint, size.gen]) {
    assert.equal(summary.runs, 1);
    assert.ok(summary.wallMs > 0 && summary.wallMs < 60_000, `wall ${summary.wallMs}`);
    assert.ok(summary.maxRssKb > 1000, `rss ${summary.maxRssKb}`);
  }
  assert.ok(size.lint.maxRssKb > 10_000 && size.lint.cpuMs > 0);
  assert.equal(size.ratios.lint, Math.round((size.lint.wallMs / size.grep.wallMs) * 100) / 100);
  if (size.lintCached !== null) assert.ok(size.ratios.lintCached !== null && size.ratios.lintCached > 0);

  // switchman: a start through switchman takes longer than a direct start, in both modes.
  const sw = results.switchman;
  assert.ok(sw);
  assert.ok(sw.direct.medianMs > 0);
  assert.ok((sw.local.overheadMs ?? -1) > 0, `local overhead ${sw.local.overheadMs}`);
  assert.ok(!("error" in sw.zookeeper), "error" in sw.zookeeper ? sw.zookeeper.error : "");
  assert.ok(!("error" in sw.zookeeper) && (sw.zookeeper.overheadMs ?? -1) > 0);

  // The Markdown report shows the size, the ratio and the targets.
  const markdown = markdownReport(results);
  assert.match(markdown, /^\| files \| size \| grep floor \|/);
  assert.match(markdown, /\n\| 1,000 \| \d+ MB \| /);
  assert.match(markdown, /lint ≤ 3× grep at 1,000 files: \d+\.\d\d×/);
  assert.match(markdown, /switchman, local mode \(flock\)/);

  // Issue 14: the floors of the same run and every start-up target, met or missed.
  assert.ok(results.nodeFloor && results.nodeFloor.cpuMs > 0 && results.nodeFloor.maxRssKb > 10_000);
  assert.ok(results.smallLint && results.smallLint.wallMs > results.nodeFloor.wallMs, "lint on examples/my-project takes longer than node -e 0");
  assert.ok(size.lintFreshCheckout && size.lintFreshCheckout.runs === 1);
  for (const mode of ["local", "zookeeper"] as const) {
    const cost = sw.skip?.[mode];
    assert.ok(cost && !("error" in cost), `skip path, ${mode}: ${cost && "error" in cost ? cost.error : "missing"}`);
    assert.ok(cost.skip.cpuMs >= cost.floor.cpuMs && cost.skip.maxRssKb > cost.floor.maxRssKb, `a skip costs more than node -e 0 (${mode})`);
  }
  for (const target of [
    /- lint on examples\/my-project ≤ 3× `node -e 0`: .* — (met|\*\*missed\*\*)/,
    /- lint at 1,000 files ≤ 4× grep: \d+\.\d\d× — (met|\*\*missed\*\*)/,
    /- lint at 10,000 files ≤ 2\.5× grep: not measured/,
    /- switchman skip path, local mode: CPU ≤ 1\.5× .* — (met|\*\*missed\*\*); peak RSS ≤ 45 MB: \d+ MB .* — (met|\*\*missed\*\*)/,
    /- switchman skip path, local ZooKeeper: CPU ≤ 2× /,
    /- switchman run path, local mode: overhead ≤ 80 ms: /,
    /- switchman run path, local ZooKeeper: overhead ≤ 110 ms: /,
    /- --cache on a fresh checkout ≤ 1\.5× grep at 100,000 files: not measured/,
  ]) {
    assert.match(markdown, target);
  }
});
