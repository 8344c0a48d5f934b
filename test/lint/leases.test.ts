// METADATA `lease`, `concurrency` and `wait` (issue 16): validated with file, line, column and a
// valid suggestion, written on the cron line as switchman options that switchman's own parser
// takes back unchanged, and measured by line-too-long like every other option.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintProject } from "../../src/project.js";
import { parseInvocation } from "../../src/switchman/args.js";
import { formatLease } from "../../src/syntax/lease.js";
import { leaseProblem } from "../../src/syntax/lease.js";
import { control, pod, withProject } from "../helpers/project.js";

const files = (...entries: string[]) => ({
  "debian/control": control("my-project", "my-project-scripts1"),
  "debian/my-project.install": "bin/* usr/share/my-project/bin\n",
  "bin/job.pl": pod(["package: my-project-scripts1", "time: 0 3 * * *", ...entries]),
});

/** The words /bin/sh makes of the command cronmeta writes (it only ever single-quotes a whole word). */
function shellWords(command: string): string[] {
  return command.split(" ").map((word) => /^'(.*)'$/.exec(word)?.[1] ?? word);
}

/** switchman's reading of a cron line's command (the words after the switchman binary). */
function switchmanReading(cronLine: string) {
  const words = shellWords(cronLine);
  const at = words.indexOf("/usr/bin/switchman");
  assert.ok(at > 0, cronLine);
  return parseInvocation(words.slice(at + 1));
}

describe("leases, concurrency and wait on the cron line", () => {
  it("writes them in one order, leases sorted by resource, and switchman reads back the same", async () => {
    await withProject(files("lease: FQDN_mem=4096:MEMMB, db=1 : CPU * 2", "concurrency: replace", "wait: 10m", "timeout: 2h"), async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics, []);
      const job = result.jobs[0];
      assert.ok(job !== undefined);
      assert.match(job.cronLine, / --lockname job\.pl --concurrency replace --lease FQDN_mem=4096:MEMMB --lease 'db=1:CPU\*2' --wait 10m --timeout 2h -- /);
      assert.deepEqual([job.concurrency, job.leases, job.wait], ["replace", ["FQDN_mem=4096:MEMMB", "db=1:CPU*2"], "10m"]);
      const invocation = switchmanReading(job.cronLine);
      assert.ok("kind" in invocation && invocation.kind === "run", JSON.stringify(invocation));
      assert.equal(invocation.concurrency, "replace");
      assert.equal(invocation.lockname, "job.pl");
      assert.deepEqual(invocation.wait, { text: "10m", seconds: 600 });
      assert.deepEqual(invocation.leases.map(formatLease), job.leases);
    });
  });

  it("keeps lock: no working (--no-lock, concurrency allow) and adds nothing for forbid", async () => {
    await withProject(files("lock: no", "lease: rr=1:1", "wait: 1h"), async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics, []);
      assert.match(result.jobs[0]?.cronLine ?? "", / --group my-project-scripts1 --no-lock --lease rr=1:1 --wait 1h -- /);
      assert.equal(result.jobs[0]?.concurrency, "allow");
      const invocation = switchmanReading(result.jobs[0]?.cronLine ?? "");
      assert.ok("kind" in invocation && invocation.kind === "run" && invocation.concurrency === "allow" && invocation.lockname === undefined);
    });
    await withProject(files("concurrency: forbid"), async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics, []);
      assert.match(result.jobs[0]?.cronLine ?? "", / --lockname job\.pl -- \//);
      assert.equal(result.jobs[0]?.concurrency, undefined);
    });
  });

  it("counts the options in the line length (line-too-long)", async () => {
    const leases = Array.from({ length: 40 }, (_, i) => `resource-number-${String(i).padStart(2, "0")}=1:4`).join(", ");
    await withProject(files(`lease: ${leases}`), async (root) => {
      const result = await lintProject({ root });
      const found = result.diagnostics.filter((d) => d.rule === "line-too-long");
      assert.equal(found.length, 1, JSON.stringify(result.diagnostics));
      assert.match(found[0]?.message ?? "", /\b1[0-9]{3}\b/);
      assert.equal(result.jobs.length, 0);
    });
  });
});

describe("lint of leases, concurrency and wait", () => {
  const cases: [string[], string, string, RegExp][] = [
    // entries, rule, line:column, message
    [["lease: db=1:4, x=1:int(MEMMB/1024)"], "lease-invalid", "9:24", /^lease "x=1:int\(MEMMB\/1024\)": TOTAL cannot call int\(\).*; write "x=1:MEMMB\/1024"$/],
    [["lease: FQDN_cpu=1:cpu"], "lease-invalid", "9:23", /; write "FQDN_cpu=1:CPU"$/],
    [["lease: db = 1:4"], "lease-invalid", "9:14", /RESOURCE "db " contains " ".*; write "db=1:4"$/],
    [["lease: db=5:4"], "lease-invalid", "9:15", /COUNT is 5, more than TOTAL 4.*\(RESOURCE=COUNT:TOTAL: /],
    [["lease: db=1:4, db=1:4"], "lease-invalid", "9:20", /names resource "db" twice/],
    [["concurrency: Replace"], "metadata-value-invalid", "9:18", /; write "replace"$/],
    [["concurrency: skip"], "metadata-value-invalid", "9:18", /; write "forbid"$/],
    [["concurrency: fobrid"], "metadata-value-invalid", "9:18", /; write "forbid"$/],
    [["wait: 10 minutes"], "metadata-value-invalid", "9:11", /^wait "10 minutes" is not .*; write "10m"$/],
    [["lock: no", "concurrency: replace"], "concurrency-conflict", "10:18", /needs the lock, but "lock: no" drops it/],
    [["concurrency: allow", "wait: 5m"], "concurrency-conflict", "10:11", /^wait has nothing to wait for/],
    [["lock: no", "wait: 5m"], "concurrency-conflict", "10:11", /with "lock: no" the job takes no lock/],
    [["lease: db=1:4", "lease: FQDN_cpu=1:CPU"], "metadata-duplicate-key", "10:5", /; list every lease in one key, comma-separated: "lease: db=1:4, FQDN_cpu=1:CPU"$/],
  ];
  for (const [entries, rule, where, message] of cases) {
    it(`${entries.join(", ")}: ${rule} at ${where}`, async () => {
      await withProject(files(...entries), async (root) => {
        const result = await lintProject({ root });
        const found = result.diagnostics.filter((d) => d.severity === "error");
        assert.equal(found.length, 1, JSON.stringify(result.diagnostics));
        assert.equal(found[0]?.rule, rule);
        assert.equal(`${found[0]?.line}:${found[0]?.column}`, where);
        assert.match(found[0]?.message ?? "", message);
        assert.equal(result.jobs.length, 0, "a job with an error is not generated");
        const suggestion = /; write "([^"]+)"$/.exec(found[0]?.message ?? "")?.[1];
        if (rule === "lease-invalid" && suggestion !== undefined) {
          for (const item of suggestion.split(",")) assert.equal(leaseProblem(item.trim()), undefined, `suggestion ${suggestion}`);
        }
      });
    });
  }

  it("the suggestion fixes the job (lint the suggested METADATA again)", async () => {
    await withProject(files("lease: FQDN_mem=4:int(MEMMB/1024)", "wait: 10 minutes"), async (root) => {
      const result = await lintProject({ root });
      const fixes = result.diagnostics.map((d) => /; write "([^"]+)"$/.exec(d.message)?.[1]);
      assert.deepEqual(fixes, ["FQDN_mem=4:MEMMB/1024", "10m"]);
      await withProject(files(`lease: ${fixes[0]}`, `wait: ${fixes[1]}`), async (fixed) => {
        assert.deepEqual((await lintProject({ root: fixed })).diagnostics, []);
      });
    });
  });
});
