// Builds cronmeta's own Debian package (debian/ at the top of the repository) with the real
// dpkg-buildpackage, from a copy of the working tree (build products stay out of the
// checkout), then checks its contents, runs the packaged code and add-on, and lintian.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cronmetaBin, repoRoot, testOutputDir } from "../../helpers/paths.js";
import {
  BUILD_TOOLS,
  type DebEntry,
  builtDebs,
  changesFile,
  copyExample,
  debContents,
  lintian,
  requireBuiltCli,
  requireTools,
  run,
  runOk,
} from "./support.js";

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
}

/** Copies the files git would see (tracked or not ignored) into `dest`; node_modules is linked. */
function copyWorkingTree(dest: string): void {
  const listed = runOk("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot }).stdout;
  for (const file of listed.split("\0").filter((f) => f !== "")) {
    const from = join(repoRoot, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(from, join(dest, file), { verbatimSymlinks: true });
  }
  // The package build reads node_modules (tsc, production modules) but never writes to it.
  symlinkSync(join(repoRoot, "node_modules"), join(dest, "node_modules"));
}

describe("cronmeta's own Debian package", { timeout: 15 * 60_000 }, () => {
  let work = "";
  let deb = "";
  let entries: DebEntry[] = [];
  let root = "";
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C.UTF-8", DEB_BUILD_OPTIONS: "nocheck" };
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const topLevel = (dev: boolean): string[] =>
    Object.entries(lock.packages)
      .filter(([path, meta]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && (meta.dev === true) === dev && meta.optional !== true)
      .map(([path]) => path.slice("node_modules/".length));

  before(() => {
    requireTools({ ...BUILD_TOOLS, git: "git", man: "man-db" });
    requireBuiltCli();
    delete env.MAKEFLAGS;
    delete env.MAKELEVEL;
    delete env.DH_VERBOSE;
    work = mkdtempSync(join(tmpdir(), "cronmeta-deb-self-"));
    const source = join(work, "cronmeta");
    copyWorkingTree(source);
    runOk("dpkg-checkbuilddeps", [], { cwd: source, env });
    runOk("dpkg-buildpackage", ["-us", "-uc", "-b"], { cwd: source, env });
    const debs = builtDebs(work);
    assert.deepEqual([...debs.keys()], ["cronmeta"]);
    deb = debs.get("cronmeta")!;
    entries = debContents(deb);
    root = join(work, "root");
    mkdirSync(root);
    runOk("dpkg-deb", ["-x", deb, root], { cwd: work });
  });

  after(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  const entry = (path: string): DebEntry | undefined => entries.find((e) => e.path === path);

  it("is Architecture: all, depends on nodejs (>= 20) and provides dh-sequence-cronmeta", () => {
    const field = (name: string): string => runOk("dpkg-deb", ["-f", deb, name], { cwd: work }).stdout.trim();
    assert.equal(field("Architecture"), "all");
    assert.match(field("Depends"), /(^|, )nodejs \(>= 20\)(,|$)/);
    assert.equal(field("Provides"), "dh-sequence-cronmeta");
    assert.equal(field("Version"), pkg.version);
  });

  it("installs the commands, the add-on and the man pages", () => {
    for (const bin of ["cronmeta", "switchman", "dh_cronmeta", "dh_cronmeta_clean"]) {
      assert.equal(entry(`/usr/bin/${bin}`)?.mode, "-rwxr-xr-x", `/usr/bin/${bin}`);
    }
    assert.equal(entry("/usr/share/perl5/Debian/Debhelper/Sequence/cronmeta.pm")?.mode, "-rw-r--r--");
    for (const page of ["cronmeta", "switchman", "dh_cronmeta", "dh_cronmeta_clean"]) {
      assert.ok(entry(`/usr/share/man/man1/${page}.1.gz`), `${page}.1.gz`);
      const rendered = run("man", ["--warnings", "-l", join(root, "usr/share/man/man1", `${page}.1.gz`)], {
        cwd: work,
        env: { ...env, MANWIDTH: "80", MANPAGER: "cat", PAGER: "cat" },
      });
      assert.equal(rendered.status, 0, rendered.stderr);
      assert.equal(rendered.stderr, "", `${page}.1 has roff warnings`);
      assert.match(rendered.stdout, new RegExp(`^NAME\\s+${page} `, "m"));
    }
  });

  it("ships the compiled code, templates, schema and exactly the production node_modules", () => {
    const share = "/usr/share/cronmeta";
    assert.equal(entry(`${share}/dist/cli/cronmeta.js`)?.mode, "-rwxr-xr-x");
    assert.ok(entry(`${share}/dist/switchman/cli.js`), "switchman's compiled entry point");
    assert.ok(entry(`${share}/templates/cron.d.eta`));
    assert.ok(entry(`${share}/schema/cronmeta.config.schema.json`));
    assert.ok(entry(`${share}/package.json`));
    assert.equal(entries.filter((e) => e.path.startsWith(`${share}/dist/test/`)).length, 0, "no compiled tests");
    assert.equal(entries.filter((e) => /\.ts$/.test(e.path) && !/\.d\.ts$/.test(e.path)).length, 0, "no TypeScript sources");
    const modules = new Set(
      entries
        .map((e) => /^\/usr\/share\/cronmeta\/node_modules\/((?:@[^/]+\/)?[^/]+)\/$/.exec(e.path)?.[1])
        .filter((m): m is string => m !== undefined && !m.endsWith("/")),
    );
    for (const name of topLevel(false)) assert.ok(modules.has(name), `production dependency ${name} missing`);
    for (const name of topLevel(true)) assert.equal(modules.has(name), false, `development dependency ${name} shipped`);
    const wrapper = readFileSync(join(root, "usr/bin/cronmeta"), "utf8");
    assert.match(wrapper, /exec \/usr\/bin\/node \/usr\/share\/cronmeta\/dist\/cli\/cronmeta\.js "\$@"/);
    const switchman = readFileSync(join(root, "usr/bin/switchman"), "utf8");
    assert.match(switchman, /exec \/usr\/bin\/node \/usr\/share\/cronmeta\/dist\/switchman\/cli\.js "\$@"/);
  });

  it("the packaged cronmeta runs: --version, and gen writes what the checkout's cronmeta writes", () => {
    const packaged = join(root, "usr/share/cronmeta/dist/cli/cronmeta.js");
    assert.equal(runOk(process.execPath, [packaged, "--version"], { cwd: work }).stdout.trim(), pkg.version);
    const example = copyExample(join(work, "example"));
    const fromDeb = join(work, "out-deb");
    const fromRepo = join(work, "out-repo");
    runOk(process.execPath, [packaged, "gen", "--root", example, "--mode", "dir", "--out", fromDeb], { cwd: work });
    runOk(process.execPath, [cronmetaBin, "gen", "--root", example, "--mode", "dir", "--out", fromRepo], { cwd: work });
    const files = readdirSync(fromDeb).sort();
    assert.deepEqual(files, ["my-project-scripts1", "my-project-scripts2", "my-project-scripts3"]);
    assert.deepEqual(readdirSync(fromRepo).sort(), files);
    for (const f of files) assert.equal(readFileSync(join(fromDeb, f), "utf8"), readFileSync(join(fromRepo, f), "utf8"), f);
  });

  it("the packaged switchman runs --help", () => {
    const result = runOk(process.execPath, [join(root, "usr/share/cronmeta/dist/switchman/cli.js"), "--help"], { cwd: work });
    assert.match(result.stdout + result.stderr, /--lockname/);
  });

  it("the packaged add-on drives a build: dh finds it and dh_cronmeta runs the packaged cronmeta", () => {
    const example = copyExample(join(work, "example-addon"));
    const addonEnv: NodeJS.ProcessEnv = {
      ...env,
      PERL5LIB: join(root, "usr/share/perl5"),
      PATH: `${join(root, "usr/bin")}:${env.PATH ?? "/usr/bin:/bin"}`,
      CRONMETA: `${process.execPath} ${join(root, "usr/share/cronmeta/dist/cli/cronmeta.js")}`,
    };
    const steps = runOk("dh", ["binary", "--no-act"], { cwd: example, env: addonEnv }).stdout.split("\n").map((l) => l.trim());
    assert.equal(steps[steps.indexOf("dh_cronmeta") + 1], "dh_installcron");
    runOk("dh_cronmeta", [], { cwd: example, env: addonEnv });
    assert.match(readFileSync(join(example, "debian", "my-project-scripts1.cron.d"), "utf8"), /^# Generated by cronmeta/);
    runOk("dh_cronmeta_clean", [], { cwd: example, env: addonEnv });
    assert.equal(existsSync(join(example, "debian", "my-project-scripts1.cron.d")), false);
  });

  it("is lintian-clean: no error or warning (info tags are overridden with reasons)", () => {
    const { tags, output } = lintian(changesFile(work), work);
    mkdirSync(join(testOutputDir, "debian"), { recursive: true });
    writeFileSync(join(testOutputDir, "debian", "cronmeta.lintian.txt"), output);
    // The package's files, bundled modules summarised, for the record.
    const listing = entries
      .filter((e) => !e.path.includes("/node_modules/") || /^\/usr\/share\/cronmeta\/node_modules\/(@[^/]+\/)?[^/@]+\/$/.test(e.path))
      .map((e) => `${e.mode} ${e.path}${e.target !== undefined ? ` -> ${e.target}` : ""}`);
    writeFileSync(join(testOutputDir, "debian", "cronmeta.contents.txt"), `${listing.join("\n")}\n`);
    const bad = tags.filter((t) => t.severity === "E" || t.severity === "W");
    assert.deepEqual(bad.map((t) => t.line), [], output);
  });

  it("leaves no build product in the checkout", () => {
    for (const name of ["debian/cronmeta", "debian/build", "debian/files", "debian/.debhelper", "debian/debhelper-build-stamp"]) {
      assert.equal(existsSync(join(repoRoot, name)), false, `${name} in the checkout`);
    }
  });
});
