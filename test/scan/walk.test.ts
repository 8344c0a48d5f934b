import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import fg from "fast-glob";
import { alwaysIgnored, walkTree, walksWithoutGlobs } from "../../src/scan/tree.js";

let base: string;
let root: string;

async function put(path: string, content = "x\n"): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** What tree.ts's fast-glob walk lists for the default include (and these excludes). */
function globbed(debianDir: string, skipFile?: string, exclude: string[] = []): string[] {
  const ignore = [...alwaysIgnored(debianDir, fg.escapePath), ...exclude, ...(skipFile === undefined ? [] : [fg.escapePath(skipFile)])];
  return fg.sync(["**/*"], { cwd: root, dot: true, unique: false, onlyFiles: true, followSymbolicLinks: false, ignore }).sort();
}

function walked(debian: string, skipFile?: string, exclude: string[] = []): string[] {
  const result = walkTree(root, debian, skipFile, exclude);
  assert.deepEqual(result.unreadable, []);
  return result.paths.sort();
}

before(async () => {
  base = await mkdtemp(join(tmpdir(), "cronmeta-walk-"));
  root = join(base, "project");
  for (const path of [
    "a.pl",
    ".hidden",
    ".config/tool/x.sh",
    "bin/job.pl",
    "bin/.git", // a file named .git (a submodule's): skipped like the directory
    "lib/node_modules", // a file named node_modules: skipped
    "lib/deep/er/still/job.js",
    ".git/HEAD",
    "node_modules/dep/index.js",
    "lib/node_modules.d/kept.js",
    "debian/control",
    "debian/pkg.install",
    "debian/pkg/usr/bin/job.pl",
    "debian/.debhelper/generated/x.pl",
    "packaging/debian/pkg/z.pl",
    "packaging/debian/rules",
    "node_modules/.cache/cronmeta/scan-cache.json",
    "cache/scan-cache.json",
    "weird name [1] {a,b} *.pl",
    "README.md",
    "docs/guide.md",
    "docs/.hidden.md",
    "docs/.md",
    "docs/notes.md/inside.pl", // a directory whose name an exclude matches
    "vendor/lib/x.pl",
    "lib/vendor/y.pl",
    "lib/vendor.pl",
    "bin/vendor", // a file named like the excluded directory
    "tmp/job.pl.bak",
    "tmp/job.bak.pl",
  ]) {
    await put(join(root, path));
  }
  await put(join(base, "outside", "secret.pl"));
  await symlink(join(base, "outside", "secret.pl"), join(root, "bin", "outside.pl"));
  await symlink(join(base, "outside"), join(root, "linked-dir"));
  await symlink("job.pl", join(root, "bin", "alias.pl"));
  execFileSync("mkfifo", [join(root, "bin", "pipe.pl")]);
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("walkTree", () => {
  it("lists what fast-glob lists for the default include, for each debianDir", () => {
    for (const debianDir of ["debian", "packaging/debian", "."]) {
      const debian = debianDir === "." ? "." : debianDir;
      assert.equal(walksWithoutGlobs(["**/*"], [], debian), true);
      assert.deepEqual(walked(debian), globbed(debianDir), debianDir);
    }
    assert.ok(walked("debian").includes("weird name [1] {a,b} *.pl"));
    assert.ok(!walked("debian").includes("debian/pkg/usr/bin/job.pl"));
    assert.ok(walked("packaging/debian").includes("debian/pkg/usr/bin/job.pl"));
  });

  it("leaves out the cache file, as the escaped glob does", () => {
    assert.deepEqual(walked("debian", "cache/scan-cache.json"), globbed("debian", "cache/scan-cache.json"));
    assert.ok(!walked("debian", "cache/scan-cache.json").includes("cache/scan-cache.json"));
  });

  it("lists what fast-glob lists for excludes by name (**/NAME, **/*.md)", () => {
    const sets = [["**/*.md"], ["**/vendor"], ["**/*.bak", "**/vendor", "**/*.md"], ["**/notes.md"], ["**/.*"], ["**/*"], ["**/job*.pl*"], ["**/a.pl", "**/x.sh"], ["**/tool"]];
    for (const exclude of sets) {
      assert.equal(walksWithoutGlobs(["**/*"], exclude, "debian"), true, exclude.join(" "));
      assert.deepEqual(walked("debian", undefined, exclude), globbed("debian", undefined, exclude), exclude.join(" "));
    }
    assert.ok(walked("debian", undefined, ["**/*.md"]).includes("docs/notes.md/inside.pl"));
    assert.ok(!walked("debian", undefined, ["**/vendor"]).includes("lib/vendor/y.pl"));
    assert.deepEqual(walked("debian", "cache/scan-cache.json", ["**/*.md"]), globbed("debian", "cache/scan-cache.json", ["**/*.md"]));
  });

  it("is used only for the default include, excludes by name and a plain debianDir", () => {
    assert.equal(walksWithoutGlobs(["**/*"], ["vendor/**"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/vendor/**"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/*.md", "docs/*"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/a?.md"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/{a,b}.md"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/a**"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/"], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], ["**/.."], "debian"), false);
    assert.equal(walksWithoutGlobs(["**"], [], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*", "bin/*"], [], "debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], [], "deb[ia]n"), false);
    assert.equal(walksWithoutGlobs(["**/*"], [], "a/../debian"), false);
    assert.equal(walksWithoutGlobs(["**/*"], [], ""), true);
  });

  it("throws the root's own read error", () => {
    assert.throws(() => walkTree(join(base, "missing"), "debian", undefined), { code: "ENOENT" });
  });
});
