/**
 * The Markdown report of a benchmark run (pure: results in, text out), with the issue's targets
 * checked at the largest size.
 */
import type { BenchResults, SizeResult } from "./harness.js";
import type { RecordCost } from "./switchman.js";

/** The targets of issue 6, checked at the largest measured size. */
export const TARGETS = { lintRatio: 3, cachedRatio: 1.5, rssMb: 300 } as const;

/** The targets of issue 14 (start-up), each against its floor in the same run. */
export const START_TARGETS = {
  /** lint on examples/my-project, wall, × `node -e 0`. */
  smallLintRatio: 3,
  /** lint wall × grep, by tree size. */
  lintRatio: { 1000: 4, 10000: 2.5, 100000: 2 } as Record<number, number>,
  lintRssMb: 300,
  /** switchman's skip path, CPU × `node -e 0`. */
  skipCpuRatio: { local: 1.5, zookeeper: 2 },
  skipRssMb: 45,
  /** switchman's run path, ms added to the child's first instruction. */
  runOverheadMs: { local: 80, zookeeper: 110 },
  /** `lint --cache` on a fresh checkout of the unchanged tree, × grep, at 100,000 files. */
  freshCheckoutRatio: 1.5,
} as const;

const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const mb = (kb: number): string => `${Math.round(kb / 1024)} MB`;
const x = (n: number | null): string => (n === null ? "–" : `${n.toFixed(2)}×`);
const files = (n: number): string => n.toLocaleString("en-US");

function row(s: SizeResult): string {
  const cached = s.lintCached ? `${ms(s.lintCached.wallMs)} (${x(s.ratios.lintCached)})` : "–";
  const fresh = s.lintFreshCheckout ? `${ms(s.lintFreshCheckout.wallMs)} (${x(s.ratios.lintFreshCheckout ?? null)})` : "–";
  return `| ${files(s.files)} | ${(s.bytes / 1e6).toFixed(0)} MB | ${ms(s.grep.wallMs)} | ${ms(s.lint.wallMs)} | **${x(s.ratios.lint)}** | ${ms(s.lint.cpuMs)} | ${mb(s.lint.maxRssKb)} | ${ms(s.gen.wallMs)} (${x(s.ratios.gen)}) | ${mb(s.gen.maxRssKb)} | ${cached} | ${fresh} | ${s.checks.ok ? "ok" : "FAILED"} |`;
}

/** Pass/fail lines for the targets, judged at the largest size. */
export function targetLines(results: BenchResults): string[] {
  const largest = results.sizes.at(-1);
  if (largest === undefined) return [];
  const lines: string[] = [];
  const mark = (ok: boolean): string => (ok ? "met" : "**missed**");
  lines.push(`- lint ≤ ${TARGETS.lintRatio}× grep at ${files(largest.files)} files: ${x(largest.ratios.lint)} — ${mark(largest.ratios.lint <= TARGETS.lintRatio)}`);
  lines.push(`- peak RSS of lint < ${TARGETS.rssMb} MB at ${files(largest.files)} files: ${mb(largest.lint.maxRssKb)} — ${mark(largest.lint.maxRssKb / 1024 < TARGETS.rssMb)}`);
  if (largest.ratios.lintCached !== null) {
    lines.push(`- second run with --cache ≤ ${TARGETS.cachedRatio}× grep: ${x(largest.ratios.lintCached)} — ${mark(largest.ratios.lintCached <= TARGETS.cachedRatio)}`);
  } else {
    lines.push("- second run with --cache: not measured (this build has no `lint --cache`)");
  }
  const first = results.sizes[0];
  if (first !== undefined && first !== largest) {
    const growth = largest.files / first.files;
    lines.push(
      `- growth from ${files(first.files)} to ${files(largest.files)} files (${growth}× the files): lint wall ${x(largest.lint.wallMs / first.lint.wallMs)}, ` +
        `lint CPU ${x(largest.lint.cpuMs / first.lint.cpuMs)}, grep ${x(largest.grep.wallMs / first.grep.wallMs)}, peak RSS ${x(largest.lint.maxRssKb / first.lint.maxRssKb)}`,
    );
  }
  return lines;
}

const markOf = (ok: boolean): string => (ok ? "met" : "**missed**");

/** Met/missed lines for every target of issue 14; a target whose measurement is not in this run says so. */
export function startTargetLines(results: BenchResults): string[] {
  const t = START_TARGETS;
  const lines: string[] = [];
  const floor = results.nodeFloor;
  const small = results.smallLint;
  if (floor !== undefined && small !== undefined) {
    const r = small.wallMs / floor.wallMs;
    lines.push(`- lint on examples/my-project ≤ ${t.smallLintRatio}× \`node -e 0\`: ${ms(small.wallMs)} / ${ms(floor.wallMs)} = ${x(r)} — ${markOf(r <= t.smallLintRatio)}`);
  } else lines.push("- lint on examples/my-project: not measured");
  for (const [size, limit] of Object.entries(t.lintRatio).map(([k, v]) => [Number(k), v] as const)) {
    const s = results.sizes.find((z) => z.files === size);
    if (s === undefined) {
      lines.push(`- lint at ${files(size)} files ≤ ${limit}× grep: not measured (size not in this run)`);
      continue;
    }
    lines.push(`- lint at ${files(size)} files ≤ ${limit}× grep: ${x(s.ratios.lint)} — ${markOf(s.ratios.lint <= limit)}`);
    if (size === 100000) lines.push(`- peak RSS of lint < ${t.lintRssMb} MB at ${files(size)} files: ${mb(s.lint.maxRssKb)} — ${markOf(s.lint.maxRssKb / 1024 < t.lintRssMb)}`);
  }
  const sw = results.switchman;
  const skip = sw?.skip;
  for (const mode of ["local", "zookeeper"] as const) {
    const name = mode === "local" ? "local mode" : "local ZooKeeper";
    const cost = skip?.[mode];
    if (cost === undefined || "error" in cost) {
      lines.push(`- switchman skip path, ${name}: not measured${cost !== undefined && "error" in cost ? ` (${cost.error})` : ""}`);
      continue;
    }
    lines.push(
      `- switchman skip path, ${name}: CPU ≤ ${t.skipCpuRatio[mode]}× \`node -e 0\`: ${ms(cost.skip.cpuMs)} / ${ms(cost.floor.cpuMs)} = ${x(cost.cpuRatio)} — ${markOf(cost.cpuRatio <= t.skipCpuRatio[mode])}; ` +
        `peak RSS ≤ ${t.skipRssMb} MB: ${mb(cost.skip.maxRssKb)} (\`node -e 0\`: ${mb(cost.floor.maxRssKb)}) — ${markOf(cost.skip.maxRssKb / 1024 <= t.skipRssMb)}`,
    );
  }
  if (sw) {
    const local = sw.local.overheadMs;
    if (local !== undefined) lines.push(`- switchman run path, local mode: overhead ≤ ${t.runOverheadMs.local} ms: ${ms(local)} — ${markOf(local <= t.runOverheadMs.local)}`);
    const zk = sw.zookeeper;
    if ("error" in zk) lines.push(`- switchman run path, local ZooKeeper: not measured (${zk.error})`);
    else if (zk.overheadMs !== undefined) lines.push(`- switchman run path, local ZooKeeper: overhead ≤ ${t.runOverheadMs.zookeeper} ms: ${ms(zk.overheadMs)} — ${markOf(zk.overheadMs <= t.runOverheadMs.zookeeper)}`);
  } else lines.push("- switchman run path: not measured (--no-switchman)");
  const big = results.sizes.find((z) => z.files === 100000);
  const fresh = big?.ratios.lintFreshCheckout;
  if (big === undefined) lines.push(`- --cache on a fresh checkout ≤ ${t.freshCheckoutRatio}× grep at 100,000 files: not measured (size not in this run)`);
  else if (fresh === undefined || fresh === null) lines.push("- --cache on a fresh checkout: not measured (this build has no `lint --cache`)");
  else lines.push(`- --cache on a fresh checkout ≤ ${t.freshCheckoutRatio}× grep at 100,000 files: ${x(fresh)} — ${markOf(fresh <= t.freshCheckoutRatio)}`);
  return lines;
}

/** The whole Markdown page. */
export function markdownReport(results: BenchResults): string {
  const out: string[] = [];
  out.push("| files | size | grep floor | lint | lint / grep | lint CPU | lint peak RSS | gen --dry-run (/ grep) | gen peak RSS | lint --cache, 2nd run (/ grep) | lint --cache, fresh checkout (/ grep) | checks |");
  out.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
  for (const s of results.sizes) out.push(row(s));
  out.push("");
  out.push(`Medians of ${results.options.reps} run(s) each, wall time of the whole process (node start-up included). Floor: \`${results.grepCommand}\`.`);
  if (results.nodeFloor !== undefined && results.smallLint !== undefined) {
    const f = results.nodeFloor;
    const l = results.smallLint;
    out.push("");
    out.push("| start-up floor and small project | wall | CPU | peak RSS |");
    out.push("|---|---:|---:|---:|");
    out.push(`| \`node -e 0\` | ${ms(f.wallMs)} | ${ms(f.cpuMs)} | ${mb(f.maxRssKb)} |`);
    out.push(`| \`cronmeta lint\` on examples/my-project (11 scripts) | ${ms(l.wallMs)} | ${ms(l.cpuMs)} | ${mb(l.maxRssKb)} |`);
    out.push("");
    out.push(`${f.runs} runs each, alternated. Every measured process runs without NODE_EXTRA_CA_CERTS (it makes each Node start read a CA bundle).`);
  }
  out.push(`cronmeta ${results.cronmetaVersion}, Node ${results.node}, ${results.machine.cpus} × ${results.machine.model}, ${results.date}.`);
  const loads = results.sizes.map((s) => `${files(s.files)}: ${s.loadBefore[0]} → ${s.loadAfter[0]}`).join(", ");
  out.push(`Load average (1 min) before → after each size: ${loads}.`);
  out.push("");
  out.push("Targets (issue 6):");
  out.push("");
  out.push(...targetLines(results));
  out.push("");
  out.push("Targets (issue 14, start-up; each against its floor in the same run):");
  out.push("");
  out.push(...startTargetLines(results));
  const failed = results.sizes.filter((s) => !s.checks.ok);
  if (failed.length > 0) {
    out.push("");
    for (const s of failed) out.push(`- checks FAILED at ${files(s.files)} files: ${s.checks.problems.join("; ")}`);
  }
  if (results.switchman) {
    const sw = results.switchman;
    out.push("");
    out.push("| start of `/bin/echo x` (to its first byte on stdout) | median | min | max | overhead (median) |");
    out.push("|---|---:|---:|---:|---:|");
    out.push(`| directly | ${sw.direct.medianMs} ms | ${sw.direct.minMs} ms | ${sw.direct.maxMs} ms | – |`);
    out.push(`| switchman, local mode (flock) | ${sw.local.medianMs} ms | ${sw.local.minMs} ms | ${sw.local.maxMs} ms | ${sw.local.overheadMs} ms |`);
    const zk = sw.zookeeper;
    if ("error" in zk) out.push(`| switchman, local ZooKeeper | – | – | – | ${zk.error} |`);
    else out.push(`| switchman, local ZooKeeper (session, group read, lock create) | ${zk.medianMs} ms | ${zk.minMs} ms | ${zk.maxMs} ms | ${zk.overheadMs} ms |`);
    out.push("");
    out.push(`${sw.direct.runs} runs each after one warm-up.`);
    const skip = sw.skip;
    if (skip !== undefined) {
      out.push("");
      out.push("| switchman skip path (host not in the group), whole process | CPU | peak RSS | `node -e 0` CPU (same loop) | CPU / `node -e 0` |");
      out.push("|---|---:|---:|---:|---:|");
      for (const [name, cost] of [["local mode", skip.local], ["local ZooKeeper (session, group read)", skip.zookeeper]] as const) {
        if ("error" in cost) out.push(`| ${name} | – | – | – | ${cost.error} |`);
        else out.push(`| ${name} | ${ms(cost.skip.cpuMs)} | ${mb(cost.skip.maxRssKb)} | ${ms(cost.floor.cpuMs)} | ${x(cost.cpuRatio)} |`);
      }
      out.push("");
      out.push("Medians; CPU is user + system from bash's time (1 ms resolution); run records on, as on a box.");
    }
    const records = sw.records;
    if (records !== undefined) {
      out.push("");
      out.push("| run records (issue 15), local ZooKeeper: spawn to exit | records on (median) | records off (median) | difference of the medians | added (median of the pairs' differences) |");
      out.push("|---|---:|---:|---:|---:|");
      if ("error" in records) out.push(`| – | – | – | – | ${records.error} |`);
      else {
        const row = (name: string, c: RecordCost): string => `| ${name} | ${c.on.medianMs} ms | ${c.off.medianMs} ms | ${c.differenceOfMediansMs} ms | ${c.addedMs} ms |`;
        out.push(row("run path (`/bin/true`): START and FINISH in ZooKeeper, journal, host record, textfile", records.runPath));
        out.push(row("skip path (not in the group): journal, host record, textfile; no ZooKeeper request", records.skipPath));
        out.push("");
        out.push(
          `${records.runPath.on.runs} pairs, records on and off back to back, taking turns at going first. Target (issue 15): the run path's added time at most 10 ms: ${records.runPath.addedMs} ms — ${records.runPath.addedMs <= 10 ? "met" : "**missed**"}; the skip path makes no ZooKeeper request (its records are the journal line and the host files).`,
        );
      }
    }
  }
  return `${out.join("\n")}\n`;
}
