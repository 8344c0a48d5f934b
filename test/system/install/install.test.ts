// The packages on real stock systems (issue 13): this repository's switchman and cronmeta
// .debs and a small test project packaged with cronmeta's add-on are installed with apt-get,
// offline, into minimal Debian 12 (bookworm, nodejs 18.20) and Debian 13 (trixie, nodejs
// 20.19) root file systems made from Debian's archive (make-rootfs.sh, cached). Debian's own
// cron then runs the generated cron.d files inside each root, both releases at once:
//
//   - a job as root and one as www-data, through switchman in local mode, with START/FINISH
//     (www-data cannot write root's log file: its lines go to syslog) and their own locks;
//   - a job whose group leaves the host out, which never starts;
//   - the same jobs against a ZooKeeper server on loopback, started outside the roots;
//   - apt-get purge of every package, after which no file of theirs is left.
//
// Each root is entered through its own mount, UTS (host name) and, for apt, network namespace.
// Figures for the record go to test-output/install/<release>.txt.
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { testOutputDir } from "../../helpers/paths.js";
import { TestZk, requireZooKeeper, startStandalone, type ZkCluster } from "../../helpers/zookeeper.js";
import { buildOwnPackages, builtDebs, runOk } from "../debian/support.js";
import { type Enter, RELEASES, type Release, fileList, removeRoot, requireInstallTools, rootfsTar, runIn, runInOk, startIn, syslogListener, unpack, writeIn } from "./chroot.js";
import { ELSEWHERE, PROBES, type Probe, buildProbe, cronPackage, recordPath, writeProbe } from "./probe.js";

/** Debian's nodejs per release, as the issue states it (checked against the installed package). */
const NODE_MAJOR: Record<Release, string> = { bookworm: "18", trixie: "20" };
/** cron runs at the top of a minute: a full minute, the jobs themselves and a margin. */
const CRON_WAIT_MS = 150_000;

/** What one release showed, for the assertions and the record. */
interface Outcome {
  nodejs: string;
  nodeVersion: string;
  aptInstall: string;
  /** bookworm: apt-get's refusal to install cronmeta (its nodejs is too old). */
  cronmetaRefusal?: string;
  /** trixie: the installed cronmeta's --version under Debian's nodejs. */
  cronmetaVersion?: string;
  cronLines: string[];
  switchmanLog: string;
  syslogSwitchman: string[];
  records: Record<string, boolean>;
  /** The build ids of root's START lines for probe-root in its run journal, and the installed manifest's. */
  startBuilds: string[];
  manifestBuild: string;
  lockTree: string[];
  installedFiles: string[];
  purge: string;
  leftover: string[];
  missing: string[];
  gone: Record<string, boolean>;
}

describe("switchman and cronmeta on stock Debian 12 and 13", { timeout: 10 * 60_000 }, () => {
  let work = "";
  let zk: ZkCluster | undefined;
  let client: TestZk | undefined;
  const debs = new Map<string, string>();
  const outcomes = new Map<Release, Outcome>();
  const failures = new Map<Release, unknown>();
  const roots: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  let example = "";
  let version = "";
  const started = Date.now();

  before(async () => {
    requireInstallTools();
    requireZooKeeper();
    work = mkdtempSync(join(tmpdir(), "cronmeta-install-"));
    chmodSync(work, 0o755);
    // The roots download (first run only) while the packages build.
    const tars = Promise.all(RELEASES.map((release) => rootfsTar(release)));
    tars.catch(() => undefined);
    const own = buildOwnPackages(join(work, "own")).debs;
    for (const [name, deb] of own) debs.set(name, deb);
    version = runOk("dpkg-deb", ["-f", own.get("switchman") as string, "Version"], { cwd: work }).stdout.trim();
    const cronmetaRoot = join(work, "cronmeta-root");
    runOk("dpkg-deb", ["-x", own.get("cronmeta") as string, cronmetaRoot], { cwd: work });
    const switchmanRoot = join(work, "switchman-root");
    runOk("dpkg-deb", ["-x", own.get("switchman") as string, switchmanRoot], { cwd: work });
    example = readFileSync(join(switchmanRoot, "usr/share/doc/switchman/examples/switchman.conf"), "utf8");
    for (const probe of PROBES) {
      const dir = join(work, "probes", probe.name);
      writeProbe(dir, probe, version);
      buildProbe(dir, cronmetaRoot);
      for (const [name, deb] of builtDebs(join(work, "probes"))) debs.set(name, deb);
    }
    zk = await startStandalone();
    client = await TestZk.connect(zk.connectString);
    const tarOf = await tars;
    await Promise.all(
      RELEASES.map(async (release, i) => {
        try {
          outcomes.set(release, await exercise(release, tarOf[i] as string));
        } catch (error) {
          failures.set(release, error);
        }
      }),
    );
  });

  after(async () => {
    for (const stop of stops) await stop();
    for (const root of roots) removeRoot(root);
    await client?.close();
    await zk?.stop();
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  /** Everything one release goes through; returns what it showed. */
  async function exercise(release: Release, tar: string): Promise<Outcome> {
    const dir = join(work, release);
    const root = join(dir, "root");
    roots.push(root);
    unpack(tar, root);
    const host = `${release}-box`;
    const fqdn = `${host}.example.test`;
    const enter: Enter = { root, hostname: host };
    const offline: Enter = { ...enter, offline: true };

    // What the administrator provides: a resolvable host name, www-data's home and switchman's two configs,
    // the local one made from the packaged example. They are not the packages' files.
    writeIn(root, "/etc/hosts", `127.0.0.1 localhost\n127.0.1.1 ${fqdn} ${host}\n`);
    // www-data's home, where cron starts its jobs (a web server's package makes it).
    mkdirSync(join(root, "var", "www"), { mode: 0o755 });
    const local = JSON.parse(example) as Record<string, unknown>;
    local.groups = { [cronPackage(PROBES[0] as Probe)]: fqdn, [ELSEWHERE]: "other-box.example.test" };
    writeIn(root, "/etc/switchman.conf", `${JSON.stringify(local, null, 2)}\n`);
    const prefix = `/cronmeta-install/${release}`;
    await client?.setPrefix(prefix, { groups: { [cronPackage(PROBES[1] as Probe)]: fqdn, [ELSEWHERE]: "other-box.example.test" } });
    writeIn(root, "/etc/switchman-zk.conf", `${JSON.stringify({ zkhosts: zk?.connectString, prefix, logfile: "/var/log/switchman.log" }, null, 2)}\n`);
    const baseline = fileList(root);

    mkdirSync(join(root, "tmp", "debs"), { mode: 0o755 });
    const names = ["switchman", ...PROBES.flatMap((p) => [p.name, cronPackage(p)])];
    for (const name of [...names, "cronmeta"]) {
      const deb = debs.get(name);
      assert.ok(deb, `${name}.deb was not built`);
      copyFileSync(deb, join(root, "tmp", "debs", basename(deb)));
      chmodSync(join(root, "tmp", "debs", basename(deb)), 0o644);
    }
    const debPath = (name: string): string => `/tmp/debs/${basename(debs.get(name) as string)}`;
    const apt = ["apt-get", "install", "-y", "--no-install-recommends", "-o", "Dpkg::Use-Pty=0"];
    const outcome: Partial<Outcome> = {};
    if (release === "bookworm") {
      // The build tool needs nodejs >= 20 (commander 14 and eta 4 say so); Debian 12 has 18.
      const refused = await runIn(offline, [...apt, debPath("cronmeta")]);
      assert.notEqual(refused.status, 0, "apt-get installed cronmeta on bookworm");
      outcome.cronmetaRefusal = `${refused.stdout}${refused.stderr}`.split("\n").filter((l) => /cronmeta|nodejs|Unmet|E:/.test(l)).join("\n");
      assert.match(outcome.cronmetaRefusal, /cronmeta : Depends: nodejs \(>= 20\)/);
    } else {
      names.push("cronmeta");
    }
    const installed = await runInOk(offline, [...apt, ...names.map(debPath)]);
    outcome.aptInstall = installed.stdout;
    outcome.nodejs = (await runInOk(enter, ["dpkg-query", "-W", "-f", "${Version}", "nodejs"])).stdout;
    outcome.nodeVersion = (await runInOk(enter, ["node", "--version"])).stdout.trim();
    if (release === "trixie") outcome.cronmetaVersion = (await runInOk(enter, ["cronmeta", "--version"])).stdout.trim();
    outcome.installedFiles = fileList(root).filter((line) => !baseline.includes(line));

    // Debian's cron, with the generated files the probe packages installed, until every job has shown itself.
    const syslog = await syslogListener(join(dir, "syslog.sock"));
    const cron = startIn({ ...enter, syslogSocket: join(dir, "syslog.sock") }, ["/usr/sbin/cron", "-f", "-L", "15"]);
    stops.push(cron.stop, syslog.close);
    const log = (): string => (existsSync(join(root, "var/log/switchman.log")) ? readFileSync(join(root, "var/log/switchman.log"), "utf8") : "");
    const ran = (probe: Probe, user: string, tag: string): boolean => existsSync(join(root, recordPath(probe, user, tag)));
    const deadline = Date.now() + CRON_WAIT_MS;
    const done = (): boolean =>
      PROBES.every((p) => ran(p, "root", "root") && ran(p, "www-data", "www")) &&
      (log().match(/\tinfo\tFINISH lockname=probe(-zk)?-root /g)?.length ?? 0) >= 2 &&
      (log().match(/\tinfo\tSKIP not-in-group: /g)?.length ?? 0) >= 2 &&
      syslog.lines.filter((l) => /switchman\[\d+\]: FINISH lockname=probe(-zk)?-www /.test(l)).length >= 2;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`${release}: cron did not run every job within ${CRON_WAIT_MS / 1000} s\n--- switchman.log\n${log()}\n--- syslog\n${syslog.lines.join("\n")}\n--- cron stderr\n${cron.stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await cron.stop();
    await syslog.close();
    // cron's own lines; PAM's session notes (pam_env, pam_limits in a container) left out.
    outcome.cronLines = syslog.lines.filter((l) => /\bCRON\[\d+\]|cron\[\d+\]/.test(l) && !/: pam_/.test(l));
    outcome.switchmanLog = log();
    outcome.syslogSwitchman = syslog.lines.filter((l) => /switchman\[\d+\]:/.test(l));
    outcome.records = Object.fromEntries(
      PROBES.flatMap((p) => [
        [recordPath(p, "root", "root"), ran(p, "root", "root")],
        [recordPath(p, "www-data", "www"), ran(p, "www-data", "www")],
        [recordPath(p, "root", "never"), ran(p, "root", "never")],
      ]),
    );
    const journal = join(root, "var/lib/switchman/0/journal.jsonl");
    outcome.startBuilds = (existsSync(journal) ? readFileSync(journal, "utf8").split("\n") : [])
      .filter((l) => l.includes('"event":"start"') && l.includes('"lockname":"probe-root"'))
      .map((l) => String((JSON.parse(l) as { build?: unknown }).build));
    const manifest = join(root, `usr/share/cronmeta/manifests/${cronPackage(PROBES[0] as Probe)}.json`);
    outcome.manifestBuild = existsSync(manifest) ? String((JSON.parse(readFileSync(manifest, "utf8")) as { build?: unknown }).build) : "(no manifest)";
    outcome.lockTree = ["/run/lock/switchman", "/run/lock/switchman/0", "/run/lock/switchman/33"].map((path) => {
      const stat = statSync(join(root, path));
      return `${(stat.mode & 0o7777).toString(8)} ${stat.uid} ${path}`;
    });

    // Purge everything installed: what is left must be what was there before.
    const purged = await runInOk(offline, ["apt-get", "purge", "-y", "-o", "Dpkg::Use-Pty=0", ...names]);
    outcome.purge = purged.stdout;
    const afterPurge = fileList(root);
    outcome.leftover = afterPurge.filter((line) => !baseline.includes(line));
    outcome.missing = baseline.filter((line) => !afterPurge.includes(line));
    outcome.gone = Object.fromEntries(
      ["/run/lock/switchman", "/var/lib/switchman", "/var/log/switchman.log", "/etc/logrotate.d/switchman", "/usr/share/switchman", "/usr/bin/switchman", "/etc/cron.d/probe-cron"].map((p) => [
        p,
        !existsSync(join(root, p)),
      ]),
    );
    const full = outcome as Outcome;
    record(release, full);
    return full;
  }

  /** Writes what a release showed to test-output/install/<release>.txt. */
  function record(release: Release, o: Outcome): void {
    mkdirSync(join(testOutputDir, "install"), { recursive: true });
    const size = (name: string): string => {
      const deb = debs.get(name) as string;
      const installedKiB = runOk("dpkg-deb", ["-f", deb, "Installed-Size"], { cwd: work }).stdout.trim();
      return `${name}: ${statSync(deb).size} bytes .deb, Installed-Size ${installedKiB} KiB`;
    };
    const summary = o.aptInstall.split("\n").filter((l) => /^(The following| {2}\S|\d+ upgraded|Need to get|After this|Setting up|Unpacking)/.test(l));
    writeFileSync(
      join(testOutputDir, "install", `${release}.txt`),
      [
        `# ${release}: nodejs ${o.nodejs} (node ${o.nodeVersion}); run ${((Date.now() - started) / 1000).toFixed(0)} s after the test started`,
        "",
        "## package sizes",
        ...["switchman", "cronmeta", ...PROBES.flatMap((p) => [p.name, cronPackage(p)])].map(size),
        "",
        "## apt-get install (offline)",
        ...summary,
        ...(o.cronmetaRefusal !== undefined ? ["", "## apt-get install cronmeta (refused)", o.cronmetaRefusal] : []),
        ...(o.cronmetaVersion !== undefined ? ["", `## cronmeta --version under Debian's nodejs: ${o.cronmetaVersion}`] : []),
        "",
        "## cron's syslog lines",
        ...o.cronLines,
        "",
        "## /var/log/switchman.log (root's jobs; www-data cannot write it)",
        o.switchmanLog.trimEnd(),
        "",
        "## switchman's syslog lines (www-data's jobs)",
        ...o.syslogSwitchman,
        "",
        "## lock directories (mode uid path)",
        ...o.lockTree,
        "",
        "## files the packages installed (not counting dpkg's and apt's own records)",
        `${o.installedFiles.length} paths`,
        "",
        "## apt-get purge",
        ...o.purge.split("\n").filter((l) => /^(The following| {2}\S|\d+ upgraded|Removing|Purging)/.test(l)),
        "",
        "## after purge",
        `left over: ${o.leftover.length === 0 ? "nothing" : o.leftover.join(", ")}`,
        `missing: ${o.missing.length === 0 ? "nothing" : o.missing.join(", ")}`,
        ...Object.entries(o.gone).map(([path, gone]) => `${path}: ${gone ? "gone" : "STILL THERE"}`),
        "",
      ].join("\n"),
    );
  }

  const outcome = (release: Release): Outcome => {
    const failure = failures.get(release);
    if (failure !== undefined) throw failure;
    const o = outcomes.get(release);
    assert.ok(o, `${release} was not exercised`);
    return o;
  };

  for (const release of RELEASES) {
    describe(`Debian ${release}`, () => {
      it(`apt-get installs the packages offline, on Debian's own nodejs ${NODE_MAJOR[release]}`, () => {
        const o = outcome(release);
        assert.match(o.nodejs, new RegExp(`^${NODE_MAJOR[release]}\\.`), `nodejs ${o.nodejs}`);
        assert.match(o.nodeVersion, new RegExp(`^v${NODE_MAJOR[release]}\\.`));
        assert.match(o.aptInstall, /Setting up switchman /);
        assert.match(o.aptInstall, /Setting up probe-cron /);
        assert.ok(o.installedFiles.includes("f /usr/bin/switchman"), o.installedFiles.join("\n"));
        if (release === "bookworm") assert.match(o.cronmetaRefusal ?? "", /nodejs \(>= 20\)/);
        else assert.equal(o.cronmetaVersion, version);
      });

      it("cron runs the root and the www-data job through switchman in local mode, START and FINISH logged", () => {
        const o = outcome(release);
        assert.match(o.switchmanLog, /\tinfo\tSTART lockname=probe-root group=probe-cron host=\S+ command=\["\/usr\/share\/probe\/bin\/probe\.sh","root"\]\n/);
        assert.match(o.switchmanLog, /\tinfo\tFINISH lockname=probe-root exit=0 status=0 duration=/);
        // www-data cannot write root's log file: switchman says so on stderr and logs to syslog.
        assert.ok(o.syslogSwitchman.some((l) => /switchman\[\d+\]: START lockname=probe-www group=probe-cron /.test(l)), o.syslogSwitchman.join("\n"));
        assert.ok(o.syslogSwitchman.some((l) => /switchman\[\d+\]: FINISH lockname=probe-www exit=0 status=0 /.test(l)), o.syslogSwitchman.join("\n"));
        assert.ok(o.records["/tmp/probe.root.root"] && o.records["/tmp/probe.www-data.www"]);
        assert.ok(o.cronLines.some((l) => /\(root\) CMD \(.*\/usr\/bin\/switchman --config \/etc\/switchman\.conf --group probe-cron --lockname probe-root /.test(l)), o.cronLines.join("\n"));
        assert.ok(o.cronLines.some((l) => /\(www-data\) CMD \(.*--lockname probe-www /.test(l)), o.cronLines.join("\n"));
        // Each user's locks in its own directory: root's made at install, www-data's by its job.
        assert.deepEqual(o.lockTree, ["1777 0 /run/lock/switchman", "700 0 /run/lock/switchman/0", "700 33 /run/lock/switchman/33"]);
      });

      it("every START of the run journal names the cron.d file's build (CRONMETA_BUILD from gen), the installed manifest's", () => {
        const o = outcome(release);
        assert.match(o.manifestBuild, /^[0-9a-f]{16}$/);
        assert.ok(o.startBuilds.length >= 1, "no START of probe-root in root's journal");
        assert.deepEqual([...new Set(o.startBuilds)], [o.manifestBuild]);
      });

      it("the job whose group leaves the host out never starts", () => {
        const o = outcome(release);
        assert.equal(o.records["/tmp/probe.root.never"], false);
        assert.equal(o.records["/tmp/probe-zk.root.never"], false);
        assert.match(o.switchmanLog, /\tinfo\tSKIP not-in-group: host \S+ is not in group elsewhere; lockname=probe-never group=elsewhere/);
        assert.doesNotMatch(o.switchmanLog, /START lockname=probe(-zk)?-never /);
      });

      it("the same jobs run against ZooKeeper on loopback, started outside the root", () => {
        const o = outcome(release);
        assert.match(o.switchmanLog, /\tinfo\tSTART lockname=probe-zk-root group=probe-zk-cron host=\S+ command=/);
        assert.match(o.switchmanLog, /\tinfo\tFINISH lockname=probe-zk-root exit=0 status=0 /);
        assert.ok(o.syslogSwitchman.some((l) => /switchman\[\d+\]: FINISH lockname=probe-zk-www exit=0 status=0 /.test(l)), o.syslogSwitchman.join("\n"));
        assert.match(o.switchmanLog, /\tinfo\tSKIP not-in-group: host \S+ is not in group elsewhere; lockname=probe-zk-never/);
        assert.ok(o.records["/tmp/probe-zk.root.root"] && o.records["/tmp/probe-zk.www-data.www"]);
      });

      it("apt-get purge leaves no file of the packages behind (locks and the log included)", () => {
        const o = outcome(release);
        assert.deepEqual(o.leftover, []);
        assert.deepEqual(o.missing, []);
        for (const [path, gone] of Object.entries(o.gone)) assert.ok(gone, `${path} is still there after purge`);
      });
    });
  }
});
