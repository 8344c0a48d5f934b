// From valid sections to Jobs: defaults, install paths, the exact cron line (SPEC 4.3).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintProject } from "../../src/project.js";
import { control, pod, withProject } from "../helpers/project.js";

describe("jobs", () => {
  it("builds the talk's --mod 2 --rem 0/1 pair with install path, group and lock names", async () => {
    await withProject(
      {
        "debian/control": control("my-project", "my-project-scripts1"),
        "debian/my-project.install": "bin/*.pl usr/share/my-project/bin\n",
        "bin/foo.pl": pod(
          ["package: my-project-scripts1", "params: --mod 2 --rem 0", "time: */2   *  * * *"],
          ["package: my-project-scripts1", "params: --mod 2 --rem 1", "time: */2 * * * *", "description: odd half"],
        ),
      },
      async (root) => {
        const result = await lintProject({ root });
        assert.deepEqual(result.diagnostics, []);
        assert.equal(result.jobs.length, 2);
        const [even, odd] = result.jobs;
        assert.equal(
          even!.cronLine,
          "*/2 * * * * root [ -x /usr/share/my-project/bin/foo.pl ] && /usr/bin/switchman --config /etc/switchman.conf --group my-project-scripts1 --lockname foo.pl-mod-2-rem-0 -- /usr/share/my-project/bin/foo.pl --mod 2 --rem 0",
        );
        assert.equal(odd!.lockname, "foo.pl-mod-2-rem-1");
        assert.equal(odd!.description, "odd half");
        assert.equal(odd!.index, 1);
        assert.equal(odd!.line, 11);
        assert.deepEqual(result.packages, ["my-project", "my-project-scripts1"]);
      },
    );
  });

  it("escapes % and \\ in the command, honours config user/switchman/guard/installDir", async () => {
    await withProject(
      {
        "debian/control": control("p-cron"),
        "cronmeta.config.json": JSON.stringify({ switchman: false, guard: false, installDir: "/opt/p/bin", defaultPackage: "p-cron", rules: { "script-not-installed": "off" } }),
        "x.sh": pod(["time: @daily", `params: --stamp '%Y\\%m'`]),
      },
      async (root) => {
        const result = await lintProject({ root });
        assert.deepEqual(result.diagnostics, []);
        assert.equal(result.jobs[0]!.cronLine, "@daily root /opt/p/bin/x.sh --stamp '\\%Y\\\\\\%m'");
      },
    );
  });

  it("sorts jobs by package, then file, then position", async () => {
    await withProject(
      {
        "debian/control": control("b-pkg", "a-pkg"),
        "cronmeta.config.json": JSON.stringify({ rules: { "script-not-installed": "off" } }),
        "z.pl": pod(["package: a-pkg", "time: 1 * * * *"]),
        "a.pl": pod(["package: b-pkg", "time: 2 * * * *"], ["package: a-pkg", "time: 3 * * * *", "params: -x"]),
      },
      async (root) => {
        const result = await lintProject({ root });
        assert.deepEqual(result.diagnostics, []);
        assert.deepEqual(result.jobs.map((j) => `${j.package} ${j.file} ${j.index}`), ["a-pkg a.pl 1", "a-pkg z.pl 0", "b-pkg a.pl 0"]);
      },
    );
  });

  it("keeps a job out of the list when it has an error, but reports all problems", async () => {
    await withProject(
      {
        "debian/control": control("p1"),
        "cronmeta.config.json": JSON.stringify({ rules: { "script-not-installed": "off" } }),
        "a.pl": pod(["package: p1", "time: 61 * * * *"]),
        "b.pl": pod(["package: p1", "time: 1 * * * *"]),
      },
      async (root) => {
        const result = await lintProject({ root });
        assert.equal(result.errorCount, 1);
        assert.deepEqual(result.jobs.map((j) => j.file), ["b.pl"]);
      },
    );
  });
});
