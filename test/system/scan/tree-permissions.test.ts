// scanTree() run as an unprivileged user (setpriv, util-linux): unreadable files and directories
// are diagnostics, an unreadable root is a UsageError.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "../../helpers/paths.js";

const METADATA = "=head1 METADATA\n<crontab>\n  time: @daily\n</crontab>\n=cut\n";

let base: string;

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

before(async () => {
  base = await mkdtemp(join(tmpdir(), "cronmeta-scan-perm-"));
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("scanTree as nobody", () => {
  it("reports unreadable files and directories instead of failing, an unreadable root as UsageError (run as nobody)", async () => {
    const locked = join(base, "locked");
    await put(join(locked, "ok.pl"), METADATA);
    await put(join(locked, "secret.pl"), METADATA);
    await put(join(locked, "closed", "inner.pl"), METADATA);
    await chmod(base, 0o755);
    await chmod(join(locked, "secret.pl"), 0o000);
    await chmod(join(locked, "closed"), 0o000);
    const fromSource = import.meta.url.endsWith(".ts");
    const scanModule = new URL(`../../../src/scan/index.${fromSource ? "ts" : "js"}`, import.meta.url).href;
    const schemaModule = new URL(`../../../src/config/schema.${fromSource ? "ts" : "js"}`, import.meta.url).href;
    const script = `
      const { scanTree } = await import(${JSON.stringify(scanModule)});
      const { defaultConfig } = await import(${JSON.stringify(schemaModule)});
      const scanned = await scanTree(${JSON.stringify(locked)}, defaultConfig());
      const rootError = await scanTree(${JSON.stringify(join(locked, "closed"))}, defaultConfig()).then(
        () => "no error",
        (e) => e.name + ": " + e.message,
      );
      process.stdout.write(JSON.stringify({ scanned, rootError }));`;
    const child = spawnSync(
      "setpriv",
      ["--reuid=65534", "--regid=65534", "--clear-groups", "--", process.execPath, ...(fromSource ? ["--import", "tsx"] : []), "--input-type=module", "-e", script],
      { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(child.error, undefined, "setpriv (Debian package util-linux) is needed to drop root privileges");
    assert.equal(child.status, 0, child.stderr);
    const { scanned, rootError } = JSON.parse(child.stdout) as {
      scanned: { file: string; problems: { rule: string; message: string }[] }[];
      rootError: string;
    };
    assert.deepEqual(
      scanned.map((f) => [f.file, f.problems.map((p) => `${p.rule}: ${p.message}`)]),
      [
        ["closed", ["metadata-syntax: cannot read directory: EACCES (permission denied)"]],
        ["ok.pl", []],
        ["secret.pl", ["metadata-syntax: cannot read file: EACCES (permission denied)"]],
      ],
    );
    // An unreadable root is a usage error (exit 2), not a diagnostic.
    assert.equal(rootError, `UsageError: cannot read root ${join(locked, "closed")}: EACCES`);
  });
});
