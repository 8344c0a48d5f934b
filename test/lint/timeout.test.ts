// METADATA `timeout` (issue 15): validated by metadata-value-invalid with a valid suggestion,
// rendered as switchman's `--timeout`; `--package` appears only when the group is not the package.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintProject } from "../../src/project.js";
import { parseDuration } from "../../src/syntax/duration.js";
import { control, pod, withProject } from "../helpers/project.js";

const files = (...entries: string[]) => ({
  "debian/control": control("my-project", "my-project-scripts1"),
  "debian/my-project.install": "bin/* usr/share/my-project/bin\n",
  "bin/job.pl": pod(["package: my-project-scripts1", "time: 0 3 * * *", ...entries]),
});

describe("timeout", () => {
  it("is written on the cron line as --timeout, after the lock option", async () => {
    await withProject(files("timeout: 2h"), async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics, []);
      assert.equal(
        result.jobs[0]?.cronLine,
        "0 3 * * * root [ -x /usr/share/my-project/bin/job.pl ] && /usr/bin/switchman --config /etc/switchman.conf --group my-project-scripts1 --lockname job.pl --timeout 2h -- /usr/share/my-project/bin/job.pl",
      );
    });
  });

  it("names the package with --package only when the group is not the package", async () => {
    await withProject(files("group: nightly", "lock: no"), async (root) => {
      const result = await lintProject({ root });
      assert.deepEqual(result.diagnostics, []);
      assert.match(result.jobs[0]?.cronLine ?? "", / --group nightly --package my-project-scripts1 --no-lock -- /);
    });
  });

  for (const [value, suggestion] of [["2 hours", "2h"], ["120", "2m"], ["1.5h", "90m"], ["2H", "2h"], ["0s", undefined], ["soon", undefined], ["9000h", undefined]] as const) {
    it(`refuses ${JSON.stringify(value)}${suggestion ? `, suggesting ${suggestion}` : ""}`, async () => {
      await withProject(files(`timeout: ${value}`), async (root) => {
        const result = await lintProject({ root });
        const found = result.diagnostics.filter((d) => d.rule === "metadata-value-invalid");
        assert.equal(found.length, 1, JSON.stringify(result.diagnostics));
        assert.deepEqual([found[0]?.line, found[0]?.column, found[0]?.severity], [9, 14, "error"]);
        assert.match(found[0]?.message ?? "", new RegExp(`^timeout "${value.replace(".", "\\.")}" is `));
        if (suggestion !== undefined) {
          assert.ok(found[0]?.message.endsWith(`; write "${suggestion}"`), found[0]?.message);
          assert.notEqual(parseDuration(suggestion), undefined);
        } else assert.doesNotMatch(found[0]?.message ?? "", /write/);
        assert.equal(result.jobs.length, 0, "a job with a bad timeout is not generated");
      });
    });
  }

  it("needs the switchman wrapper", async () => {
    await withProject(
      { ...files("timeout: 30m"), "cronmeta.config.json": JSON.stringify({ switchman: false }) },
      async (root) => {
        const result = await lintProject({ root });
        const found = result.diagnostics.filter((d) => d.rule === "metadata-value-invalid");
        assert.equal(found.length, 1);
        assert.match(found[0]?.message ?? "", /timeout needs the switchman wrapper.*config "switchman" is false/);
      },
    );
  });
});
