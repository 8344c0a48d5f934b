// nextRuns against the real thing: Debian's cron daemon (package cron) run under a sped-up fake
// clock (libfaketime, package faketime) across DST changes, in a private mount namespace so that
// it reads only our cron.d file and touches nothing of the machine's cron. Each job appends its
// name and the real time to a log; the fake time of each start follows from the speed-up.
// Needs root (unshare --mount).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { nextRuns } from "../../../src/cron/next.js";
import { formatInZone } from "../../../src/cron/zone.js";
import { timeOf } from "../../list/cron-time.js";

const CRON = "/usr/sbin/cron";
const FAKETIME = "/usr/bin/faketime";
const MINUTE_MS = 60_000;

interface Scenario {
  zone: string;
  /** Fake start instant, ISO with offset (given to faketime as epoch seconds: local times repeat). */
  fakeStartIso: string;
  /** Fake seconds per real second. */
  speed: number;
  /** Fake minutes to watch. */
  minutes: number;
  jobs: Record<string, string>;
}

function requireTools(): void {
  if (!existsSync(CRON)) throw new Error(`${CRON} is missing: install Debian package cron`);
  if (!existsSync(FAKETIME)) throw new Error(`${FAKETIME} is missing: install Debian package faketime`);
  if (process.getuid?.() !== 0) throw new Error("this test runs cron in a private mount namespace and needs root");
}

/** Runs Debian's cron with the scenario's jobs; returns "name wall-time" lines, sorted. */
async function runDebianCron(s: Scenario): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "cronmeta-debian-cron-"));
  try {
    for (const sub of ["crond", "spool", "run", "out"]) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, "crontab"), "");
    // pam_loginuid cannot set the login uid inside a container; cron would refuse to run jobs.
    const pam = readFileSync("/etc/pam.d/cron", "utf8").replace(/^session\s+required\s+pam_loginuid\.so/m, "session optional pam_loginuid.so");
    writeFileSync(join(dir, "pam-cron"), pam);
    const log = join(dir, "out", "log");
    const lines = Object.entries(s.jobs).map(([name, time]) => `${time} root echo ${name} $(date +\\%s\\%N) >> ${log}`);
    writeFileSync(join(dir, "crond", "cronmeta-test"), `SHELL=/bin/sh\nPATH=/usr/bin:/bin\n${lines.join("\n")}\n`);
    chmodSync(join(dir, "crond", "cronmeta-test"), 0o644);
    const script = [
      "set -e",
      "mount --make-rprivate /",
      `mount --bind ${dir}/crond /etc/cron.d`,
      `mount --bind ${dir}/spool /var/spool/cron/crontabs`,
      `mount --bind ${dir}/crontab /etc/crontab`,
      `mount --bind ${dir}/run /run`,
      `mount --bind ${dir}/pam-cron /etc/pam.d/cron`,
      // The fake clock starts when cron execs: note the real time right before.
      `date +%s%N > ${dir}/started`,
      // FAKETIME_FMT=%s: a local start time inside a repeated hour would be ambiguous.
      `exec env TZ=${s.zone} FAKETIME_FMT=%s ${FAKETIME} -f "@${Date.parse(s.fakeStartIso) / 1000} x${s.speed}" ${CRON} -f`,
    ].join("\n");
    const child = spawn("unshare", ["--mount", "sh", "-c", script], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    // Watch the scenario's minutes plus a fake minute and a real second (the mounts come first).
    const watchMs = ((s.minutes + 1) * MINUTE_MS) / s.speed + 1000;
    await Promise.race([exited, new Promise((r) => setTimeout(r, watchMs))]);
    if (child.exitCode !== null) throw new Error(`cron did not start (exit ${child.exitCode}): ${stderr}`);
    // Never kill(0): without a pid that would be this test runner's own process group.
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    await exited;
    const realStart = Number(BigInt(readFileSync(join(dir, "started"), "utf8").trim()) / 1_000_000n);
    const fakeStart = Date.parse(s.fakeStartIso);
    const end = fakeStart + s.minutes * MINUTE_MS;
    const text = existsSync(log) ? readFileSync(log, "utf8") : "";
    return text
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const [name = "", nanos = "0"] = l.split(" ");
        const real = Number(BigInt(nanos) / 1_000_000n);
        const fake = fakeStart + (real - realStart) * s.speed;
        return { name, minute: Math.floor(fake / MINUTE_MS) * MINUTE_MS };
      })
      .filter((r) => r.minute < end)
      .map((r) => `${r.name} ${formatInZone(r.minute, s.zone)}`)
      .sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What cronmeta says for the same jobs and window. */
function expected(s: Scenario): string[] {
  const fakeStart = new Date(s.fakeStartIso);
  const end = fakeStart.getTime() + s.minutes * MINUTE_MS;
  return Object.entries(s.jobs)
    .flatMap(([name, time]) =>
      nextRuns(timeOf(time), fakeStart, 500, s.zone)
        .filter((d) => d.getTime() < end)
        .map((d) => `${name} ${formatInZone(d.getTime(), s.zone)}`),
    )
    .sort();
}

// The two scenarios use separate namespaces and directories, so they may run side by side.
describe("nextRuns agrees with Debian's cron daemon", { concurrency: true }, () => {
  it("across Europe/Berlin's spring-forward change", async () => {
    requireTools();
    const scenario: Scenario = {
      zone: "Europe/Berlin",
      fakeStartIso: "2026-03-29T01:57:00+01:00",
      speed: 20,
      minutes: 9, // 01:57 CET .. 03:05 CEST
      jobs: {
        fixed0230: "30 2 * * *",
        fixedTwice: "0,30 2 * * *",
        fixed0300: "0 3 * * *",
        wild30: "*/30 * * * *",
        hourly: "@hourly",
        wildHour: "*/2 2 * * *",
        everyMinute: "* * * * *",
      },
    };
    const want = expected(scenario);
    // Sanity of the expectation itself: the fixed jobs all start at 03:00 CEST.
    assert.equal(want.filter((l) => l === "fixedTwice 2026-03-29T03:00:00+02:00").length, 2);
    assert.deepEqual(await runDebianCron(scenario), want);
  });

  it("across Australia/Lord_Howe's 30-minute fall-back change", async () => {
    requireTools();
    const scenario: Scenario = {
      zone: "Australia/Lord_Howe",
      fakeStartIso: "2026-04-05T01:55:00+11:00",
      speed: 30,
      minutes: 38, // 01:55 +11 .. 02:00 +11 = 01:30 +10:30 .. 02:03 +10:30
      jobs: {
        fixed0145: "45 1 * * *",
        fixed0156: "56 1 * * *",
        wild15: "*/15 * * * *",
        wildHour: "*/20 1 * * *",
        fixed0201: "1 2 * * *",
      },
    };
    const want = expected(scenario);
    assert.equal(want.filter((l) => l.startsWith("wild15 ")).length, 3, "01:30, 01:45, 02:00 +10:30");
    assert.equal(want.filter((l) => l.startsWith("fixed0145 ")).length, 0, "01:45 +10:30 repeats: not run again");
    assert.equal(want.filter((l) => l.startsWith("wildHour ")).length, 1, "01:40 +10:30 runs again");
    assert.deepEqual(await runDebianCron(scenario), want);
  });
});
