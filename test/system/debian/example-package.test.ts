// Builds examples/my-project with the real dpkg-buildpackage, the cronmeta debhelper add-on
// taken from this repository (Build-Depends: dh-sequence-cronmeta), then inspects the .debs
// with dpkg-deb and lintian. One build for the whole file: it takes a while.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fixturesDir, testOutputDir } from "../../helpers/paths.js";
import {
  BUILD_TOOLS,
  CRON_PACKAGES,
  addonEnv,
  builtDebs,
  changesFile,
  copyExample,
  debContents,
  lintian,
  makeCronmetaShim,
  requireBuiltCli,
  requireTools,
  run,
  runOk,
} from "./support.js";

const SCRIPTS = [
  "check-disk.sh",
  "check-replication",
  "cleanup-tmp.sh",
  "expire-sessions.py",
  "export-stats.mjs",
  "process-queue.pl",
  "purge-cache.sh",
  "rebuild-index.js",
  "send-digest.py",
  "sync-prices.ts",
  "warm-cache.pl",
];

describe("examples/my-project built with dpkg-buildpackage and the cronmeta add-on", { timeout: 15 * 60_000 }, () => {
  let work = "";
  let env: NodeJS.ProcessEnv = {};
  let sourceDir = "";
  let buildLog = "";
  let debs = new Map<string, string>();
  /** What `cronmeta gen` (source mode) writes for each package, from a separate copy. */
  const expected = new Map<string, string>();

  before(() => {
    requireTools(BUILD_TOOLS);
    requireBuiltCli();
    work = mkdtempSync(join(tmpdir(), "cronmeta-deb-example-"));
    env = addonEnv(makeCronmetaShim(join(work, "shim")));

    const reference = copyExample(join(work, "reference"));
    runOk("cronmeta", ["gen"], { cwd: reference, env });
    for (const pkg of CRON_PACKAGES) expected.set(pkg, readFileSync(join(reference, "debian", `${pkg}.cron.d`), "utf8"));

    mkdirSync(join(work, "build"));
    sourceDir = copyExample(join(work, "build", "my-project"));
    // dh-sequence-cronmeta is provided by the cronmeta package, which this test deliberately
    // does not install: the add-on comes from the checkout (PERL5LIB, PATH). Prove that it is
    // the only unmet build dependency, then build with -d.
    const check = run("dpkg-checkbuilddeps", [], { cwd: sourceDir, env });
    assert.equal(check.status, 1, `dpkg-checkbuilddeps: ${check.stdout}${check.stderr}`);
    assert.match(check.stderr, /Unmet build dependencies: dh-sequence-cronmeta\s*$/m, check.stderr);

    // DH_VERBOSE makes debhelper echo the commands it runs (the cronmeta gen line).
    const build = runOk("dpkg-buildpackage", ["-us", "-uc", "-b", "-d"], { cwd: sourceDir, env: { ...env, DH_VERBOSE: "1" } });
    buildLog = build.stdout + build.stderr;
    debs = builtDebs(join(work, "build"));
  });

  after(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("builds the scripts package and the three cron packages", () => {
    assert.deepEqual([...debs.keys()].sort(), ["my-project", ...CRON_PACKAGES]);
  });

  it("runs dh_cronmeta right before dh_installcron", () => {
    const lines = buildLog.split("\n").map((l) => l.trim());
    const gen = lines.indexOf("dh_cronmeta");
    assert.ok(gen >= 0, `dh_cronmeta not run:\n${buildLog}`);
    const install = lines.indexOf("dh_installcron");
    assert.ok(install > gen, "dh_installcron must run after dh_cronmeta");
    assert.ok(lines.slice(gen, install).includes("cronmeta gen --root . --mode source"), buildLog);
    const helpers = lines.filter((l) => /^dh_[a-z_]+$/.test(l));
    const at = helpers.indexOf("dh_cronmeta");
    assert.deepEqual(helpers.slice(at, at + 2), ["dh_cronmeta", "dh_installcron"]);
  });

  for (const pkg of CRON_PACKAGES) {
    it(`${pkg}.deb holds exactly /etc/cron.d/${pkg}, root-owned, mode 0644, as generated`, () => {
      const deb = debs.get(pkg);
      assert.ok(deb, `${pkg} was not built`);
      const files = debContents(deb).filter((e) => !e.path.endsWith("/"));
      const etc = files.filter((e) => e.path.startsWith("/etc/"));
      assert.deepEqual(
        etc.map((e) => [e.path, e.mode, e.owner]),
        [[`/etc/cron.d/${pkg}`, "-rw-r--r--", "root/root"]],
      );
      const others = files.filter((e) => !e.path.startsWith("/etc/")).map((e) => e.path).sort();
      // dh_cronmeta installs the monitor manifest that cronmeta gen wrote beside the cron.d file.
      assert.deepEqual(others, [`/usr/share/cronmeta/manifests/${pkg}.json`, `/usr/share/doc/${pkg}/changelog.gz`, `/usr/share/doc/${pkg}/copyright`]);
      assert.equal(files.find((e) => e.path === `/usr/share/cronmeta/manifests/${pkg}.json`)?.mode, "-rw-r--r--");

      // dh_installdeb marks it a conffile: an upgrade replaces the jobs (asking if edited by hand).
      const conffiles = runOk("dpkg-deb", ["-I", deb, "conffiles"], { cwd: work }).stdout;
      assert.equal(conffiles, `/etc/cron.d/${pkg}\n`);

      const root = join(work, "x", pkg);
      mkdirSync(root, { recursive: true });
      runOk("dpkg-deb", ["-x", deb, root], { cwd: work });
      const content = readFileSync(join(root, "etc", "cron.d", pkg), "utf8");
      assert.equal(content, expected.get(pkg));
      // The golden of the gen tests (test/fixtures/goldens, updated with their one command).
      const golden = join(fixturesDir, "goldens", "my-project", "source", "debian", `${pkg}.cron.d`);
      assert.equal(content, readFileSync(golden, "utf8"), `differs from ${golden}`);
      assert.match(content, /^# Generated by cronmeta/m);
      assert.match(content, /^MAILTO=ops@example\.org$/m);
      assert.ok(content.endsWith("\n") && !content.includes("\r"));
    });
  }

  it("writes the talk's --mod 2 pair, the lock: no job, the user and the escaped %", () => {
    const one = expected.get("my-project-scripts1") ?? "";
    const three = expected.get("my-project-scripts3") ?? "";
    for (const rem of [0, 1]) {
      assert.ok(
        one.includes(
          `*/2 * * * * root [ -x /usr/share/my-project/bin/process-queue.pl ] && /usr/bin/switchman --config /etc/switchman.conf ` +
            `--group my-project-scripts1 --lockname process-queue.pl-mod-2-rem-${rem} -- /usr/share/my-project/bin/process-queue.pl --mod 2 --rem ${rem}\n`,
        ),
        one,
      );
    }
    assert.match(one, /^\*\/5 8-20 \* \* mon-fri www-data \[ -x \/usr\/share\/my-project\/bin\/warm-cache\.pl \] && /m);
    assert.match(one, /^# bin\/warm-cache\.pl:\d+: Keep the page cache warm during office hours$/m);
    assert.match(three, /--no-lock -- \/usr\/share\/my-project\/bin\/check-disk\.sh --threshold 90$/m);
    assert.match(three, / -- \/usr\/share\/my-project\/bin\/export-stats\.mjs --name stats-\\%Y-\\%m\.csv$/m);
    assert.match(expected.get("my-project-scripts2") ?? "", /^\*\/10 \* \* \* \* root .* --incremental$/m);
  });

  it("${cronmeta:Depends} gives each cron package a dependency on switchman, and the scripts package none", () => {
    const field = (deb: string, name: string): string => runOk("dpkg-deb", ["-f", deb, name], { cwd: work }).stdout.trim();
    for (const pkg of CRON_PACKAGES) {
      const depends = field(debs.get(pkg) as string, "Depends").split(/,\s*/);
      assert.ok(depends.includes("switchman"), `${pkg}: Depends: ${depends.join(", ")}`);
      assert.equal(depends.includes("cronmeta"), false, `${pkg} must not need the build tool at run time`);
    }
    assert.doesNotMatch(field(debs.get("my-project") as string, "Depends"), /switchman/);
    assert.doesNotMatch(buildLog, /substitution variable \$\{cronmeta:Depends\}/, "dpkg-gencontrol warned about the substvar");
  });

  it("puts every script, executable, into the my-project package and no cron file", () => {
    const deb = debs.get("my-project");
    assert.ok(deb);
    const entries = debContents(deb);
    const bin = entries.filter((e) => e.path.startsWith("/usr/share/my-project/bin/") && !e.path.endsWith("/"));
    assert.deepEqual(
      bin.map((e) => [e.path.slice("/usr/share/my-project/bin/".length), e.mode]).sort(),
      SCRIPTS.map((s) => [s, "-rwxr-xr-x"]),
    );
    assert.equal(entries.filter((e) => e.path.startsWith("/etc/")).length, 0);
  });

  it("passes lintian: no cron-related error or warning except missing-systemd-timer-for-cron-script", () => {
    const { tags, output } = lintian(changesFile(join(work, "build")), join(work, "build"));
    mkdirSync(join(testOutputDir, "debian"), { recursive: true });
    writeFileSync(join(testOutputDir, "debian", "my-project.lintian.txt"), output);
    const cronRelated = tags.filter(
      (t) => (t.severity === "E" || t.severity === "W") && (/cron/.test(t.tag) || /etc\/cron/.test(t.context)),
    );
    const unexpected = cronRelated.filter((t) => t.tag !== "missing-systemd-timer-for-cron-script");
    assert.deepEqual(unexpected.map((t) => t.line), [], output);
    // lintian did look at the cron files: the systemd check names each of them.
    assert.deepEqual(
      cronRelated.map((t) => `${t.package} ${t.context}`).sort(),
      CRON_PACKAGES.map((p) => `${p} [etc/cron.d/${p}]`),
      output,
    );
    // Nothing else either: the example's one other tag is overridden with its reason.
    const all = tags.filter((t) => t.severity === "E" || t.severity === "W");
    assert.deepEqual(all, cronRelated, output);
  });

  it("records the cron.d tree of the built packages (test-output/debian/my-project.cron-tree.txt)", () => {
    const lines: string[] = [];
    for (const [pkg, deb] of debs) {
      for (const e of debContents(deb)) if (e.path.startsWith("/etc/")) lines.push(`${pkg}: ${e.mode} ${e.owner} ${e.path}`);
    }
    mkdirSync(join(testOutputDir, "debian"), { recursive: true });
    writeFileSync(join(testOutputDir, "debian", "my-project.cron-tree.txt"), `${lines.join("\n")}\n`);
    assert.ok(lines.some((l) => l.endsWith("/etc/cron.d/my-project-scripts3")));
  });

  it("debian/rules clean removes the generated cron.d files and keeps a hand-written one", () => {
    for (const pkg of CRON_PACKAGES) assert.ok(existsSync(join(sourceDir, "debian", `${pkg}.cron.d`)), `${pkg}.cron.d was not generated`);
    const handWritten = join(sourceDir, "debian", "hand-written.cron.d");
    writeFileSync(handWritten, "# maintained by hand\n0 1 * * * root true\n");
    const clean = runOk("debian/rules", ["clean"], { cwd: sourceDir, env });
    assert.match(clean.stdout, /dh_cronmeta_clean/);
    const left = readdirSync(join(sourceDir, "debian")).filter((f) => f.endsWith(".cron.d") || f.endsWith(".cronmeta.json"));
    assert.deepEqual(left, ["hand-written.cron.d"]);
    for (const pkg of CRON_PACKAGES) assert.equal(existsSync(join(sourceDir, "debian", pkg)), false);
  });
});
