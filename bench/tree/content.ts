/**
 * The text of synthetic files: scripts in five languages (with or without METADATA), JSON,
 * Markdown, binaries and minified bundles. Realistic enough that the prefilter, the POD reader
 * and Babel do the work they do on a real monorepo; deterministic from the Rng.
 */
import type { Rng } from "./rng.js";

/** The languages of synthetic scripts and the form their METADATA takes. */
export const LANGUAGES = ["perl", "shell", "python", "js", "ts"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The file extension of each language. */
export const EXTENSION: Record<Language, string> = { perl: ".pl", shell: ".sh", python: ".py", js: ".js", ts: ".ts" };

/** One `<crontab>` / `@crontab` section to write. */
export interface JobSpec {
  package: string;
  time: string;
  params: string;
  description: string;
  /** An extra line that makes the section an error (its rule id is in `BROKEN_KINDS`). */
  brokenLine?: string;
}

/** Kinds of planted errors: the line that causes it and the rule lint reports once for it. */
export const BROKEN_KINDS = [
  { rule: "cron-time-invalid", replaceTime: "61 * * * *" },
  { rule: "metadata-unknown-key", extraLine: "colour: blue" },
  { rule: "package-unknown", replacePackage: "no-such-package" },
] as const;

/** Times that give no warning with Debian's cron semantics (one day field restricted at most). */
export const SAFE_TIMES = [
  "*/5 * * * *",
  "*/10 * * * *",
  "0 3 * * *",
  "15 */2 * * *",
  "@daily",
  "@hourly",
  "30 4 * * 1-5",
  "0 0 1 * *",
  "45 23 * * sun",
  "5,35 * * * *",
  "0 6-18/3 * * *",
  "20 2 * jan,jul *",
] as const;

function keyLines(job: JobSpec): string[] {
  const lines = [`package: ${job.package}`, `time: ${job.time}`];
  if (job.params !== "") lines.push(`params: ${job.params}`);
  lines.push(`description: ${job.description}`);
  if (job.brokenLine !== undefined) lines.push(job.brokenLine);
  return lines;
}

/** The POD METADATA block (SPEC 2.1). */
export function podBlock(jobs: JobSpec[]): string {
  const sections = jobs.map((job) => ["<crontab>", ...keyLines(job).map((l) => `    ${l}`), "</crontab>"].join("\n"));
  return `=head1 METADATA\n\n${sections.join("\n")}\n\n=cut\n`;
}

/** The JSDoc comment with one `@crontab` tag per job (SPEC 2.2); `*\/` spells a cron step. */
export function jsdocBlock(jobs: JobSpec[], summary: string): string {
  const lines = ["/**", ` * ${summary}`, " *"];
  for (const job of jobs) {
    lines.push(" * @crontab");
    for (const l of keyLines(job)) lines.push(` *   ${l.replaceAll("*/", "*\\/")}`);
  }
  lines.push(" */");
  return `${lines.join("\n")}\n`;
}

function identifier(rng: Rng): string {
  return `${rng.pick(["load", "sync", "parse", "build", "check", "send", "fetch", "index", "purge", "merge"])}${rng.pick(["Users", "Orders", "Events", "Report", "Cache", "Queue", "Index", "Batch", "Feed", "Stats"])}${rng.int(1, 999)}`;
}

/** About `bytes` of plausible code in `language` (functions, loops, strings, comments). */
export function codeBody(rng: Rng, language: Language, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const name = identifier(rng);
    const n = rng.int(2, 40);
    let chunk: string;
    switch (language) {
      case "perl":
        chunk = `# ${name}: process up to ${n} records per batch\nsub ${name} {\n    my ($self, %args) = @_;\n    my @rows = grep { defined $_->{id} } @{ $args{rows} || [] };\n    for my $row (@rows) {\n        next if $row->{skip};\n        $self->{count}++;\n        $self->log("row $row->{id} done") if $self->{verbose};\n    }\n    return scalar(@rows) > ${n} ? ${n} : scalar(@rows);\n}\n\n`;
        break;
      case "shell":
        chunk = `# ${name}: retry up to ${n} times\n${name}() {\n    local tries=0\n    while [ "$tries" -lt ${n} ]; do\n        if curl -fsS "$API/${name}" -o "$TMPDIR/${name}.json"; then\n            return 0\n        fi\n        tries=$((tries + 1))\n        sleep 1\n    done\n    echo "${name} failed" >&2\n    return 1\n}\n\n`;
        break;
      case "python":
        chunk = `def ${name}(rows, limit=${n}):\n    """Process at most ${n} rows and return the ids that changed."""\n    changed = []\n    for row in rows[:limit]:\n        if row.get("skip"):\n            continue\n        changed.append(row["id"])\n    logging.info("%s: %d rows", "${name}", len(changed))\n    return changed\n\n\n`;
        break;
      case "js":
        chunk = `// ${name}: batches of ${n}\nasync function ${name}(rows, { limit = ${n}, log = console } = {}) {\n  const changed = [];\n  for (const row of rows.slice(0, limit)) {\n    if (row.skip) continue;\n    changed.push(row.id);\n  }\n  log.info(\`${name}: \${changed.length} rows\`);\n  return changed.length > 0 ? changed : null;\n}\n\n`;
        break;
      case "ts":
        chunk = `/** ${name}: batches of ${n}. */\nexport async function ${name}(rows: Array<{ id: string; skip?: boolean }>, limit: number = ${n}): Promise<string[] | null> {\n  const changed: string[] = [];\n  for (const row of rows.slice(0, limit)) {\n    if (row.skip) continue;\n    changed.push(row.id);\n  }\n  console.info(\`${name}: \${changed.length} rows\`);\n  return changed.length > 0 ? changed : null;\n}\n\n`;
        break;
    }
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.join("");
}

/** A whole script; `jobs` empty means no METADATA. */
export function script(rng: Rng, language: Language, jobs: JobSpec[], bytes: number): string {
  const body = codeBody(rng, language, bytes);
  const summary = `${identifier(rng)}: nightly maintenance`;
  switch (language) {
    case "perl":
      return `#!/usr/bin/perl\nuse strict;\nuse warnings;\n\n${body}main() unless caller;\n\n__END__\n\n=head1 NAME\n\n${summary}\n\n${jobs.length > 0 ? podBlock(jobs) : "=cut\n"}`;
    case "shell":
      return `#!/bin/sh\nset -eu\n${jobs.length > 0 ? `: <<'=cut'\n${podBlock(jobs)}` : ""}\n${body}main "$@"\n`;
    case "python":
      return `#!/usr/bin/env python3\n"""${summary}\n\n${jobs.length > 0 ? podBlock(jobs) : ""}"""\nimport logging\nimport sys\n\n\n${body}if __name__ == "__main__":\n    sys.exit(main())\n`;
    case "js":
      return `#!/usr/bin/env node\n${jobs.length > 0 ? jsdocBlock(jobs, summary) : ""}"use strict";\nconst fs = require("node:fs");\n\n${body}module.exports = { main };\n`;
    case "ts":
      return `${jobs.length > 0 ? jsdocBlock(jobs, summary) : ""}import { readFile } from "node:fs/promises";\n\n${body}export default readFile;\n`;
  }
}

/** A JavaScript file that mentions `@crontab` outside any comment (a candidate for grep, no job). */
export function crontabMention(rng: Rng): string {
  return `// Helpers for the scheduling docs.\nexport const HELP = "Declare jobs with a @crontab tag in a JSDoc comment";\n\n${codeBody(rng, "js", 2000)}`;
}

/** A JSON data file of about `bytes`. */
export function jsonData(rng: Rng, bytes: number): string {
  const rows: string[] = [];
  let size = 0;
  while (size < bytes) {
    const row = `  {"id": "${rng.word(12)}", "count": ${rng.int(0, 99999)}, "tags": ["${rng.word(5)}", "${rng.word(7)}"], "active": ${rng.chance(0.5)}}`;
    rows.push(row);
    size += row.length + 2;
  }
  return `[\n${rows.join(",\n")}\n]\n`;
}

/** A Markdown page of about `bytes`. */
export function markdown(rng: Rng, bytes: number): string {
  const parts = [`# ${identifier(rng)}\n\n`];
  let size = 0;
  while (size < bytes) {
    const p = `The ${rng.word(6)} service reads ${rng.word(5)} records and writes ${rng.word(7)} reports every ${rng.int(2, 59)} minutes.\n\n`;
    parts.push(p);
    size += p.length;
  }
  return parts.join("");
}

/** A binary file of `bytes` (a PNG-like header, then noise: NUL bytes early, as in real binaries). */
export function binary(rng: Rng, bytes: number): Buffer {
  const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  return Buffer.concat([header, rng.bytes(Math.max(0, bytes - header.length))]);
}

/**
 * A pool of minified statements that bundles are cut from (built once per tree). Every
 * statement is valid on its own, so a bundle is valid JavaScript that Babel parses to the end.
 */
export function minifiedPool(rng: Rng, bytes: number): string[] {
  const parts: string[] = [];
  let size = 0;
  // `_` keeps random names clear of keywords (`do`, `in`, `if`).
  const name = (): string => `_${rng.word(rng.int(1, 3))}`;
  let declared = 0;
  while (size < bytes) {
    // Declared names are unique: a real bundle redeclares nothing, and Babel reports each clash.
    const [a, b, c] = [`${name()}${(declared++).toString(36)}`, `${name()}p`, `${name()}q`];
    const n = rng.int(0, 9999);
    const part = rng.pick([
      `function ${a}(${b},${c}){return ${b}+${c}*${n}}`,
      `var ${a}=${b}.${c}||{};`,
      `${a}.prototype.${c}=function(${b}){this.${b}=${b};return this};`,
      `if(${a}&&${b}>${n}){${c}(${a},"${rng.word(8)}")}`,
      `var ${a}=[${n},${rng.int(0, 99)},"${rng.word(4)}"];`,
      `for(var ${b}=0;${b}<${n};${b}++)${a}[${b}]=${c}(${b});`,
    ]);
    parts.push(part);
    size += part.length;
  }
  return parts;
}

/** A minified bundle of about `bytes` cut from the pool, with a license comment like real bundles. */
export function bundle(rng: Rng, pool: readonly string[], bytes: number, extra = ""): string {
  const head = `/*! ${rng.word(8)} v${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)} | MIT */\n`;
  const parts = [head];
  let size = head.length;
  while (size < bytes) {
    const start = rng.int(0, pool.length - 1);
    const end = Math.min(pool.length, start + rng.int(500, 2000));
    // Each piece is a module wrapped in a function, as bundlers do: pieces may repeat, names may not clash.
    const piece = `!function(){${pool.slice(start, end).join(";")}}()`;
    parts.push(piece);
    size += piece.length + 1;
    if (extra !== "" && size > bytes / 2) {
      parts.push(extra);
      extra = "";
    }
  }
  return `${parts.join(";")}\n`;
}
