import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseControl } from "../../src/debian/control.js";
import { cronFileName, isCronSafeName } from "../../src/debian/cron-file-name.js";
import { isDebianPackageName } from "../../src/syntax/debian.js";
import { parseInstall } from "../../src/debian/install.js";
import { readDebian } from "../../src/debian/read.js";
import { withProject } from "../helpers/project.js";

describe("debian/control", () => {
  it("lists binary packages with their lines, skipping comments and continuations", () => {
    const info = parseControl(
      "Source: my-project\nBuild-Depends: debhelper-compat (= 13)\n\n# Package: commented\nPackage: my-project\nDescription: x\n Package: not-a-field\n\npackage:  my-project-scripts1 \r\n",
    );
    assert.equal(info.source, "my-project");
    assert.deepEqual(info.packages, [
      { name: "my-project", line: 5 },
      { name: "my-project-scripts1", line: 9 },
    ]);
  });
});

describe("cron.d names", () => {
  it("maps everything outside [a-z0-9-] to -", () => {
    assert.equal(cronFileName("foo.bar+baz"), "foo-bar-baz");
    assert.equal(cronFileName("my-project-scripts1"), "my-project-scripts1");
    assert.equal(isCronSafeName("foo.bar"), false);
    assert.equal(isCronSafeName("foo-bar"), true);
  });
  it("knows Debian package names", () => {
    assert.equal(isDebianPackageName("libfoo++1.0"), true);
    assert.equal(isDebianPackageName("a"), false);
    assert.equal(isDebianPackageName("Foo"), false);
    assert.equal(isDebianPackageName("-foo"), false);
  });
});

describe("install files", () => {
  it("parses SOURCE... DEST lines, comments and blank lines", () => {
    const parsed = parseInstall("# scripts\nbin/a.pl bin/b.sh usr/share/x/bin/\n\n  lib/*.py   /usr/lib/x  \n");
    assert.deepEqual(parsed.lines, [
      { sources: ["bin/a.pl", "bin/b.sh"], destDir: "/usr/share/x/bin", line: 2 },
      { sources: ["lib/*.py"], destDir: "/usr/lib/x", line: 4 },
    ]);
    assert.deepEqual(parsed.notes, []);
  });
  it("warns about lines it cannot interpret instead of crashing", () => {
    const parsed = parseInstall("bin/only-source\nbin/a ${env:X}/bin\nbin/b => usr/bin/c\nbin/c ../../etc\n");
    assert.equal(parsed.lines.length, 0);
    assert.deepEqual(parsed.notes.map((n) => n.line), [1, 2, 3, 4]);
  });
  it("does not interpret dh-exec files", () => {
    const parsed = parseInstall("#!/usr/bin/dh-exec\nbin/a usr/bin\n");
    assert.equal(parsed.lines.length, 0);
    assert.equal(parsed.notes.length, 1);
  });
  it("resolves globs, directories and debian/install", async () => {
    await withProject(
      {
        "debian/control": "Source: s\n\nPackage: first\n\nPackage: second\n",
        "debian/install": "tools/one.sh usr/bin\n",
        "debian/second.install": "bin/*.pl usr/share/s/bin\nlib usr/share/s\n",
        "bin/a.pl": "",
        "bin/b.pl": "",
        "bin/c.sh": "",
        "lib/sub/x.py": "",
        "tools/one.sh": "",
      },
      async (root) => {
        const info = await readDebian(root, "debian");
        assert.deepEqual(
          [...info.installed].map(([file, i]) => [file, i.package, i.path, i.installFile, i.line]).sort(),
          [
            ["bin/a.pl", "second", "/usr/share/s/bin/a.pl", "debian/second.install", 1],
            ["bin/b.pl", "second", "/usr/share/s/bin/b.pl", "debian/second.install", 1],
            ["lib/sub/x.py", "second", "/usr/share/s/lib/sub/x.py", "debian/second.install", 2],
            ["tools/one.sh", "first", "/usr/bin/one.sh", "debian/install", 1],
          ],
        );
      },
    );
  });

  it("a source through a file matches nothing there, and its other matches stay (fast-glob's ENOTDIR)", async () => {
    await withProject(
      {
        "debian/control": "Source: s\n\nPackage: first\n",
        "debian/first.install": "top.pl/{a,b} usr/share/f\n{top.pl/c,bin/x.sh} usr/share/f/bin\ntop.pl/* usr/share/f\n",
        "top.pl": "",
        "bin/x.sh": "",
      },
      async (root) => {
        for (const only of [undefined, ["bin/x.sh", "top.pl"]]) {
          const info = await readDebian(root, "debian", only === undefined ? {} : { only });
          assert.deepEqual([...info.installed.keys()], ["bin/x.sh"]);
          assert.equal(info.installed.get("bin/x.sh")?.path, "/usr/share/f/bin/x.sh");
        }
      },
    );
  });

  it("with `only`, finds the same for those files without walking installed directories", async () => {
    await withProject(
      {
        "debian/control": "Source: s\n\nPackage: first\n\nPackage: second\n",
        "debian/first.install": "lib/sub usr/share/f\n",
        "debian/second.install": "lib usr/share/s\nbin/*.pl usr/share/s/bin\n",
        "bin/a.pl": "",
        "lib/sub/x.py": "",
        "lib/sub/deeper/y.sh": "",
        "lib/z.sh": "",
        "lib-other/w.sh": "",
      },
      async (root) => {
        const full = await readDebian(root, "debian");
        const only = ["bin/a.pl", "lib-other/w.sh", "lib/sub/deeper/y.sh", "lib/z.sh"];
        const info = await readDebian(root, "debian", { only });
        const entries = (m: typeof info.installed, files: string[]): unknown[] => files.map((f) => [f, m.get(f)]);
        assert.deepEqual(entries(info.installed, only), entries(full.installed, only));
        // The first install file that names a file wins: first.install, sorted before second.install.
        assert.equal(info.installed.get("lib/sub/deeper/y.sh")?.path, "/usr/share/f/sub/deeper/y.sh");
        assert.equal(info.installed.get("lib/z.sh")?.path, "/usr/share/s/lib/z.sh");
        assert.equal(info.installed.get("lib-other/w.sh"), undefined);
        // Files not asked about are not looked for in installed directories.
        assert.equal(info.installed.get("lib/sub/x.py"), undefined);
        assert.equal(full.installed.get("lib/sub/x.py")?.package, "first");
      },
    );
  });
});
