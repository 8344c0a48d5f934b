// The integration without the add-on (SPEC 7): `execute_before_dh_installcron: cronmeta gen`
// in debian/rules. A variant of examples/my-project whose build dependencies are all
// installed, so dpkg-buildpackage runs without -d. One real build.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
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
  runOk,
} from "./support.js";


const RULES = `#!/usr/bin/make -f
%:
\tdh $@

execute_before_dh_installcron:
\tcronmeta gen

execute_after_dh_fixperms:
\tchmod 0755 debian/my-project/usr/share/my-project/bin/*
`;

describe("debian/rules with execute_before_dh_installcron: cronmeta gen", { timeout: 15 * 60_000 }, () => {
  let work = "";
  let sourceDir = "";
  let debs = new Map<string, string>();
  const expected = new Map<string, string>();

  before(() => {
    requireTools(BUILD_TOOLS);
    requireBuiltCli();
    work = mkdtempSync(join(tmpdir(), "cronmeta-deb-execute-before-"));
    // Only the cronmeta shim on PATH: this build must not need the add-on.
    const env = addonEnv(makeCronmetaShim(join(work, "shim")));
    delete env.PERL5LIB;

    const reference = copyExample(join(work, "reference"));
    runOk("cronmeta", ["gen"], { cwd: reference, env });
    for (const pkg of CRON_PACKAGES) expected.set(pkg, readFileSync(join(reference, "debian", `${pkg}.cron.d`), "utf8"));

    mkdirSync(join(work, "build"));
    sourceDir = copyExample(join(work, "build", "my-project"));
    const control = join(sourceDir, "debian", "control");
    // Without dh_cronmeta nothing sets ${cronmeta:Depends}: the cron packages name switchman themselves.
    writeFileSync(control, readFileSync(control, "utf8").replace(/^\s*dh-sequence-cronmeta,\n/m, "").replaceAll("${cronmeta:Depends}", "switchman"));
    writeFileSync(join(sourceDir, "debian", "rules"), RULES, { mode: 0o755 });
    // The generated files are build products: debian/clean tells dh_clean to remove them.
    writeFileSync(join(sourceDir, "debian", "clean"), CRON_PACKAGES.map((p) => `debian/${p}.cron.d\n`).join(""));

    runOk("dpkg-checkbuilddeps", [], { cwd: sourceDir, env });
    runOk("dpkg-buildpackage", ["-us", "-uc", "-b"], { cwd: sourceDir, env });
    debs = builtDebs(join(work, "build"));
  });

  after(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("builds without -d: every build dependency is installed", () => {
    assert.deepEqual([...debs.keys()].sort(), ["my-project", ...CRON_PACKAGES]);
  });

  it("the cron packages depend on switchman, named in debian/control", () => {
    for (const pkg of CRON_PACKAGES) {
      const depends = runOk("dpkg-deb", ["-f", debs.get(pkg) as string, "Depends"], { cwd: work }).stdout.trim().split(/,\s*/);
      assert.ok(depends.includes("switchman"), `${pkg}: ${depends.join(", ")}`);
    }
  });

  for (const pkg of CRON_PACKAGES) {
    it(`${pkg}.deb holds its /etc/cron.d/${pkg} (0644), identical to cronmeta gen's output`, () => {
      const deb = debs.get(pkg);
      assert.ok(deb);
      const etc = debContents(deb).filter((e) => e.path.startsWith("/etc/") && !e.path.endsWith("/"));
      assert.deepEqual(etc.map((e) => [e.path, e.mode]), [[`/etc/cron.d/${pkg}`, "-rw-r--r--"]]);
      const root = join(work, "x", pkg);
      mkdirSync(root, { recursive: true });
      runOk("dpkg-deb", ["-x", deb, root], { cwd: work });
      assert.equal(readFileSync(join(root, "etc", "cron.d", pkg), "utf8"), expected.get(pkg));
    });
  }

  it("passes lintian like the add-on build", () => {
    const { tags, output } = lintian(changesFile(join(work, "build")), join(work, "build"));
    const bad = tags.filter((t) => t.severity === "E" || (t.severity === "W" && t.tag !== "missing-systemd-timer-for-cron-script"));
    assert.deepEqual(bad.map((t) => t.line), [], output);
  });
});
