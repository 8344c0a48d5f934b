// Builds this repository's own Debian packages (debian/ at the top) with the real
// dpkg-buildpackage, from a copy of the working tree (build products stay out of the
// checkout): `switchman`, the run-time wrapper every box gets, and `cronmeta`, the build tool
// with the debhelper add-on. Checks their fields, contents and man pages, runs the packaged
// code and add-on, and lintian. The install test (test/system/install/) installs them on
// stock Debian 12 and 13.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../../src/switchman/config.js";
import { cronmetaBin, repoRoot, testOutputDir } from "../../helpers/paths.js";
import { BUILD_TOOLS, type DebEntry, buildOwnPackages, changesFile, copyExample, debContents, lintian, requireBuiltCli, requireTools, run, runOk } from "./support.js";

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
}

/** The build tool's own libraries, which switchman never loads. */
const TOOL_ONLY = ["@babel/parser", "commander", "comment-parser", "cronstrue", "diff", "eta", "fast-glob"];
/** switchman is one bundle (scripts/postbuild.mjs): its npm code is inside, no node_modules. */
const SWITCHMAN_MODULES: string[] = [];

/**
 * A code cache names the file it was made for (V8 keeps it for stack traces): the bundle's
 * installed path, and no build directory (which would make the package's bytes depend on where
 * it was built).
 */
function assertNamesOnly(cache: Buffer, installed: string): void {
  assert.ok(cache.includes(installed), `the code cache does not name ${installed}`);
  assert.ok(!cache.includes("debian/build"), "the code cache names the build directory");
}

/**
 * A code cache is its file's (scripts/code-cache-loader.cjs checks the same): it holds the
 * file's bytes (after their length, 4 bytes little-endian), then V8's data.
 */
function assertCacheOf(cache: Buffer, source: Buffer, what: string): void {
  assert.equal(cache.readUInt32LE(0), source.length, `${what}: the code cache is not of a file of this length`);
  assert.ok(cache.subarray(4, 4 + source.length).equals(source), `${what}: the code cache is not the file's`);
  assert.ok(cache.length > 4 + source.length, `${what}: the code cache has no V8 data`);
}

describe("the switchman and cronmeta Debian packages", { timeout: 15 * 60_000 }, () => {
  let work = "";
  const debs = new Map<string, string>();
  const entries = new Map<string, DebEntry[]>();
  const roots = new Map<string, string>();
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C.UTF-8" };
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const topLevel = (dev: boolean): string[] =>
    Object.entries(lock.packages)
      .filter(([path, meta]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && (meta.dev === true) === dev && meta.optional !== true)
      .map(([path]) => path.slice("node_modules/".length));

  before(() => {
    requireTools({ ...BUILD_TOOLS, git: "git", man: "man-db" });
    requireBuiltCli();
    work = mkdtempSync(join(tmpdir(), "cronmeta-deb-self-"));
    for (const [name, deb] of buildOwnPackages(work).debs) {
      debs.set(name, deb);
      entries.set(name, debContents(deb));
      const root = join(work, "root", name);
      mkdirSync(root, { recursive: true });
      runOk("dpkg-deb", ["-x", deb, root], { cwd: work });
      roots.set(name, root);
    }
  });

  after(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  const field = (name: string, key: string): string => runOk("dpkg-deb", ["-f", debs.get(name) as string, key], { cwd: work }).stdout.trim();
  const entry = (name: string, path: string): DebEntry | undefined => entries.get(name)?.find((e) => e.path === path);
  const files = (name: string): string[] => (entries.get(name) ?? []).filter((e) => !e.path.endsWith("/")).map((e) => e.path);
  const modules = (name: string, share: string): Set<string> =>
    new Set(
      (entries.get(name) ?? [])
        .map((e) => new RegExp(`^${share}/node_modules/((?:@[^/]+/)?[^/]+)/$`).exec(e.path)?.[1])
        .filter((m): m is string => m !== undefined && !m.endsWith("/")),
    );

  it("switchman: Architecture all, Depends on nodejs (>= 18.19) and util-linux only", () => {
    assert.equal(field("switchman", "Architecture"), "all");
    assert.equal(field("switchman", "Version"), pkg.version);
    assert.equal(field("switchman", "Depends"), "nodejs (>= 18.19), util-linux (>= 2.38)");
    assert.equal(field("switchman", "Provides"), "");
  });

  it("cronmeta: Depends on nodejs (>= 20) (its CLI libraries need it), Suggests switchman, provides dh-sequence-cronmeta", () => {
    assert.equal(field("cronmeta", "Architecture"), "all");
    assert.equal(field("cronmeta", "Version"), pkg.version);
    assert.match(field("cronmeta", "Depends"), /^nodejs \(>= 20\), perl:any$/);
    assert.equal(field("cronmeta", "Suggests"), "switchman");
    assert.equal(field("cronmeta", "Provides"), "dh-sequence-cronmeta");
  });

  it("switchman ships the wrapper, its man page, the example configs, tmpfiles.d and logrotate entries, and only its run-time modules", () => {
    const share = "/usr/share/switchman";
    assert.equal(entry("switchman", "/usr/bin/switchman")?.mode, "-rwxr-xr-x");
    assert.match(readFileSync(join(roots.get("switchman") as string, "usr/bin/switchman"), "utf8"), /exec \/usr\/bin\/node \/usr\/share\/switchman\/dist\/switchman\/cli\.cjs "\$@"/);
    assert.equal(entry("switchman", `${share}/dist/switchman/cli.cjs`)?.mode, "-rwxr-xr-x");
    assert.ok(entry("switchman", `${share}/package.json`));
    for (const example of ["switchman.conf", "switchman-zookeeper.conf", "README"]) {
      assert.equal(entry("switchman", `/usr/share/doc/switchman/examples/${example}`)?.mode, "-rw-r--r--", example);
    }
    assert.ok(entry("switchman", "/usr/share/doc/switchman/switchman.md.gz"));
    assert.ok(entry("switchman", "/usr/share/man/man1/switchman.1.gz"));
    const tmpfiles = readFileSync(join(roots.get("switchman") as string, "usr/lib/tmpfiles.d/switchman.conf"), "utf8");
    assert.deepEqual(
      tmpfiles.split("\n").filter((l) => l !== "" && !l.startsWith("#")),
      ["d /run/lock/switchman 1777 root root -", "d /run/lock/switchman/0 0700 root root -"],
    );
    assert.equal(runOk("dpkg-deb", ["-I", debs.get("switchman") as string, "conffiles"], { cwd: work }).stdout, "/etc/logrotate.d/switchman\n");
    // Only what switchman imports: no build tool, no Babel, no templates, no tests, no sources.
    assert.deepEqual([...modules("switchman", share)].sort(), SWITCHMAN_MODULES);
    const own = files("switchman").filter((f) => f.startsWith(`${share}/dist/`));
    assert.deepEqual(own.filter((f) => !/^\/usr\/share\/switchman\/dist\/(switchman|syntax)\/|\/dist\/version\.js$/.test(f)), []);
    assert.deepEqual(files("switchman").filter((f) => /\.(ts|map)$/.test(f)), [], "no TypeScript or source maps");
    assert.equal(entry("switchman", "/usr/bin/cronmeta"), undefined);
    // Exactly the bundle that `npm run build` made and `npm run bench` measures, byte for byte.
    // V8's code cache names the file it was made for: the installed path, never the build
    // directory (debian/rules' --installed-dist), so it is the same bytes wherever it is built.
    const bundle = JSON.parse(readFileSync(join(repoRoot, "dist/switchman/bundle-files.json"), "utf8")) as string[];
    assert.deepEqual(own.filter((f) => f !== `${share}/dist/switchman/bundle-files.json`).sort(), bundle.map((f) => `${share}/dist/switchman/${f}`).sort());
    const shipped = (f: string): Buffer => readFileSync(join(roots.get("switchman") as string, `${share}/dist/switchman/${f}`));
    for (const f of bundle.filter((f) => !f.endsWith(".cache"))) {
      assert.ok(shipped(f).equals(readFileSync(join(repoRoot, "dist/switchman", f))), `${f} differs from the checkout's bundle`);
    }
    // The bundle's, and the ZooKeeper client's (required beside it, with its own cache).
    const caches = bundle.filter((f) => f.endsWith(".cache"));
    assert.deepEqual(caches, ["bundle.cjs.cache", "zookeeper-client.cjs.cache"]);
    for (const cache of caches) {
      const file = cache.replace(/\.cache$/, "");
      assertCacheOf(shipped(cache), shipped(file), file);
      assertNamesOnly(shipped(cache), `${share}/dist/switchman/${file}`);
    }
  });

  it("cronmeta ships the build tool, the add-on, templates, schema and its production node_modules, but not switchman", () => {
    const share = "/usr/share/cronmeta";
    for (const bin of ["cronmeta", "dh_cronmeta", "dh_cronmeta_clean"]) assert.equal(entry("cronmeta", `/usr/bin/${bin}`)?.mode, "-rwxr-xr-x", bin);
    assert.equal(entry("cronmeta", "/usr/bin/switchman"), undefined, "switchman is its own package");
    // `cronmeta monitor` reads switchman's config and records with switchman's own modules; the wrapper is not there.
    assert.equal(entry("cronmeta", `${share}/dist/switchman/cli.js`), undefined);
    assert.equal(entry("cronmeta", `${share}/dist/switchman/cli.cjs`), undefined);
    assert.equal(entry("cronmeta", `${share}/dist/switchman/supervisor.js`), undefined);
    assert.equal(entry("cronmeta", "/usr/share/perl5/Debian/Debhelper/Sequence/cronmeta.pm")?.mode, "-rw-r--r--");
    assert.equal(entry("cronmeta", `${share}/dist/cli/cronmeta.cjs`)?.mode, "-rwxr-xr-x");
    // The code cache of the CLI's bundle is the bundle's (scripts/code-cache-loader.cjs checks the same)
    // and names the installed bundle, as switchman's does.
    const cli = (f: string): Buffer => readFileSync(join(roots.get("cronmeta") as string, `${share}/dist/cli/${f}`));
    assertCacheOf(cli("bundle.cjs.cache"), cli("bundle.cjs"), "cronmeta's bundle.cjs");
    assert.ok(cli("bundle.cjs").equals(readFileSync(join(repoRoot, "dist/cli/bundle.cjs"))), "bundle.cjs differs from the checkout's build");
    assertNamesOnly(cli("bundle.cjs.cache"), `${share}/dist/cli/bundle.cjs`);
    assert.ok(entry("cronmeta", `${share}/templates/cron.d.eta`));
    assert.ok(entry("cronmeta", `${share}/schema/cronmeta.config.schema.json`));
    assert.deepEqual(files("cronmeta").filter((f) => /\.(ts|map)$/.test(f)), [], "no TypeScript or source maps");
    const shipped = modules("cronmeta", share);
    const runtime = modules("switchman", "/usr/share/switchman");
    for (const name of TOOL_ONLY) {
      assert.ok(shipped.has(name), `${name} missing from cronmeta`);
      assert.equal(runtime.has(name), false, `${name} shipped with switchman`);
    }
    // Every production dependency ships with the package that imports it.
    for (const name of Object.keys(pkg.dependencies)) assert.ok(shipped.has(name) || runtime.has(name), `production dependency ${name} shipped nowhere`);
    for (const name of topLevel(true)) {
      assert.equal(shipped.has(name), false, `development dependency ${name} shipped`);
      assert.equal(runtime.has(name), false, `development dependency ${name} shipped with switchman`);
    }
    assert.match(readFileSync(join(roots.get("cronmeta") as string, "usr/bin/cronmeta"), "utf8"), /exec \/usr\/bin\/node \/usr\/share\/cronmeta\/dist\/cli\/cronmeta\.cjs "\$@"/);
  });

  it("every man page renders without roff warnings", () => {
    for (const [name, page] of [
      ["switchman", "switchman"],
      ["cronmeta", "cronmeta"],
      ["cronmeta", "dh_cronmeta"],
      ["cronmeta", "dh_cronmeta_clean"],
    ] as const) {
      const path = join(roots.get(name) as string, "usr/share/man/man1", `${page}.1.gz`);
      assert.ok(existsSync(path), path);
      const rendered = run("man", ["--warnings", "-l", path], { cwd: work, env: { ...env, MANWIDTH: "80", MANPAGER: "cat", PAGER: "cat" } });
      assert.equal(rendered.status, 0, rendered.stderr);
      assert.equal(rendered.stderr, "", `${page}.1 has roff warnings`);
      assert.match(rendered.stdout, new RegExp(`^NAME\\s+${page} `, "m"));
    }
  });

  it("the example configurations are valid switchman configs", () => {
    const examples = join(roots.get("switchman") as string, "usr/share/doc/switchman/examples");
    assert.equal(loadConfig(join(examples, "switchman.conf")).mode, "local");
    assert.equal(loadConfig(join(examples, "switchman-zookeeper.conf")).mode, "zookeeper");
  });

  it("the packaged switchman runs a job in local mode, from its own modules only", () => {
    const sandbox = join(work, "run");
    mkdirSync(sandbox);
    const config = join(sandbox, "switchman.conf");
    writeFileSync(config, JSON.stringify({ lockdir: join(sandbox, "locks"), logfile: join(sandbox, "log"), groups: { g: "box1.example.com" } }));
    const cli = join(roots.get("switchman") as string, "usr/share/switchman/dist/switchman/cli.cjs");
    const result = runOk(process.execPath, [cli, "--config", config, "-g", "g", "--lockname", "packaged", "--", "echo", "ran"], {
      cwd: work,
      env: { PATH: "/usr/bin:/bin", SWITCHMAN_HOSTNAME: "box1.example.com" },
    });
    assert.equal(result.stdout, "ran\n");
    assert.match(readFileSync(join(sandbox, "log"), "utf8"), /\tinfo\tFINISH lockname=packaged exit=0 /);
    assert.match(runOk(process.execPath, [cli, "--version"], { cwd: work }).stdout, new RegExp(`^switchman \\(cronmeta\\) ${pkg.version.replace(/\./g, "\\.")}\\n$`));
  });

  it("the packaged cronmeta runs: --version, and gen writes what the checkout's cronmeta writes", () => {
    const packaged = join(roots.get("cronmeta") as string, "usr/share/cronmeta/dist/cli/cronmeta.cjs");
    assert.equal(runOk(process.execPath, [packaged, "--version"], { cwd: work }).stdout.trim(), pkg.version);
    const example = copyExample(join(work, "example"));
    const fromDeb = join(work, "out-deb");
    const fromRepo = join(work, "out-repo");
    runOk(process.execPath, [packaged, "gen", "--root", example, "--mode", "dir", "--out", fromDeb], { cwd: work });
    runOk(process.execPath, [cronmetaBin, "gen", "--root", example, "--mode", "dir", "--out", fromRepo], { cwd: work });
    const generated = readdirSync(fromDeb).sort();
    assert.deepEqual(generated.filter((f) => !f.endsWith(".cronmeta.json")), ["my-project-scripts1", "my-project-scripts2", "my-project-scripts3"]);
    assert.deepEqual(readdirSync(fromRepo).sort(), generated);
    for (const f of generated) assert.equal(readFileSync(join(fromDeb, f), "utf8"), readFileSync(join(fromRepo, f), "utf8"), f);
  });

  it("the packaged add-on drives a build: dh finds it, dh_cronmeta writes the files and ${cronmeta:Depends}", () => {
    const root = roots.get("cronmeta") as string;
    const example = copyExample(join(work, "example-addon"));
    const addonEnv: NodeJS.ProcessEnv = {
      ...env,
      PERL5LIB: join(root, "usr/share/perl5"),
      PATH: `${join(root, "usr/bin")}:${env.PATH ?? "/usr/bin:/bin"}`,
      CRONMETA: `${process.execPath} ${join(root, "usr/share/cronmeta/dist/cli/cronmeta.cjs")}`,
    };
    const steps = runOk("dh", ["binary", "--no-act"], { cwd: example, env: addonEnv }).stdout.split("\n").map((l) => l.trim());
    assert.equal(steps[steps.indexOf("dh_cronmeta") + 1], "dh_installcron");
    runOk("dh_cronmeta", [], { cwd: example, env: addonEnv });
    assert.match(readFileSync(join(example, "debian", "my-project-scripts1.cron.d"), "utf8"), /^# Generated by cronmeta/);
    for (const cron of ["my-project-scripts1", "my-project-scripts2", "my-project-scripts3"]) {
      assert.match(readFileSync(join(example, "debian", `${cron}.substvars`), "utf8"), /^cronmeta:Depends=switchman$/m, cron);
    }
    // The scripts package got no cron file: the variable is defined, empty (no dpkg-gencontrol warning either way).
    assert.match(readFileSync(join(example, "debian", "my-project.substvars"), "utf8"), /^cronmeta:Depends=$/m);
    // With "switchman": false the wrapper is gone, and so is the dependency.
    const config = join(example, "cronmeta.config.json");
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, "utf8")), switchman: false }));
    runOk("dh_cronmeta", [], { cwd: example, env: addonEnv });
    assert.match(readFileSync(join(example, "debian", "my-project-scripts1.substvars"), "utf8"), /^cronmeta:Depends=$/m);
    runOk("dh_cronmeta_clean", [], { cwd: example, env: addonEnv });
    assert.equal(existsSync(join(example, "debian", "my-project-scripts1.cron.d")), false);
  });

  it("is lintian-clean: no error or warning (info tags are overridden with reasons)", () => {
    const { tags, output } = lintian(changesFile(work), work);
    mkdirSync(join(testOutputDir, "debian"), { recursive: true });
    writeFileSync(join(testOutputDir, "debian", "cronmeta.lintian.txt"), output);
    for (const name of ["cronmeta", "switchman"]) {
      // The package's files, bundled modules summarised, for the record.
      const listing = (entries.get(name) ?? [])
        .filter((e) => !e.path.includes("/node_modules/") || /\/node_modules\/(@[^/]+\/)?[^/@]+\/$/.test(e.path))
        .map((e) => `${e.mode} ${e.path}${e.target !== undefined ? ` -> ${e.target}` : ""}`);
      writeFileSync(join(testOutputDir, "debian", `${name}.contents.txt`), `${listing.join("\n")}\n`);
    }
    const bad = tags.filter((t) => t.severity === "E" || t.severity === "W");
    assert.deepEqual(bad.map((t) => t.line), [], output);
  });

  it("leaves no build product in the checkout", () => {
    for (const name of ["debian/cronmeta", "debian/switchman", "debian/build", "debian/files", "debian/.debhelper", "debian/debhelper-build-stamp"]) {
      assert.equal(existsSync(join(repoRoot, name)), false, `${name} in the checkout`);
    }
  });
});
