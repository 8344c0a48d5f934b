import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type DebianInfo, readDebian } from "../../src/debian/read.js";
import { walkTree } from "../../src/scan/tree.js";
import { prng } from "../helpers/prng.js";

// readDebian with `only` (the scanned files) matches simple install sources (literal segments,
// `*` and `?`) against those files without listing a directory; without `only` it expands every
// source with fast-glob and stat(2). For the files of `only` the two must agree: same package,
// installed path, install file and line, the first source that names a file winning.

let base: string;
let root: string;

async function put(path: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), "x\n");
}

const FILES = [
  "bin/a.pl",
  "bin/b.sh",
  "bin/.hidden.sh",
  "bin/.sh",
  "bin/sub/c.py",
  "bin/sub/deeper/d.pl",
  "bin/x.y.z",
  "bin/a+b.pl",
  "bin/a.b",
  "bin/ab",
  "bin/aXb",
  "bin/dir.sh/inner.pl",
  "lib/one.pl",
  "lib/two/three.sh",
  "lib/.dot/four.pl",
  "services/svc01/bin/job-1.pl",
  "services/svc01/bin/job-22.sh",
  "services/svc01/lib/Helper.pm",
  "services/svc02/bin/job-3.py",
  "services/svc02/lib/deep/x.pl",
  "top.pl",
  ".hidden-top.sh",
  "weird name [1] {a,b}.pl",
  "linked-target/in-target.pl",
  // fast-glob reads `services/svc0?/lib`'s base directory literally (glob-parent): this one.
  "services/svc0?/lib/q.pl",
  "b?n/sub/r.pl",
  // Between "lib" and "lib/…" in code-unit order: the literal source lib's run must skip them.
  "lib-z.pl",
  "lib.d/z.pl",
  "top.pl.d/w.pl",
];

/** Segments the random sources are made of: names of the tree, wildcards and near misses. */
const SEGMENTS = ["lib-z.pl", "lib.d", "top.pl", "b?n", "svc0?", "s.?b", "a+?", "bin", "lib", "sub", "services", "svc01", "svc02", "*", "?", "*.pl", "*.sh", "?.pl", "a*", "*b", "a?b", "a.b", ".*", "job-*", "job-?.*", "*-*", "svc0?", "s*", "deep", "deeper", "dir.sh", "two", ".dot", "x.y.z", "a+b.pl", "*.*", "top.pl", "nothing", "*1*"];

before(async () => {
  base = await mkdtemp(join(tmpdir(), "cronmeta-install-match-"));
  root = join(base, "project");
  for (const f of FILES) await put(f);
  await symlink("a.pl", join(root, "bin", "alias.pl"));
  await symlink(join(root, "linked-target"), join(root, "bin", "linked-dir"));
  await symlink(join(root, "linked-target"), join(root, "linked"));
  await put("debian/control");
  await writeFile(join(root, "debian", "control"), "Source: p\n\nPackage: pkg-a\n\nPackage: pkg-b\n");
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

/** The installed entries of `files`, in a comparable form. */
function entriesOf(info: DebianInfo, files: readonly string[]): unknown[] {
  return files.filter((f) => info.installed.has(f)).map((f) => [f, info.installed.get(f)]);
}

/** Compares the two for these install files; returns how many files of `only` were installed, or undefined when fast-glob failed. */
async function compare(installs: Record<string, string>): Promise<number | undefined> {
  await rm(join(root, "debian"), { recursive: true, force: true });
  await mkdir(join(root, "debian"));
  await writeFile(join(root, "debian", "control"), "Source: p\n\nPackage: pkg-a\n\nPackage: pkg-b\n");
  for (const [name, text] of Object.entries(installs)) await writeFile(join(root, "debian", name), text);
  const only = walkTree(root, "debian", undefined).paths.sort();
  let full: DebianInfo;
  try {
    full = await readDebian(root, "debian");
  } catch (error) {
    // fast-glob fails on a source whose base directory is a file (ENOTDIR): nothing to compare.
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
  const matched = await readDebian(root, "debian", { only });
  assert.deepEqual(entriesOf(matched, only), entriesOf(full, only), JSON.stringify(installs));
  assert.deepEqual([...matched.installed.keys()].filter((f) => !only.includes(f)), []);
  assert.deepEqual(matched.notes, full.notes);
  return entriesOf(full, only).length;
}

describe("install sources matched among the scanned files", () => {
  it("agree with fast-glob and stat(2) on literal files, directories, wildcards and links", async () => {
    const compared = await compare({
      "pkg-a.install": "bin/* usr/bin\nlib usr/share/a\nservices/*/bin/job-?.* usr/lib/a\n./top.pl/ usr/bin\nlinked usr/share/l\nbin/linked-dir usr/share/m\nb?n/sub usr/share/q\n",
      "pkg-b.install": "bin/*.pl usr/share/b\nbin/sub usr/share/b2\nservices/svc0?/lib /usr/lib/b/\n.hidden-top.sh usr/bin\nweird* usr/bin\nbin/s?b usr/share/s\nb?n/* usr/share/t\n",
    });
    assert.ok(compared !== undefined && compared >= 20, `${compared} files installed`);
  });

  it("agree on random sources, the first line that names a file winning", async () => {
    const random = prng(14);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let compared = 0;
    let installed = 0;
    for (let round = 0; round < 60; round++) {
      const installs: Record<string, string> = {};
      for (const pkg of ["pkg-a", "pkg-b"]) {
        const lines: string[] = [];
        for (let l = 0; l < 4; l++) {
          const sources: string[] = [];
          for (let s = 1 + Math.floor(random() * 3); s > 0; s--) {
            const depth = 1 + Math.floor(random() * 4);
            sources.push(Array.from({ length: depth }, () => pick(SEGMENTS)).join("/"));
          }
          lines.push(`${sources.join(" ")} usr/share/${pkg}/${l}`);
        }
        installs[`${pkg}.install`] = `${lines.join("\n")}\n`;
      }
      const count = await compare(installs);
      if (count === undefined) continue;
      compared += 1;
      installed += count;
    }
    assert.ok(compared >= 30, `only ${compared} of 60 rounds compared`);
    assert.ok(installed >= 200, `only ${installed} files installed in ${compared} rounds`);
  });
});
