#!/usr/bin/env node
/**
 * Where lint's time goes, phase by phase, in one process: config, glob, read, prefilter,
 * decode + extract (POD and Babel), debian/, rules. A tool for optimising, not part of the
 * benchmark: `node --import tsx bench/phases.ts TREE` (add --cpu-prof to node for a profile).
 */
import fg from "fast-glob";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.js";
import { readDebian } from "../src/debian/read.js";
import { runRules } from "../src/lint/engine.js";
import { extractJsdoc, extractPod, fileForm } from "../src/scan/index.js";
import { FileReader } from "../src/scan/file-reader.js";
import { mayHoldJsdocTag, mayHoldPodBlock } from "../src/scan/prefilter.js";
import { alwaysIgnored } from "../src/scan/tree.js";
import type { ScannedFile } from "../src/types.js";

const root = process.argv[2];
if (root === undefined) throw new Error("usage: phases.ts TREE");

const times: Record<string, number> = {};
let mark = performance.now();
const lap = (name: string): void => {
  const now = performance.now();
  times[name] = (times[name] ?? 0) + (now - mark);
  mark = now;
};

const { config } = await loadConfig(root, undefined);
lap("config");
const paths = await fg(config.include, { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: [...alwaysIgnored(config.debianDir, fg.escapePath), ...config.exclude] });
lap("glob");
let bytes = 0;
let candidates = 0;
let jsParsed = 0;
const files: ScannedFile[] = [];
// One file at a time, so that each phase's time is its own (the real scan overlaps reads).
const reader = new FileReader();
for (const path of paths) {
  const outcome = await reader.read(join(root, path));
  lap("read");
  if (outcome.kind !== "text") continue;
  const buf = outcome.bytes;
  bytes += buf.length;
  const nl = buf.indexOf(0x0a);
  const first = buf.subarray(0, nl < 0 ? Math.min(buf.length, 1024) : Math.min(nl, 1024)).toString("latin1");
  const { form } = fileForm(path, first);
  const pass = form === "jsdoc" ? mayHoldJsdocTag(buf) : mayHoldPodBlock(buf);
  lap("prefilter");
  if (!pass) continue;
  candidates++;
  const text = new TextDecoder().decode(buf);
  if (form === "jsdoc") {
    jsParsed++;
    const r = extractJsdoc(text, path);
    if (r) files.push({ file: path, ...r });
    lap("babel");
  } else {
    const r = extractPod(text);
    if (r) files.push({ file: path, ...r });
    lap("pod");
  }
}
const debian = await readDebian(root, config.debianDir);
lap("debian");
const out = runRules({ config, debian, mode: "source", files });
lap("rules");
const total = Object.values(times).reduce((a, b) => a + b, 0);
process.stdout.write(
  `${paths.length} files, ${(bytes / 1e6).toFixed(0)} MB, ${candidates} candidates (${jsParsed} parsed with Babel), ${out.jobs.length} jobs, ${out.errorCount} errors\n` +
    Object.entries(times).map(([k, v]) => `  ${k.padEnd(10)} ${v.toFixed(0).padStart(6)} ms`).join("\n") +
    `\n  ${"total".padEnd(10)} ${total.toFixed(0).padStart(6)} ms, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB\n`,
);
