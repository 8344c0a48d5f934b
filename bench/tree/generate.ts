/**
 * Writes a synthetic monorepo of exactly `files` files, deterministic from a seed: scripts in
 * five languages (about 10% with METADATA, 1-3 jobs each, one in 20 of those with one planted
 * error), JSON, Markdown, binaries, minified bundles of 1-5 MB, deep node_modules trees and a
 * .git directory (which cronmeta and grep must skip), and a debian/ directory with control and
 * install files for 30 packages. Returns a manifest with what lint must find.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  BROKEN_KINDS,
  EXTENSION,
  LANGUAGES,
  SAFE_TIMES,
  binary,
  bundle,
  crontabMention,
  jsonData,
  markdown,
  minifiedPool,
  script,
  type JobSpec,
} from "./content.js";
import { Rng } from "./rng.js";

/** Bump when the generated content changes, so that cached trees are rebuilt. */
export const GENERATOR_VERSION = 5;
/** Number of Debian binary packages in the synthetic debian/control. */
export const PACKAGE_COUNT = 30;
/** Share of scripts that carry METADATA, and of those, the share with a planted error. */
const METADATA_SHARE = 0.1;
/** Every BROKEN_EVERY-th METADATA file (from the third) gets one planted error, cycling through the kinds. */
const BROKEN_EVERY = 20;
/** Files per directory, about (real trees keep directories small). */
const DIR_SIZE = 60;

/** What a generated tree contains and what `cronmeta lint` must report on it. */
export interface TreeManifest {
  generatorVersion: number;
  seed: number;
  files: number;
  bytes: number;
  counts: Record<string, number>;
  /** Files outside node_modules and .git that contain `=head1 METADATA` or `@crontab` (grep's answer). */
  grepCandidates: number;
  expected: {
    /** Files with a METADATA block or @crontab tags (outside skipped directories). */
    metadataFiles: number;
    /** Valid jobs (`jobCount` of `lint --format json`). */
    jobs: number;
    /** Planted errors: one per broken file, each in a `*-wip.*` file. */
    errors: number;
    warnings: number;
    /** Planted errors by rule id. */
    errorsByRule: Record<string, number>;
    /** Jobs `gen` writes with the gen config (broken files excluded): same as `jobs`. */
    genJobs: number;
  };
}

/** Package names of the synthetic project. */
export function packageName(index: number): string {
  return `acme-svc${String(index + 1).padStart(2, "0")}`;
}

class TreeWriter {
  bytes = 0;
  written = 0;
  private readonly dirs = new Set<string>();

  constructor(readonly root: string) {}

  write(path: string, content: string | Buffer): void {
    const full = join(this.root, path);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(full, content);
    this.bytes += typeof content === "string" ? Buffer.byteLength(content) : content.length;
    this.written += 1;
  }
}

function debianFiles(out: TreeWriter): void {
  const stanzas = Array.from({ length: PACKAGE_COUNT }, (_, i) =>
    `Package: ${packageName(i)}\nArchitecture: all\nDepends: \${misc:Depends}, \${cronmeta:Depends}, perl, python3, nodejs\nDescription: service ${i + 1} of the acme monorepo\n The scripts and cron jobs of service ${i + 1}.\n`,
  );
  out.write(
    "debian/control",
    `Source: acme\nSection: misc\nPriority: optional\nMaintainer: Acme Ops <ops@example.org>\nBuild-Depends: debhelper-compat (= 13)\nStandards-Version: 4.6.2\n\n${stanzas.join("\n")}`,
  );
  out.write("debian/changelog", "acme (1.0-1) unstable; urgency=medium\n\n  * Synthetic benchmark tree.\n\n -- Acme Ops <ops@example.org>  Sat, 28 Nov 2026 06:00:00 +0000\n");
  out.write("debian/rules", "#!/usr/bin/make -f\n%:\n\tdh $@\n\nexecute_before_dh_installcron:\n\tcronmeta gen\n");
  out.write("debian/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nFiles: *\nCopyright: 2026 Acme\nLicense: MIT\n");
  out.write("debian/source/format", "3.0 (native)\n");
  for (let i = 0; i < PACKAGE_COUNT; i++) {
    const svc = `services/svc${String(i + 1).padStart(2, "0")}`;
    out.write(`debian/${packageName(i)}.install`, `${svc}/bin/* usr/share/${packageName(i)}/bin\n${svc}/lib usr/share/${packageName(i)}\n`);
  }
}

function nodeModules(out: TreeWriter, rng: Rng, count: number, prefix: string): void {
  let made = 0;
  let pkg = 0;
  while (made < count) {
    // node_modules/<a>/node_modules/<b>/node_modules/<c>/lib/...: nesting as npm leaves it.
    const depth = rng.int(1, 4);
    let dir = prefix;
    for (let d = 0; d < depth; d++) dir += `${d === 0 ? "" : "/"}node_modules/${rng.word(rng.int(3, 9))}`;
    dir += `-${pkg}`; // unique, so that no file is written twice
    const files = Math.min(count - made, rng.int(3, 25));
    for (let f = 0; f < files; f++) {
      const path = f === 0 ? `${dir}/package.json` : `${dir}/lib/${rng.word(6)}-${f}.js`;
      // A vendored cron library documents its own @crontab tags: must never count as jobs.
      const content =
        f === 0
          ? `{"name": "${rng.word(8)}", "version": "1.${pkg}.0", "main": "lib/index.js"}\n`
          : f === 1 && pkg % 7 === 0
            ? `/**\n * @crontab\n *   package: vendored\n *   time: 0 0 * * *\n */\nmodule.exports = 1;\n`
            : `"use strict";\nmodule.exports = function ${rng.word(6)}(a, b) { return a + b * ${rng.int(1, 99)}; };\n`;
      out.write(path, content);
      made += 1;
    }
    pkg += 1;
  }
}

/** Splits `count` files into directories of about DIR_SIZE under `base`. */
function dirOf(base: string, index: number): string {
  return `${base}/d${String(Math.floor(index / DIR_SIZE)).padStart(4, "0")}`;
}

/** Generates the tree at `root` (replacing what was there) unless an identical one exists. */
export function generateTree(root: string, files: number, seed: number): TreeManifest {
  const manifestPath = `${root}.manifest.json`;
  if (existsSync(manifestPath) && existsSync(root)) {
    const old = JSON.parse(readFileSync(manifestPath, "utf8")) as TreeManifest;
    if (old.generatorVersion === GENERATOR_VERSION && old.seed === seed && old.files === files) return old;
  }
  rmSync(root, { recursive: true, force: true });
  rmSync(manifestPath, { force: true });
  const rng = new Rng(seed ^ Math.imul(files, 2246822519));
  const out = new TreeWriter(root);
  const counts: Record<string, number> = {};
  const count = (kind: string, n = 1): void => {
    counts[kind] = (counts[kind] ?? 0) + n;
  };
  const expected: TreeManifest["expected"] = { metadataFiles: 0, jobs: 0, errors: 0, warnings: 0, errorsByRule: {}, genJobs: 0 };
  let grepCandidates = 0;

  out.write("package.json", `{"name": "acme", "private": true, "version": "1.0.0", "workspaces": ["services/*", "web"]}\n`);
  out.write("README.md", "# acme\n\nThe acme monorepo (synthetic benchmark tree).\n");
  out.write(".gitignore", "node_modules/\n");
  debianFiles(out);
  count("debian+root", out.written);

  const bundles = Math.max(1, Math.round(files / 2000));
  const noise = {
    nodeModules: Math.round(files * 0.25),
    git: Math.round(files * 0.02),
    json: Math.round(files * 0.1),
    markdown: Math.round(files * 0.04),
    binary: Math.round(files * 0.04),
    mentions: Math.max(1, Math.round(files * 0.0005)),
  };
  const fixed = out.written + bundles + Object.values(noise).reduce((a, b) => a + b, 0);
  const scripts = files - fixed;
  if (scripts < 100) throw new Error(`${files} files are too few for a synthetic tree`);

  // Minified bundles, 1-5 MB; the first one carries "@crontab" in a string (bundled help text):
  // grep counts it, but no comment holds a tag.
  const pool = minifiedPool(rng.fork(1), 400_000);
  const bundleRng = rng.fork(2);
  for (let i = 0; i < bundles; i++) {
    const extra = i === 0 ? 'var help="add a @crontab tag to a JSDoc comment"' : "";
    if (i === 0) grepCandidates += 1;
    const text = bundle(bundleRng, pool, bundleRng.int(1_000_000, 5_000_000), extra);
    out.write(`web/dist/assets/chunk-${String(i).padStart(3, "0")}.${bundleRng.word(8)}.min.js`, text);
  }
  count("bundle", bundles);

  const nmRng = rng.fork(3);
  nodeModules(out, nmRng, Math.round(noise.nodeModules * 0.7), "");
  nodeModules(out, nmRng, noise.nodeModules - Math.round(noise.nodeModules * 0.7), "web/");
  count("node_modules", noise.nodeModules);

  const gitRng = rng.fork(4);
  for (let i = 0; i < noise.git; i++) {
    out.write(`.git/objects/${gitRng.word(2)}/${gitRng.word(38)}`, gitRng.bytes(gitRng.int(100, 4000)));
  }
  count("git", noise.git);

  const dataRng = rng.fork(5);
  for (let i = 0; i < noise.json; i++) out.write(`${dirOf("data", i)}/${dataRng.word(8)}-${i}.json`, jsonData(dataRng, dataRng.int(200, 8000)));
  count("json", noise.json);
  for (let i = 0; i < noise.markdown; i++) out.write(`${dirOf("docs", i)}/${dataRng.word(8)}-${i}.md`, markdown(dataRng, dataRng.int(300, 6000)));
  count("markdown", noise.markdown);
  for (let i = 0; i < noise.binary; i++) out.write(`${dirOf("assets/img", i)}/${dataRng.word(8)}-${i}.png`, binary(dataRng, dataRng.int(500, 40_000)));
  count("binary", noise.binary);
  for (let i = 0; i < noise.mentions; i++) out.write(`tools/scheduling/help-${i}.js`, crontabMention(dataRng));
  count("crontab-mention", noise.mentions);
  grepCandidates += noise.mentions;

  const scriptRng = rng.fork(6);
  for (let i = 0; i < scripts; i++) {
    const language = LANGUAGES[i % LANGUAGES.length] ?? "perl";
    const svcIndex = scriptRng.int(0, PACKAGE_COUNT - 1);
    const svc = `services/svc${String(svcIndex + 1).padStart(2, "0")}`;
    const withMetadata = scriptRng.chance(METADATA_SHARE);
    const size = Math.round(Math.exp(scriptRng.next() * Math.log(16_000 / 400)) * 400); // 400 B-16 KB, log-uniform
    if (!withMetadata) {
      out.write(`${svc}/lib/d${Math.floor(i / (DIR_SIZE * PACKAGE_COUNT))}/${scriptRng.word(7)}-${i}${EXTENSION[language]}`, script(scriptRng, language, [], size));
      count(`script-${language}`);
      continue;
    }
    const jobs: JobSpec[] = [];
    const jobCount = scriptRng.int(1, 3);
    for (let j = 0; j < jobCount; j++) {
      jobs.push({
        package: packageName(svcIndex),
        time: scriptRng.pick(SAFE_TIMES),
        params: jobCount === 1 && scriptRng.chance(0.5) ? "" : `--shard ${j} --of ${jobCount}`,
        description: `shard ${j} of ${scriptRng.word(6)}`,
      });
    }
    const broken = expected.metadataFiles % BROKEN_EVERY === 2;
    if (broken) {
      const kind = BROKEN_KINDS[Math.floor(expected.metadataFiles / BROKEN_EVERY) % BROKEN_KINDS.length] ?? BROKEN_KINDS[0];
      const job = scriptRng.pick(jobs);
      if ("replaceTime" in kind) job.time = kind.replaceTime;
      if ("extraLine" in kind) job.brokenLine = kind.extraLine;
      if ("replacePackage" in kind) job.package = kind.replacePackage;
      expected.errors += 1;
      expected.errorsByRule[kind.rule] = (expected.errorsByRule[kind.rule] ?? 0) + 1;
    } else {
      expected.jobs += jobs.length;
    }
    expected.metadataFiles += 1;
    grepCandidates += 1;
    out.write(`${svc}/bin/job-${i}${broken ? "-wip" : ""}${EXTENSION[language]}`, script(scriptRng, language, jobs, size));
    count(`metadata-${language}`);
  }
  expected.genJobs = expected.jobs;
  if (out.written !== files) throw new Error(`generator bug: wrote ${out.written} files, wanted ${files}`);

  const manifest: TreeManifest = { generatorVersion: GENERATOR_VERSION, seed, files, bytes: out.bytes, counts, grepCandidates, expected };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(genConfigPath(root), `${JSON.stringify({ exclude: ["**/*-wip.*"] }, null, 2)}\n`);
  return manifest;
}

/**
 * The config `gen` runs with: the planted errors stop gen before it renders anything, so gen
 * excludes the work-in-progress files that carry them (kept outside the tree).
 */
export function genConfigPath(root: string): string {
  return `${root}.gen-config.json`;
}
