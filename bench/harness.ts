/**
 * The benchmark (issue 6): on synthetic trees of each size, runs `cronmeta lint`,
 * `cronmeta gen --dry-run`, `cronmeta lint --cache` (when the build has it) and the grep floor
 * as whole processes, interleaved, several times; checks what lint found against the tree's
 * manifest; then measures switchman's start-up overhead. Returns data; bench/run.ts prints.
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { measure, summarise, type Run, type Summary } from "./measure.js";
import { measureSwitchman, startEnv, type SwitchmanResults } from "./switchman.js";
import { genConfigPath, generateTree, type TreeManifest } from "./tree/generate.js";

/** What to run. */
export interface BenchOptions {
  sizes: number[];
  /** Measured runs of each command per size (after one warm-up run). */
  reps: number;
  seed: number;
  /** Where trees and caches go (bench/out by default). */
  workDir: string;
  /** The compiled cronmeta executable (dist/cli/cronmeta.js). */
  cronmetaBin: string;
  /** The compiled switchman executable; undefined skips the switchman measurement. */
  switchmanBin?: string;
  switchmanRuns: number;
  zookeeper: boolean;
  /** Remove each tree after measuring it. */
  removeTrees: boolean;
  /** Progress lines. */
  log: (line: string) => void;
}

/** What lint/gen found compared with what the tree holds. */
export interface Checks {
  lintJobs: number;
  lintErrors: number;
  lintWarnings: number;
  lintErrorsByRule: Record<string, number>;
  genJobs: number;
  grepFiles: number;
  /** Lint found exactly the planted jobs and errors, gen wrote every job, cached lint printed the same report. */
  ok: boolean;
  problems: string[];
}

/** The results for one tree size. */
export interface SizeResult {
  files: number;
  bytes: number;
  manifest: TreeManifest;
  loadBefore: number[];
  loadAfter: number[];
  grep: Summary;
  lint: Summary;
  gen: Summary;
  /** First `lint --cache` run on a tree without a cache (writes it); null when the build has no --cache. */
  lintCacheCold: Summary | null;
  /** `lint --cache` with a warm cache on the unchanged tree. */
  lintCached: Summary | null;
  /**
   * `lint --cache` on a fresh copy of the tree (new inodes, ctimes and mtimes, the same contents,
   * as a CI checkout) with the cache the original tree left (issue 14); absent in older results.
   */
  lintFreshCheckout?: Summary | null;
  ratios: { lint: number; gen: number; lintCached: number | null; lintFreshCheckout?: number | null };
  checks: Checks;
}

/** Everything a run produced. */
export interface BenchResults {
  format: 1;
  date: string;
  node: string;
  cronmetaVersion: string;
  machine: { cpus: number; model: string };
  options: { sizes: number[]; reps: number; seed: number; switchmanRuns: number; cronmetaBin: string };
  grepCommand: string;
  /** `node -e 0`, the floor of every Node start (absent in results before issue 14). */
  nodeFloor?: Summary;
  /** `cronmeta lint` on examples/my-project (11 scripts), interleaved with the floor. */
  smallLint?: Summary;
  sizes: SizeResult[];
  switchman: SwitchmanResults | null;
}

const GREP_PATTERN = "=head1 METADATA|@crontab";
/** Same exclusions as cronmeta's scanner (.git and node_modules at any depth; the tree has no debian/<pkg>/ build trees). */
const GREP_ARGS = ["-rlE", "--exclude-dir=node_modules", "--exclude-dir=.git", GREP_PATTERN, "."];

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

function cronmetaVersion(bin: string): string {
  const r = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
  return r.stdout.trim();
}

function supportsCache(bin: string): boolean {
  const r = spawnSync(process.execPath, [bin, "lint", "--help"], { encoding: "utf8" });
  return r.stdout.includes("--cache");
}

interface LintJson {
  jobCount: number;
  errorCount: number;
  warningCount: number;
  diagnostics: Array<{ rule: string; severity: string }>;
}

function check(manifest: TreeManifest, lint: Run, gen: Run, grep: Run, cached: Run | undefined, fresh: Run | undefined): Checks {
  const problems: string[] = [];
  let report: LintJson = { jobCount: -1, errorCount: -1, warningCount: -1, diagnostics: [] };
  try {
    report = JSON.parse(lint.stdout) as LintJson;
  } catch {
    problems.push(`lint printed no JSON (exit ${lint.exitCode}): ${lint.stderr.slice(0, 500)}`);
  }
  const byRule: Record<string, number> = {};
  for (const d of report.diagnostics) if (d.severity === "error") byRule[d.rule] = (byRule[d.rule] ?? 0) + 1;
  const genJobs = gen.stdout.split("\n").filter((l) => /^# \S+:\d+/.test(l)).length;
  const grepFiles = grep.stdout.split("\n").filter((l) => l !== "").length;
  const { expected } = manifest;
  if (report.jobCount !== expected.jobs) problems.push(`lint found ${report.jobCount} jobs, the tree has ${expected.jobs}`);
  if (report.errorCount !== expected.errors) problems.push(`lint found ${report.errorCount} errors, the tree has ${expected.errors}`);
  // cron-stampede (issue 19) warns where the tree's random schedules happen to pile up on one
  // minute; that is not planted, so those warnings are counted apart, never as a failure.
  const stampedes = report.diagnostics.filter((d) => d.severity === "warning" && d.rule === "cron-stampede").length;
  if (report.warningCount - stampedes !== expected.warnings) problems.push(`lint found ${report.warningCount - stampedes} warnings (and ${stampedes} cron-stampede), the tree has ${expected.warnings}`);
  if (JSON.stringify(Object.entries(byRule).sort()) !== JSON.stringify(Object.entries(expected.errorsByRule).sort())) {
    problems.push(`errors by rule ${JSON.stringify(byRule)}, planted ${JSON.stringify(expected.errorsByRule)}`);
  }
  if (lint.exitCode !== (expected.errors > 0 ? 1 : 0)) problems.push(`lint exited ${lint.exitCode}`);
  if (gen.exitCode !== 0) problems.push(`gen --dry-run exited ${gen.exitCode}: ${gen.stderr.slice(0, 500)}`);
  if (genJobs !== expected.genJobs) problems.push(`gen --dry-run listed ${genJobs} jobs, the tree has ${expected.genJobs}`);
  if (grepFiles !== manifest.grepCandidates) problems.push(`grep listed ${grepFiles} files, the tree has ${manifest.grepCandidates} candidates`);
  if (cached !== undefined && cached.stdout !== lint.stdout) problems.push("lint --cache printed a different report than lint");
  if (fresh !== undefined && fresh.stdout !== lint.stdout) problems.push("lint --cache on the fresh checkout printed a different report than lint");
  return {
    lintJobs: report.jobCount,
    lintErrors: report.errorCount,
    lintWarnings: report.warningCount,
    lintErrorsByRule: byRule,
    genJobs,
    grepFiles,
    ok: problems.length === 0,
    problems,
  };
}

async function benchSize(files: number, options: BenchOptions, withCache: boolean): Promise<SizeResult> {
  const { log } = options;
  const root = join(options.workDir, "trees", `s${options.seed}-n${files}`);
  const started = performance.now();
  const manifest = generateTree(root, files, options.seed);
  log(`${files} files: tree ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${(manifest.bytes / 1e6).toFixed(0)} MB) at ${root}`);
  const cacheFile = join(options.workDir, "cache", `s${options.seed}-n${files}.json`);
  rmSync(cacheFile, { force: true });

  const node = process.execPath;
  const env = startEnv();
  const grepEnv = { ...env, LC_ALL: "C" };
  const grep = (): Promise<Run> => measure("grep", GREP_ARGS, { cwd: root, env: grepEnv });
  const lint = (): Promise<Run> => measure(node, [options.cronmetaBin, "lint", "--root", root, "--format", "json"], { cwd: root, env });
  const gen = (): Promise<Run> =>
    measure(node, [options.cronmetaBin, "gen", "--root", root, "--config", genConfigPath(root), "--dry-run"], { cwd: root, env });
  const cachedIn = (tree: string, file: string): Promise<Run> =>
    measure(node, [options.cronmetaBin, "lint", "--root", tree, "--format", "json", "--cache", "--cache-location", file], { cwd: tree, env });
  const cached = (): Promise<Run> => cachedIn(root, cacheFile);

  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  // Warm-up: the tree is in the page cache for everyone, as on a CI runner that just checked out.
  await grep();
  const firstLint = await lint();
  const runs: Record<"grep" | "lint" | "gen" | "cached", Run[]> = { grep: [], lint: [], gen: [], cached: [] };
  let cold: Run | undefined;
  if (withCache) cold = await cached();
  for (let i = 0; i < options.reps; i++) {
    runs.grep.push(await grep());
    runs.lint.push(await lint());
    runs.gen.push(await gen());
    if (withCache) runs.cached.push(await cached());
  }
  // A fresh CI checkout of the unchanged tree: every file new (inode, ctime, mtime), the same
  // bytes, and the cache the last run on the original left (restored before each run, which
  // rewrites it). Paths in the cache are relative to the root, so the copy finds its entries.
  const fresh: Run[] = [];
  if (withCache) {
    const copy = `${root}-fresh-checkout`;
    rmSync(copy, { recursive: true, force: true });
    cpSync(root, copy, { recursive: true });
    const freshCache = join(options.workDir, "cache", `s${options.seed}-n${files}-fresh.json`);
    // Warm-up: the copy's bytes into the page cache, as after a checkout.
    await measure("grep", GREP_ARGS, { cwd: copy, env: grepEnv });
    for (let i = 0; i < options.reps; i++) {
      copyFileSync(cacheFile, freshCache);
      fresh.push(await cachedIn(copy, freshCache));
    }
    rmSync(copy, { recursive: true, force: true });
    rmSync(freshCache, { force: true });
  }
  const loadAfter = loadavg().map((n) => Math.round(n * 100) / 100);
  const result: SizeResult = {
    files,
    bytes: manifest.bytes,
    manifest,
    loadBefore,
    loadAfter,
    grep: summarise(runs.grep),
    lint: summarise(runs.lint),
    gen: summarise(runs.gen),
    lintCacheCold: cold ? summarise([cold]) : null,
    lintCached: withCache ? summarise(runs.cached) : null,
    lintFreshCheckout: withCache ? summarise(fresh) : null,
    ratios: { lint: 0, gen: 0, lintCached: null },
    checks: check(manifest, runs.lint[0] ?? firstLint, runs.gen[0] as Run, runs.grep[0] as Run, runs.cached[0], fresh[0]),
  };
  result.ratios = {
    lint: ratio(result.lint.wallMs, result.grep.wallMs),
    gen: ratio(result.gen.wallMs, result.grep.wallMs),
    lintCached: result.lintCached ? ratio(result.lintCached.wallMs, result.grep.wallMs) : null,
    lintFreshCheckout: result.lintFreshCheckout ? ratio(result.lintFreshCheckout.wallMs, result.grep.wallMs) : null,
  };
  log(
    `${files} files: grep ${result.grep.wallMs} ms, lint ${result.lint.wallMs} ms (${result.ratios.lint}x, ${(result.lint.maxRssKb / 1024).toFixed(0)} MB), ` +
      `gen ${result.gen.wallMs} ms (${result.ratios.gen}x)` +
      (result.lintCached ? `, lint --cache ${result.lintCached.wallMs} ms (${result.ratios.lintCached}x), on a fresh checkout ${result.lintFreshCheckout?.wallMs} ms (${result.ratios.lintFreshCheckout}x)` : ", no --cache in this build") +
      `; load ${loadBefore[0]} -> ${loadAfter[0]}; checks ${result.checks.ok ? "ok" : result.checks.problems.join("; ")}`,
  );
  if (options.removeTrees) rmSync(root, { recursive: true, force: true });
  return result;
}

/** The small project of issue 14: examples/my-project (11 scripts). */
const SMALL_PROJECT = resolve(fileURLToPath(new URL("../examples/my-project", import.meta.url)));

/** `node -e 0` and `cronmeta lint` on examples/my-project, alternated, after one warm-up of each. */
async function startFloors(options: BenchOptions): Promise<{ nodeFloor: Summary; smallLint: Summary }> {
  const env = startEnv();
  const node = process.execPath;
  const floor = (): Promise<Run> => measure(node, ["-e", "0"], { cwd: SMALL_PROJECT, env });
  const lint = (): Promise<Run> => measure(node, [options.cronmetaBin, "lint", "--root", SMALL_PROJECT], { cwd: SMALL_PROJECT, env });
  await floor();
  const first = await lint();
  if (first.exitCode !== 0) throw new Error(`cronmeta lint on ${SMALL_PROJECT} exited ${first.exitCode}: ${first.stderr.slice(0, 500)}`);
  const floors: Run[] = [];
  const lints: Run[] = [];
  const reps = Math.max(options.reps, options.switchmanRuns);
  for (let i = 0; i < reps; i++) {
    floors.push(await floor());
    lints.push(await lint());
  }
  return { nodeFloor: summarise(floors), smallLint: summarise(lints) };
}

/** Runs the whole benchmark. */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const withCache = supportsCache(options.cronmetaBin);
  if (!existsSync(join(SMALL_PROJECT, "cronmeta.config.json"))) throw new Error(`${SMALL_PROJECT} is missing`);
  mkdirSync(join(options.workDir, "cache"), { recursive: true });
  const { nodeFloor, smallLint } = await startFloors(options);
  options.log(`node -e 0: ${nodeFloor.wallMs} ms, ${nodeFloor.cpuMs} ms CPU, ${(nodeFloor.maxRssKb / 1024).toFixed(0)} MB; lint examples/my-project: ${smallLint.wallMs} ms (${ratio(smallLint.wallMs, nodeFloor.wallMs)}x)`);
  const sizes: SizeResult[] = [];
  for (const files of options.sizes) sizes.push(await benchSize(files, options, withCache));
  let switchman: SwitchmanResults | null = null;
  if (options.switchmanBin !== undefined) {
    switchman = await measureSwitchman(options.switchmanBin, options.switchmanRuns, options.zookeeper);
    const zk = "error" in switchman.zookeeper ? switchman.zookeeper.error : `+${switchman.zookeeper.overheadMs} ms`;
    options.log(`switchman: direct ${switchman.direct.medianMs} ms, local +${switchman.local.overheadMs} ms, ZooKeeper ${zk}`);
    const skip = switchman.skip;
    if (skip !== undefined) {
      const line = (c: typeof skip.local): string => `${c.skip.cpuMs} ms CPU (${c.cpuRatio}x node -e 0), ${(c.skip.maxRssKb / 1024).toFixed(0)} MB`;
      options.log(`switchman skip path: local ${line(skip.local)}; ZooKeeper ${"error" in skip.zookeeper ? skip.zookeeper.error : line(skip.zookeeper)}`);
    }
    const records = switchman.records;
    if (records !== undefined && !("error" in records)) {
      options.log(`switchman run records: run path +${records.runPath.addedMs} ms, skip path +${records.skipPath.addedMs} ms (medians of the on - off pairs)`);
    }
  }
  return {
    format: 1,
    date: new Date().toISOString(),
    node: process.version,
    cronmetaVersion: cronmetaVersion(options.cronmetaBin),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown" },
    options: { sizes: options.sizes, reps: options.reps, seed: options.seed, switchmanRuns: options.switchmanRuns, cronmetaBin: options.cronmetaBin },
    grepCommand: `LC_ALL=C grep ${GREP_ARGS.map((a) => (a === GREP_PATTERN ? `'${a}'` : a)).join(" ")}`,
    nodeFloor,
    smallLint,
    sizes,
    switchman,
  };
}
