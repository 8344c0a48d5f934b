// `cronmeta check` against the real thing: planted cron.d files, each with a marker job that
// runs every minute plus one trap, are read by Debian's cron daemon (support.ts: a private
// mount namespace, the files bound over /etc/cron.d). Whatever cron ignores, check reports as
// an error; whatever check says cron ignores, cron ignores; and for each trap check names the
// rule of the table. Then the real cron.d files of the packages installed on this host pass.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, linkSync, lchownSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { builtBin, cronmetaBin, testOutputDir } from "../../helpers/paths.js";
import { type CronRun, requireCronTools, startCron, waitFor } from "./support.js";

interface Trap {
  /** File name in /etc/cron.d. */
  name: string;
  /** Lines after the marker job (or the whole file with `raw`). */
  lines: string;
  raw?: boolean;
  cron: "reads" | "ignores";
  /** The rules check reports, sorted. */
  rules: string[];
  setup?: (path: string, work: string) => void;
}

const NOBODY = 65534;
const filler = (n: number) => "# filler\n".repeat(n);
/** A job whose command (as cron reads it, after the one blank behind the user) is exactly `bytes` long. */
const echo = (bytes: number) => `* * * * * root /bin/echo ${"x".repeat(bytes - "/bin/echo ".length - " >/dev/null".length)} >/dev/null\n`;

const TRAPS: Trap[] = [
  { name: "clean", lines: "", cron: "reads", rules: [] },
  { name: "no-final-newline", lines: "0 3 * * * root /bin/true", cron: "ignores", rules: ["crontab-final-newline"] },
  { name: "final-comment-no-newline", lines: "# the end", cron: "reads", rules: [] },
  { name: "env-empty", lines: "MAILTO=\n", cron: "ignores", rules: ["crontab-env-invalid"] },
  { name: "env-quoted-comment", lines: 'PATH="/usr/bin:/bin" # default\n', cron: "ignores", rules: ["crontab-env-invalid"] },
  { name: "env-unquoted-comment", lines: "MAILTO=root # me\n", cron: "reads", rules: ["crontab-env-value"] },
  { name: "env-cron-tz", lines: "CRON_TZ=UTC\n", cron: "reads", rules: ["crontab-env-unsupported"] },
  { name: "user-unknown", lines: "0 3 * * * nosuchuser17 /bin/true\n", cron: "ignores", rules: ["crontab-user-unknown"] },
  { name: "user-missing", lines: "0 3 * * * /bin/true\n", cron: "ignores", rules: ["crontab-user-unknown"] },
  { name: "command-missing", lines: "0 3 * * * root\n0 4 * * * root /bin/true\n", cron: "ignores", rules: ["crontab-line-invalid"] },
  { name: "seconds-field", lines: "*/5 * * * * * root /bin/true\n", cron: "ignores", rules: ["cron-time-invalid"] },
  { name: "keyword-case", lines: "@Daily root /bin/true\n", cron: "ignores", rules: ["cron-time-invalid"] },
  { name: "step-no-range", lines: "1/20 * * * * root /bin/true\n", cron: "ignores", rules: ["cron-time-invalid"] },
  { name: "reversed-range", lines: "10-5 * * * * root /bin/true\n", cron: "reads", rules: ["cron-time-invalid"] },
  { name: "percent", lines: "0 3 * * * root date +%F >/dev/null\n", cron: "reads", rules: ["crontab-percent"] },
  { name: "command-998", lines: echo(998), cron: "reads", rules: [] },
  { name: "command-999", lines: echo(999), cron: "ignores", rules: ["line-too-long"] },
  { name: "cr-in-job", lines: "0 3 * * * root /bin/true\r\n", cron: "reads", rules: ["crontab-carriage-return"] },
  { name: "cr-blank-line", lines: "\r\n", cron: "ignores", rules: ["crontab-carriage-return"] },
  { name: "job-on-line-10003", lines: `${filler(10_001)}0 3 * * * root /bin/true\n`, cron: "reads", rules: [] },
  { name: "job-on-line-10004", lines: `${filler(10_002)}0 3 * * * root /bin/true\n`, cron: "ignores", rules: ["crontab-too-many-lines"] },
  { name: "dot.ted", lines: "", cron: "ignores", rules: ["crontab-file-name"] },
  { name: "Upper_Case", lines: "", cron: "reads", rules: [] },
  { name: "group-writable", lines: "", cron: "ignores", rules: ["crontab-file-mode"], setup: (p) => chmodSync(p, 0o664) },
  { name: "owned-by-nobody", lines: "", cron: "ignores", rules: ["crontab-file-mode"], setup: (p) => chownSync(p, NOBODY, NOBODY) },
  { name: "hard-link", lines: "", cron: "ignores", rules: ["crontab-file-mode"], setup: (p, work) => linkSync(p, join(work, "second-link")) },
  {
    name: "symlink-root",
    lines: "",
    cron: "reads",
    rules: [],
    setup: (p, work) => {
      const target = join(work, "symlink-root.target");
      writeFileSync(target, markerJob(work, "symlink-root"));
      rmSync(p);
      symlinkSync(target, p);
    },
  },
  {
    name: "symlink-nobody",
    lines: "",
    cron: "ignores",
    rules: ["crontab-file-mode"],
    setup: (p, work) => {
      const target = join(work, "symlink-nobody.target");
      writeFileSync(target, markerJob(work, "symlink-nobody"));
      rmSync(p);
      symlinkSync(target, p);
      lchownSync(p, NOBODY, NOBODY);
    },
  },
];

function markerJob(work: string, name: string): string {
  return `* * * * * root touch ${join(work, "markers", name)}\n`;
}

interface JsonDiagnostic {
  file: string;
  rule: string;
  severity: string;
  message: string;
}

/** check's claim that cron skips or ignores the whole file. */
const CLAIMS_IGNORED = /ignores the whole file|skips this file|Debian's cron skips \/etc\/cron\.d/;

describe("cronmeta check agrees with Debian's cron daemon", () => {
  let work = "";
  let cronDir = "";
  let cron: CronRun | undefined;
  let diagnostics: JsonDiagnostic[] = [];

  before(async () => {
    requireCronTools();
    work = mkdtempSync(join(tmpdir(), "cronmeta-check-daemon-"));
    cronDir = join(work, "cron.d");
    mkdirSync(cronDir);
    mkdirSync(join(work, "markers"));
    for (const trap of TRAPS) {
      const path = join(cronDir, trap.name);
      writeFileSync(path, `${markerJob(work, trap.name)}${trap.lines}`, { mode: 0o644 });
      chmodSync(path, 0o644);
      trap.setup?.(path, work);
    }
    const result = spawnSync(process.execPath, [builtBin(cronmetaBin), "check", "--installed", "--format", "json", cronDir], { encoding: "utf8" });
    assert.ok(result.status === 1, result.stderr);
    diagnostics = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    cron = await startCron(work, cronDir);
    const reading = TRAPS.filter((t) => t.cron === "reads");
    // Every job runs at the next minute boundary: at most about 60 s, plus cron's start.
    await waitFor(
      () => reading.every((t) => existsSync(join(work, "markers", t.name))),
      135_000,
      () => `markers: ${readdirSync(join(work, "markers")).join(", ")}\n${cron?.stderr() ?? ""}\n${cron?.log.join("\n") ?? ""}`,
    );
    // The ignored files' jobs would have run in the same minute.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });

  after(async () => {
    await cron?.stop();
    if (cron !== undefined) {
      mkdirSync(join(testOutputDir, "cron-daemon"), { recursive: true });
      writeFileSync(join(testOutputDir, "cron-daemon", "check-agrees.log"), `${cron.log.join("\n")}\n`);
    }
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  for (const trap of TRAPS) {
    it(`${trap.name}: cron ${trap.cron} it; check reports ${trap.rules.join(", ") || "nothing"}`, () => {
      const ran = existsSync(join(work, "markers", trap.name));
      assert.equal(ran ? "reads" : "ignores", trap.cron, `cron's verdict on ${trap.name} (log:\n${(cron?.log ?? []).filter((l) => l.includes(trap.name)).join("\n")})`);
      const mine = diagnostics.filter((d) => d.file === join(cronDir, trap.name));
      assert.deepEqual([...new Set(mine.map((d) => d.rule))].sort(), trap.rules, JSON.stringify(mine, null, 1));
      // What cron ignores is an error; a claim that cron ignores the file is true.
      if (trap.cron === "ignores") assert.ok(mine.some((d) => d.severity === "error"), trap.name);
      assert.equal(mine.some((d) => CLAIMS_IGNORED.test(d.message)), trap.cron === "ignores" && !trap.rules.includes("cron-time-invalid"), JSON.stringify(mine, null, 1));
    });
  }

  it("passes the real cron.d files of the packages installed on this host, and /etc/crontab", () => {
    const files = readdirSync("/etc/cron.d").filter((f) => !f.startsWith("."));
    assert.ok(files.length > 0, "no files in /etc/cron.d: install e.g. Debian packages sysstat or php-common");
    const result = spawnSync(process.execPath, [builtBin(cronmetaBin), "check", "--format", "json", "/etc/cron.d", "/etc/crontab"], { encoding: "utf8" });
    const out = JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[]; jobCount: number };
    assert.deepEqual(out.diagnostics.filter((d) => d.severity === "error"), [], `on ${files.join(", ")}`);
    assert.equal(result.status, 0);
    assert.ok(out.jobCount >= 4, `jobs: ${out.jobCount}`);
  });
});
