// The switchman options gen writes (issue 16: --concurrency, --lease, --wait) reach switchman as
// the words it was meant to get: each job's command goes through the real /bin/sh, as cron runs
// it, with the switchman binary swapped for printf, and switchman's own parser reads the words
// back into the job's METADATA. A lease with `*` or parentheses is the case quoting exists for.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { unescapeCronCommand } from "../../../src/jobs/command.js";
import { lintProject } from "../../../src/project.js";
import { parseInvocation } from "../../../src/switchman/args.js";
import { formatLease } from "../../../src/syntax/lease.js";
import { fixturesDir } from "../../helpers/paths.js";

/** The words /bin/sh passes to the program that starts `command`'s switchman call. */
function wordsAfterSwitchman(command: string, bin: string): string[] {
  const at = command.indexOf(` ${bin} `);
  assert.ok(at >= 0, command);
  const rest = command.slice(at + bin.length + 2);
  const run = spawnSync("/bin/sh", ["-c", `printf '%s\\0' ${rest}`], { encoding: "utf8", cwd: fixturesDir });
  assert.equal(run.error, undefined, "/bin/sh not found: install the Debian package dash");
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split("\0").slice(0, -1);
}

describe("gen's switchman options through /bin/sh", () => {
  it("gen-leases: every job's leases, policy and wait arrive as written", async () => {
    const result = await lintProject({ root: join(fixturesDir, "gen-leases") });
    assert.deepEqual(result.diagnostics, []);
    assert.ok(result.jobs.some((job) => (job.leases ?? []).some((lease) => /[*()]/.test(lease))), "a lease that needs quoting");
    for (const job of result.jobs) {
      const { command, stdinAt } = unescapeCronCommand(job.command);
      assert.equal(stdinAt, undefined);
      const invocation = parseInvocation(wordsAfterSwitchman(command, "/usr/bin/switchman"));
      assert.ok("kind" in invocation && invocation.kind === "run", `${job.file}:${job.line}: ${JSON.stringify(invocation)}`);
      assert.equal(invocation.concurrency, job.concurrency ?? "forbid", job.cronLine);
      assert.deepEqual(invocation.leases.map(formatLease), job.leases ?? [], job.cronLine);
      assert.equal(invocation.wait?.text, job.wait, job.cronLine);
      assert.equal(invocation.lockname, job.lock ? job.lockname : undefined, job.cronLine);
      assert.equal(invocation.command[0], job.scriptPath, job.cronLine);
    }
  });
});
