// The canary (issue 18, item 4): switchman's side (one file per cron.d file, one publisher per
// host and minute, the one format) and the monitor's findings (cron stopped, a file cron does
// not run, another build, no canary), pure and on a temporary directory.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { hostSummary, noteCanary, parseCanaryArgs, parseHostCanary, readCanaryDir, type HostCanary } from "../../src/switchman/canary.js";
import { canaryView, CANARY_STALE_S, type CanaryPackage } from "../../src/monitor/canary.js";

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);
const at = (ms: number): string => new Date(ms).toISOString();
const BUILD_A = "aaaaaaaaaaaaaaaa";
const BUILD_B = "bbbbbbbbbbbbbbbb";
const PACKAGES: CanaryPackage[] = [
  { package: "pkg-a", build: BUILD_A, cronFile: "/etc/cron.d/pkg-a", groups: ["fleet"] },
  { package: "pkg-b", build: BUILD_B, cronFile: "/etc/cron.d/pkg-b", groups: ["fleet"] },
];
const HOSTS = ["h1", "h2", "h3"];
const groupHosts = (g: string) => (g === "fleet" ? HOSTS : undefined);

function summary(host: string, when: number, files: Record<string, [string, number]>, installed?: Record<string, string>): HostCanary {
  const s: HostCanary = { v: 1, host, at: at(when), files: Object.fromEntries(Object.entries(files).map(([p, [b, t]]) => [p, { build: b, at: at(t) }])) };
  if (installed) s.installed = Object.fromEntries(Object.entries(installed).map(([p, b]) => [p, { build: b }]));
  return s;
}

const healthy = (host: string, when: number) => summary(host, when, { "pkg-a": [BUILD_A, when - 1000], "pkg-b": [BUILD_B, when - 900] });

describe("the monitor's canary findings", () => {
  it("every host alive and running every file at the manifest's build: nothing to say", () => {
    const view = canaryView({ packages: PACKAGES, summaries: HOSTS.map((h) => healthy(h, T0)), groupHosts, now: T0 + 30_000 });
    assert.deepEqual(view.findings, []);
    assert.deepEqual(view.hosts.map((h) => [h.host, h.alive]), [["h1", true], ["h2", true], ["h3", true]]);
  });

  it("a host whose summary is older than the limit: cron stopped (critical), not eligible; just under: alive", () => {
    const limit = CANARY_STALE_S * 1000;
    const summaries = [healthy("h1", T0), healthy("h2", T0), healthy("h3", T0 - limit - 1)];
    const view = canaryView({ packages: PACKAGES, summaries, groupHosts, now: T0 });
    assert.deepEqual(view.findings.map((f) => [f.host, f.class, f.severity]), [["h3", "cron stopped", "critical"]]);
    assert.match(view.findings[0]?.detail ?? "", /^h3: cron stopped \(last canary 90 s ago, /);
    assert.deepEqual([...view.stopped], ["h3"]);
    const edge = canaryView({ packages: PACKAGES, summaries: [healthy("h3", T0 - limit)], groupHosts: () => ["h3"], now: T0 });
    assert.deepEqual(edge.findings, []);
  });

  it("a file whose canary lags its host's summary, or never ran where it is installed: file not run", () => {
    const summaries = [
      summary("h1", T0, { "pkg-a": [BUILD_A, T0], "pkg-b": [BUILD_B, T0 - 5 * 60_000] }),
      summary("h2", T0, { "pkg-a": [BUILD_A, T0] }, { "pkg-a": BUILD_A, "pkg-b": BUILD_B }),
      summary("h3", T0, { "pkg-a": [BUILD_A, T0] }, { "pkg-a": BUILD_A }), // pkg-b not installed on h3: not expected there
    ];
    const view = canaryView({ packages: PACKAGES, summaries, groupHosts, now: T0 + 10_000 });
    assert.deepEqual(view.findings.map((f) => [f.host, f.package, f.class]), [["h1", "pkg-b", "file not run"], ["h2", "pkg-b", "file not run"]]);
    assert.match(view.findings[0]?.detail ?? "", /^cron on h1 does not run \/etc\/cron\.d\/pkg-b \(its canary: last 5 min ago\)/);
    assert.match(view.findings[1]?.detail ?? "", /its canary: never/);
  });

  it("a host on another build of a package (what cron runs, or the manifest installed): warning", () => {
    const summaries = [
      summary("h1", T0, { "pkg-a": ["0000000000000001", T0], "pkg-b": [BUILD_B, T0] }),
      summary("h2", T0, { "pkg-a": [BUILD_A, T0], "pkg-b": [BUILD_B, T0] }, { "pkg-a": BUILD_A, "pkg-b": "0000000000000002" }),
      healthy("h3", T0),
    ];
    const view = canaryView({ packages: PACKAGES, summaries, groupHosts, now: T0 });
    assert.deepEqual(view.findings.map((f) => [f.host, f.package, f.class, f.severity]), [["h1", "pkg-a", "other build", "warning"], ["h2", "pkg-b", "other build", "warning"]]);
    assert.match(view.findings[0]?.detail ?? "", /h1 runs \/etc\/cron\.d\/pkg-a at build 0000000000000001, the manifest's is aaaaaaaaaaaaaaaa/);
  });

  it("a host of a group that never sent a canary: no canary (warning); no package with a canary: no findings at all", () => {
    const view = canaryView({ packages: PACKAGES, summaries: [healthy("h1", T0), healthy("h2", T0)], groupHosts, now: T0 });
    assert.deepEqual(view.findings.map((f) => [f.host, f.class, f.severity]), [["h3", "no canary", "warning"]]);
    assert.deepEqual(canaryView({ packages: [], summaries: [healthy("h1", T0 - 86_400_000)], groupHosts, now: T0 }).findings, []);
  });
});

describe("switchman's canary files", () => {
  const dirs: string[] = [];
  after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("20 files in one minute: 20 canary files, exactly one publisher; the next minute another one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cronmeta-canary-"));
    dirs.push(dir);
    const canary = join(dir, "canary");
    const packages = Array.from({ length: 20 }, (_, i) => `pkg-${String(i).padStart(2, "0")}`);
    const first = await Promise.all(packages.map((p, i) => noteCanary(canary, { package: p, build: BUILD_A }, T0 + i * 10)));
    assert.equal(first.filter(Boolean).length, 1, "one publisher per host and minute");
    const second = await Promise.all(packages.map((p, i) => noteCanary(canary, { package: p, build: BUILD_B }, T0 + 60_000 + i * 10)));
    assert.equal(second.filter(Boolean).length, 1);
    const names = (await readdir(canary)).sort();
    assert.deepEqual(names.filter((n) => n.startsWith(".")), [`.minute-${Math.floor(T0 / 60_000) + 1}`], "older claims removed");
    const entries = await readCanaryDir(canary);
    assert.equal(entries.length, 20);
    const s = hostSummary("h1.example.org", T0 + 63_000, entries, { "pkg-00": { build: BUILD_B } });
    assert.equal(Object.keys(s.files).length, 20);
    assert.ok(Object.values(s.files).every((f) => f.build === BUILD_B));
    assert.deepEqual(parseHostCanary(JSON.stringify(s)), s, "the summary reads back as written");
    assert.ok(Buffer.byteLength(JSON.stringify(s)) < 2048, "a small znode");
  });

  it("parses only its own formats and arguments", () => {
    for (const bad of ["", "{", "[]", JSON.stringify({ v: 1, host: "h", at: "yesterday", files: {} }), JSON.stringify({ v: 1, host: "h", at: at(T0), files: { p: { build: 1 } } })]) {
      assert.equal(parseHostCanary(bad), undefined, bad);
    }
    assert.deepEqual(parseCanaryArgs(["--canary", "--package", "pkg-a", "--build", BUILD_A], "/etc/switchman.conf"), {
      config: "/etc/switchman.conf",
      package: "pkg-a",
      build: BUILD_A,
      manifests: "/usr/share/cronmeta/manifests",
    });
    assert.match((parseCanaryArgs(["--canary", "--package", "Pkg", "--build", BUILD_A], "c") as { error: string }).error, /Debian package name/);
    assert.match((parseCanaryArgs(["--canary", "--package", "p1", "--build", "xyz"], "c") as { error: string }).error, /16 hex digits/);
    assert.match((parseCanaryArgs(["--canary", "--package", "p1", "--build", BUILD_A, "--lockname", "x"], "c") as { error: string }).error, /Unknown option '--lockname'/);
  });
});
