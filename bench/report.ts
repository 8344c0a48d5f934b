/**
 * The Markdown report of a benchmark run (pure: results in, text out), with the targets
 * checked at the largest size.
 */
import type { BenchResults, SizeResult } from "./harness.js";
import type { RecordCost } from "./switchman.js";

/** The targets of issue 6, checked at the largest measured size. */
export const TARGETS = { lintRatio: 3, cachedRatio: 1.5, rssMb: 300 } as const;

const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const mb = (kb: number): string => `${Math.round(kb / 1024)} MB`;
const x = (n: number | null): string => (n === null ? "–" : `${n.toFixed(2)}×`);
const files = (n: number): string => n.toLocaleString("en-US");

function row(s: SizeResult): string {
  const cached = s.lintCached ? `${ms(s.lintCached.wallMs)} (${x(s.ratios.lintCached)})` : "–";
  return `| ${files(s.files)} | ${(s.bytes / 1e6).toFixed(0)} MB | ${ms(s.grep.wallMs)} | ${ms(s.lint.wallMs)} | **${x(s.ratios.lint)}** | ${ms(s.lint.cpuMs)} | ${mb(s.lint.maxRssKb)} | ${ms(s.gen.wallMs)} (${x(s.ratios.gen)}) | ${mb(s.gen.maxRssKb)} | ${cached} | ${s.checks.ok ? "ok" : "FAILED"} |`;
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

/** The whole Markdown page. */
export function markdownReport(results: BenchResults): string {
  const out: string[] = [];
  out.push("| files | size | grep floor | lint | lint / grep | lint CPU | lint peak RSS | gen --dry-run (/ grep) | gen peak RSS | lint --cache, 2nd run (/ grep) | checks |");
  out.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
  for (const s of results.sizes) out.push(row(s));
  out.push("");
  out.push(`Medians of ${results.options.reps} run(s) each, wall time of the whole process (node start-up included). Floor: \`${results.grepCommand}\`.`);
  out.push(`cronmeta ${results.cronmetaVersion}, Node ${results.node}, ${results.machine.cpus} × ${results.machine.model}, ${results.date}.`);
  const loads = results.sizes.map((s) => `${files(s.files)}: ${s.loadBefore[0]} → ${s.loadAfter[0]}`).join(", ");
  out.push(`Load average (1 min) before → after each size: ${loads}.`);
  out.push("");
  out.push("Targets (issue 6):");
  out.push("");
  out.push(...targetLines(results));
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
    const records = sw.records;
    if (records !== undefined) {
      out.push("");
      out.push("| run records (issue 15), local ZooKeeper: spawn to exit | records on (median) | records off (median) | added (median) |");
      out.push("|---|---:|---:|---:|");
      if ("error" in records) out.push(`| – | – | – | ${records.error} |`);
      else {
        const row = (name: string, c: RecordCost): string => `| ${name} | ${c.on.medianMs} ms | ${c.off.medianMs} ms | ${c.addedMs} ms |`;
        out.push(row("run path (`/bin/true`): START and FINISH in ZooKeeper, journal, host record, textfile", records.runPath));
        out.push(row("skip path (not in the group): journal, host record, textfile; no ZooKeeper request", records.skipPath));
        out.push("");
        out.push(`${records.runPath.on.runs} runs each, records on and off alternated. Targets: run path at most +10 ms, skip path no ZooKeeper request.`);
      }
    }
  }
  return `${out.join("\n")}\n`;
}
