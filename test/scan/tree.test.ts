import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { configSchema, defaultConfig, type ConfigInput } from "../../src/config/schema.js";
import { scanTree } from "../../src/scan/index.js";
import { fixturesDir } from "../helpers/paths.js";

const METADATA = "=head1 METADATA\n<crontab>\n  time: @daily\n</crontab>\n=cut\n";

let base: string; // holds the root and a directory outside it
let root: string;

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

async function files(input: ConfigInput = {}): Promise<string[]> {
  // The config schema rejects globs that leave the root; the scanner must hold even if one gets through.
  const { include, exclude, ...rest } = input;
  const config = { ...configSchema.parse(rest), ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
  return (await scanTree(root, config)).map((f) => f.file);
}

before(async () => {
  base = await mkdtemp(join(tmpdir(), "cronmeta-scan-"));
  root = join(base, "project");
  await cp(join(fixturesDir, "scan", "tree"), root, { recursive: true });
  // Never scanned: VCS data, dependencies at any depth, package build trees.
  await put(join(root, ".git", "hooks", "job.pl"), METADATA);
  await put(join(root, ".git", "HEAD.pl"), METADATA);
  await put(join(root, "node_modules", "dep", "job.pl"), METADATA);
  await put(join(root, "lib", "node_modules", "dep", "job.pl"), METADATA);
  await put(join(root, "debian", "tools", "usr", "bin", "cleanup.pl"), METADATA);
  await put(join(root, "debian", ".debhelper", "generated", "x.pl"), METADATA);
  await put(join(root, "debian", "tmp", "y.pl"), METADATA);
  await put(join(root, "packaging", "debian", "pkg", "z.pl"), METADATA);
  // Binary: a NUL byte in the first 8 KiB; a NUL later does not make a file binary.
  await put(join(root, "bin", "image.pl"), Buffer.concat([Buffer.from("\x89PNG\0\0"), Buffer.from(METADATA)]));
  await put(join(root, "bin", "late-nul.pl"), Buffer.concat([Buffer.from(METADATA), Buffer.alloc(9000, 0x20), Buffer.from([0])]));
  // Larger than the first read (64 KiB) and than one chunk (1 MiB): read in full.
  await put(join(root, "bin", "long.pl"), `${"# filler line of a long script\n".repeat(40_000)}${METADATA}`);
  // Over 32 MiB: no script is that big, the file is not read.
  await put(join(root, "bin", "huge.pl"), `${METADATA}${" ".repeat(33 * 1024 * 1024)}\n`);
  // Code-unit order puts "Zeta" before "broken".
  await put(join(root, "bin", "Zeta.pl"), METADATA);
  // Symbolic links are never followed, whether they point outside or inside the tree.
  await put(join(base, "outside", "secret.pl"), METADATA);
  await symlink(join(base, "outside", "secret.pl"), join(root, "bin", "outside.pl"));
  await symlink(join(base, "outside"), join(root, "linked-dir"));
  await symlink("cleanup.pl", join(root, "bin", "alias.pl"));
  // A FIFO must not block the scan.
  execFileSync("mkfifo", [join(root, "bin", "pipe.pl")]);
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("scanTree", () => {
  it("finds the METADATA files of a tree, sorted by path, skipping what must be skipped", async () => {
    assert.deepEqual(await files(), [
      "bin/Zeta.pl",
      "bin/broken.pl",
      "bin/cleanup.pl",
      "bin/late-nul.pl",
      "bin/long.pl",
      "bin/reindex",
      "bin/report.py",
      "bin/rotate.sh",
      "bin/stats.ts",
      "debian/postinst.pl",
      "docs/example.md",
      "packaging/debian/copied.pl",
      "packaging/debian/pkg/z.pl",
    ]);
  });

  it("returns the sections and problems of each file", async () => {
    const scanned = await scanTree(root, defaultConfig());
    const byFile = new Map(scanned.map((f) => [f.file, f]));
    assert.deepEqual(byFile.get("bin/cleanup.pl")?.sections, [
      {
        form: "pod",
        pos: { line: 7, column: 1 },
        index: 0,
        entries: [
          { key: "package", value: "tools", keyPos: { line: 8, column: 5 }, valuePos: { line: 8, column: 14 } },
          { key: "time", value: "15 2 * * *", keyPos: { line: 9, column: 5 }, valuePos: { line: 9, column: 11 } },
        ],
      },
    ]);
    const reindex = byFile.get("bin/reindex");
    assert.equal(reindex?.sections[0]?.form, "jsdoc");
    assert.equal(reindex?.sections[0]?.entries[1]?.value, "*/10 * * * *");
    assert.equal(byFile.get("bin/stats.ts")?.sections[0]?.form, "jsdoc");
    assert.deepEqual(byFile.get("bin/rotate.sh")?.sections[0]?.entries.map((e) => e.key), ["package", "params", "time"]);
    assert.deepEqual(byFile.get("bin/report.py")?.sections[0]?.entries.map((e) => e.value), ["reports", "0 6 * * mon"]);
    assert.deepEqual(byFile.get("bin/long.pl")?.sections[0]?.entries[0]?.keyPos, { line: 40_003, column: 3 });
    const broken = byFile.get("bin/broken.pl");
    assert.deepEqual(broken?.sections, []);
    assert.deepEqual(broken?.problems.map((p) => [p.rule, p.pos.line, p.pos.column]), [
      ["metadata-empty", 4, 1],
      ["metadata-syntax", 5, 5],
    ]);
  });

  it("applies include and exclude relative to the root", async () => {
    assert.deepEqual(await files({ include: ["bin/*.pl"] }), ["bin/Zeta.pl", "bin/broken.pl", "bin/cleanup.pl", "bin/late-nul.pl", "bin/long.pl"]);
    assert.deepEqual(await files({ exclude: ["docs/**", "**/*.py", "packaging", "bin/[A-Z]*"] }), [
      "bin/broken.pl",
      "bin/cleanup.pl",
      "bin/late-nul.pl",
      "bin/long.pl",
      "bin/reindex",
      "bin/rotate.sh",
      "bin/stats.ts",
      "debian/postinst.pl",
    ]);
  });

  it("lists a file once when several include globs match it, in one walk or several", async () => {
    const once = await files({ include: ["bin/*.pl"] });
    assert.deepEqual(await files({ include: ["bin/*.pl", "bin/**/*.pl", "bin/c*.pl"] }), once);
    assert.deepEqual(await files({ include: ["bin/*.pl", "**/bin/*.pl", "./bin/cleanup.pl"] }), once);
  });

  it("cannot be made to skip .git or node_modules off, nor to leave the root", async () => {
    assert.deepEqual(await files({ include: [".git/**", "node_modules/**", "**/node_modules/**"] }), []);
    for (const include of [["../**"], [`${base}/outside/*`], ["linked-dir/*"], ["linked-dir/secret.pl"], ["bin/outside.pl", "bin/alias.pl", "bin/pipe.pl"]]) {
      assert.deepEqual(await files({ include }), [], include.join());
    }
    // A pattern whose base is a linked directory loses that part only.
    assert.deepEqual(await files({ include: ["{linked-dir,bin}/*.pl"] }), ["bin/Zeta.pl", "bin/broken.pl", "bin/cleanup.pl", "bin/late-nul.pl", "bin/long.pl"]);
  });

  it("skips the package build trees of a configured debianDir", async () => {
    // debian/ is now an ordinary directory.
    assert.deepEqual(await files({ debianDir: "packaging/debian", include: ["packaging/**", "debian/**"] }), [
      "debian/.debhelper/generated/x.pl",
      "debian/postinst.pl",
      "debian/tmp/y.pl",
      "debian/tools/usr/bin/cleanup.pl",
      "packaging/debian/copied.pl",
    ]);
    assert.deepEqual(await files({ debianDir: "./packaging/debian/", include: ["packaging/**"] }), ["packaging/debian/copied.pl"]);
    // "." would make every directory a build tree: only the fixed skips apply.
    assert.deepEqual(await files({ debianDir: ".", include: ["bin/c*"] }), ["bin/cleanup.pl"]);
  });

  it("returns nothing for a tree without METADATA", async () => {
    const empty = join(base, "empty");
    await put(join(empty, "a.sh"), "#!/bin/sh\necho =head1 METADATA\n");
    await put(join(empty, "b.js"), "// @crontab in a line comment\n");
    assert.deepEqual(await scanTree(empty, defaultConfig()), []);
  });
});
