// The examples stay truthful: my-project lints clean with the job count its README states,
// and the committed cron.d files of examples/dir-mode are exactly what `gen` produces now.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import ts from "typescript";
import { cronmetaBin, repoRoot } from "../../helpers/paths.js";
import { requireBuiltCli } from "./support.js";

function cronmeta(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cronmetaBin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the examples", () => {
  let work = "";

  before(() => {
    requireBuiltCli();
    work = mkdtempSync(join(tmpdir(), "cronmeta-examples-"));
  });

  after(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("examples/my-project lints clean: 14 jobs, no error, no warning", () => {
    const result = cronmeta(["lint", "--root", "examples/my-project", "--format", "json"], repoRoot);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as { errorCount: number; warningCount: number; jobCount: number; diagnostics: unknown[] };
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.jobCount, 14);
  });

  it("examples/my-project has scripts in Perl, shell, Python, JavaScript and TypeScript", () => {
    const scripts = readdirSync(join(repoRoot, "examples", "my-project", "bin"));
    assert.ok(scripts.length >= 10);
    for (const ext of [".pl", ".sh", ".py", ".js", ".mjs", ".ts"]) assert.ok(scripts.some((s) => s.endsWith(ext)), ext);
  });

  it("every example script is valid in its own language (perl -c, sh -n, python3, node --check, TypeScript)", () => {
    const dirs = ["my-project/bin", "dir-mode/bin", "node-service/src/jobs"].map((d) => join(repoRoot, "examples", d));
    const debianPackage: Record<string, string> = { "/usr/bin/perl": "perl-base", "/bin/sh": "dash", "/usr/bin/python3": "python3-minimal" };
    const check = (command: string, args: string[]): void => {
      const result = spawnSync(command, args, { encoding: "utf8" });
      assert.equal(result.error, undefined, `${command}: ${String(result.error)}: install Debian package ${debianPackage[command] ?? "nodejs"}`);
      assert.equal(result.status, 0, `${command} ${args.join(" ")}:\n${result.stdout}${result.stderr}`);
    };
    let checked = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        const shebang = readFileSync(file, "utf8").split("\n")[0] ?? "";
        if (name.endsWith(".pl")) check("/usr/bin/perl", ["-c", file]);
        else if (name.endsWith(".sh")) check("/bin/sh", ["-n", file]);
        // ast.parse, not py_compile: nothing may be written (no __pycache__) into the examples.
        else if (name.endsWith(".py")) check("/usr/bin/python3", ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", file]);
        else if (/\.[cm]?js$/.test(name) || /^#!\S*[/ ]node$/.test(shebang)) check(process.execPath, ["--check", file]);
        else if (name.endsWith(".ts")) {
          const output = ts.transpileModule(readFileSync(file, "utf8"), { fileName: name, reportDiagnostics: true });
          assert.deepEqual(output.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")) ?? [], [], file);
        } else assert.fail(`no syntax check for ${file}`);
        checked++;
      }
    }
    assert.equal(checked, 11 + 3 + 2);
  });

  it("the committed examples/dir-mode/cron.d is up to date (gen --mode dir --check)", () => {
    const result = cronmeta(["gen", "--root", "examples/dir-mode", "--mode", "dir", "--out", "examples/dir-mode/cron.d", "--check"], repoRoot);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it("the committed examples/node-service/deploy/cron.d is up to date, config read from package.json", () => {
    const lint = cronmeta(["lint", "--root", "examples/node-service", "--mode", "dir", "--format", "json"], repoRoot);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.equal((JSON.parse(lint.stdout) as { jobCount: number }).jobCount, 3);
    const out = "examples/node-service/deploy/cron.d";
    const result = cronmeta(["gen", "--root", "examples/node-service", "--mode", "dir", "--out", out, "--check"], repoRoot);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const content = readFileSync(join(repoRoot, out, "node-service"), "utf8");
    assert.match(content, /^MAILTO=""$/m);
    assert.doesNotMatch(content, /switchman/);
  });

  it("gen --check in dir mode fails on a copy whose schedule changed", () => {
    const copy = join(work, "dir-mode");
    cpSync(join(repoRoot, "examples", "dir-mode"), copy, { recursive: true });
    const script = join(copy, "bin", "backup-db.sh");
    writeFileSync(script, readFileSync(script, "utf8").replace("time: 30 1 * * *", "time: 45 1 * * *"));
    const result = cronmeta(["gen", "--mode", "dir", "--out", "cron.d", "--check"], copy);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^-30 1 \* \* \* root /m);
    assert.match(result.stdout, /^\+45 1 \* \* \* root /m);
  });
});
