// cronmeta monitor in local mode (the host records switchman writes in its state directory), its
// four formats, its filters and its bad input: one line and the plugin's UNKNOWN, never OK.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, before, after } from "node:test";
import { main as run } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";
import { updateHostRecord } from "../../src/switchman/records/host-state.js";
import { hostWithFinish, withStart } from "../../src/switchman/records/record.js";
import { generate } from "../../src/generate/generate.js";
import { control, pod, makeProject, removeProject } from "../helpers/project.js";

let dir = "";
let root = "";

function io(): Io & { out: string; err: string } {
  const o = { out: "", err: "", cwd: "/", env: {}, stdoutIsTTY: false } as Io & { out: string; err: string };
  o.stdout = (t) => void (o.out += t);
  o.stderr = (t) => void (o.err += t);
  return o;
}

async function monitor(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const x = io();
  const code = await run(["monitor", "--switchman-config", join(dir, "switchman.conf"), ...args], x);
  return { code, out: x.out, err: x.err };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "cronmeta-monitor-"));
  root = await makeProject({
    "debian/control": control("demo", "scripts1"),
    "debian/demo.install": "bin/* usr/share/demo/bin\n",
    "bin/hourly.sh": pod(["package: scripts1", "time: 0 * * * *", "lockname: hourly"]),
    "bin/daily.sh": pod(["package: scripts1", "time: 0 3 * * *", "lockname: daily", "alert-after: 2"]),
  });
  await generate({ root });
  await writeFile(join(dir, "switchman.conf"), JSON.stringify({ state_dir: join(dir, "state") }));
  const userDir = join(dir, "state", String(process.getuid?.() ?? 0));
  await mkdir(userDir, { recursive: true });
  const at = (ms: number) => new Date(ms).toISOString();
  const runOnce = async (lockname: string, start: number, outcome: "success" | "failure") => {
    await updateHostRecord(userDir, lockname, (r) => {
      const started = withStart(r, { at: at(start), host: "a.example", pid: 1, run: `${lockname}${start}`, user: "root" });
      return hostWithFinish(started, {
        at: at(start + 2000), host: "a.example", pid: 1, run: `${lockname}${start}`, outcome, status: outcome === "success" ? 0 : 1,
        exit: outcome === "success" ? 0 : 1, signal: null, wall_s: 2, user_s: 0, sys_s: 0, maxrss_kib: 100, killed: false,
      });
    });
  };
  await runOnce("hourly", Date.UTC(2025, 5, 2, 12, 0, 3), "success");
  await runOnce("daily", Date.UTC(2025, 5, 2, 3, 0, 2), "failure");
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeProject(root);
});

describe("cronmeta monitor (local mode)", () => {
  it("nagios: OK when the latest slots ran, with perfdata; a failure below alert-after is not an alert", async () => {
    const manifest = join(root, "debian/scripts1.cronmeta.json");
    // --now is not an option: the test runs at a fixed instant through the records' own times.
    const r = await monitor(["--format", "nagios", manifest, "--window", "3600"]);
    assert.match(r.out, /^CRONMETA (OK|WARNING|CRITICAL) - .* \| jobs=2;;;0 ok=\d;;;0 warning=\d;;;0 critical=\d;;;0 max_consecutive_failures=1;;;0 hosts=1;;;0 hosts_alive=0;;;0 canary_problems=1;;;0\n$/);
    assert.equal(r.out.split("\n").length, 2);
    // The manifest says the cron.d file has a canary line, and this host never ran it.
    assert.match(r.out, /^CRONMETA WARNING - \S+ no canary/);
  });

  it("json is versioned and names every job; prometheus has the status gauge", async () => {
    const manifest = join(root, "debian/scripts1.cronmeta.json");
    const j = await monitor(["--format", "json", manifest]);
    const data = JSON.parse(j.out) as { version: number; records: string; jobs: Array<{ lockname: string; consecutive_failures: number }> };
    assert.equal(data.version, 1);
    assert.equal(data.records, "local");
    assert.deepEqual(data.jobs.map((x) => x.lockname).sort(), ["daily", "hourly"]);
    assert.equal(data.jobs.find((x) => x.lockname === "daily")?.consecutive_failures, 1);
    const p = await monitor(["--format", "prometheus", manifest, "--job", "daily"]);
    assert.match(p.out, /^cronmeta_monitor_job_status\{package="scripts1",lockname="daily",group="scripts1",class="[a-z: ]+",severity="(ok|warning|critical)"\} 1$/m);
    assert.match(p.out, /^cronmeta_monitor_job_consecutive_failures\{package="scripts1",lockname="daily",group="scripts1"\} 1$/m);
    assert.doesNotMatch(p.out, /lockname="hourly"/);
    const t = await monitor([manifest]);
    assert.match(t.out, /^PACKAGE +JOB +GROUP +STATUS/);
  });

  it("bad input: one line and UNKNOWN (3), never OK, never a stack trace", async () => {
    const manifest = join(root, "debian/scripts1.cronmeta.json");
    const other = join(dir, "v2.json");
    await writeFile(other, JSON.stringify({ format: "cronmeta-manifest", version: 2, package: "x", build: "y", jobs: [] }));
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{not json");
    const cases: Array<[string[], RegExp]> = [
      [[join(dir, "missing.json")], /^CRONMETA UNKNOWN - cannot read manifest .*missing\.json: ENOENT\n$/],
      [[other], /^CRONMETA UNKNOWN - .*v2\.json is manifest version 2; this cronmeta reads version 1/],
      [[broken], /^CRONMETA UNKNOWN - .*broken\.json is not JSON/],
      [[manifest, "--job", "nope"], /^CRONMETA UNKNOWN - no job "nope" in the manifests \(known: daily, hourly\)\n$/],
      [[manifest, "--group", "nobody"], /^CRONMETA UNKNOWN - no group "nobody"/],
    ];
    for (const [args, pattern] of cases) {
      const r = await monitor(["--format", "nagios", ...args]);
      assert.equal(r.code, 3, r.out + r.err);
      assert.match(r.out, pattern);
      assert.doesNotMatch(r.out + r.err, /\n\s+at /);
    }
    // A bad command line is UNKNOWN too (commander's own errors), on stdout in one line.
    for (const args of [["--window", "abc"], ["--bogus"]]) {
      const r = await monitor(["--format", "nagios", ...args, manifest]);
      assert.equal(r.code, 3, r.out + r.err);
      assert.match(r.out, /^CRONMETA UNKNOWN - (option '--window <seconds>' argument 'abc' is invalid|unknown option '--bogus')/);
      assert.equal(r.out.split("\n").length, 2);
    }
    const plain = await monitor([join(dir, "missing.json")]);
    assert.equal(plain.code, 2);
    assert.match(plain.err, /^cronmeta monitor: cannot read manifest/);
  });

  it("ZooKeeper that cannot be reached is CRITICAL (2) in one line", async () => {
    const manifest = join(root, "debian/scripts1.cronmeta.json");
    await writeFile(join(dir, "zk.conf"), JSON.stringify({ zkhosts: "127.0.0.1:1", prefix: "/switchman", connect_timeout: 1, session_timeout: 30 }));
    const x = io();
    const code = await run(["monitor", "--format", "nagios", "--switchman-config", join(dir, "zk.conf"), "--timeout", "1000", manifest], x);
    assert.equal(code, 2, x.out + x.err);
    assert.match(x.out, /^CRONMETA CRITICAL - cannot reach ZooKeeper at 127\.0\.0\.1:1 within 1000 ms\n$/);
  });
});
