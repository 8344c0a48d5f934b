// START/FINISH through the real executable (SPEC 8.5): lines parse, figures are plausible,
// local time, and an unwritable log file never stops the job.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { requireTools, runSwitchman, sandbox, type Sandbox } from "../../helpers/switchman.js";

let box: Sandbox;
before(() => {
  requireTools();
  box = sandbox();
});
after(() => box.cleanup());

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\t\[(\d+)\]\t(debug|info|warning|critical)\t(.*)$/;
const START = /^START lockname=(\S+) group=(\S+) host=(\S+) command=(\[.*\])$/;
const FINISH = /^FINISH lockname=(\S+) (exit=\d+|signal=SIG[A-Z0-9]+) status=(\d+) duration=(\d+\.\d{3})s user=(\d+\.\d\d)s sys=(\d+\.\d\d)s maxrss=(\d+KiB|-)( killed=SIGKILL)?$/;

function parse(log: string, pid: number): { level: string; message: string; time: string }[] {
  return log
    .trimEnd()
    .split("\n")
    .map((line) => {
      const m = LINE.exec(line);
      assert.ok(m, `log line does not parse: ${JSON.stringify(line)}`);
      return { time: m[1] as string, pid: Number(m[2]), level: m[3] as string, message: m[4] as string };
    })
    .filter((entry) => entry.pid === pid);
}

test("START and FINISH carry lockname, group, host, command, status, duration, CPU and memory", async () => {
  box.writeConfig({ groups: { workers: ["box1.example.com"] } });
  // Burns at least 0.4 s of CPU (measured by itself, so a loaded machine only makes it slower), holds ~120 MB, exits 4.
  const script = "const b = Buffer.alloc(120e6, 1); while (process.cpuUsage().user < 400e3) b[0]++; setTimeout(() => process.exit(4), 300);";
  const child = await runSwitchman(["--config", box.config, "-g", "workers", "--lockname", "profiled", "--", process.execPath, "-e", script]);
  assert.equal(child.code, 4, child.stderr);
  const pid = Number(/\[(\d+)\]\tinfo\tSTART lockname=profiled/.exec(box.log())?.[1]);
  const entries = parse(box.log(), pid);
  const start = START.exec(entries.find((e) => e.message.startsWith("START"))?.message ?? "");
  assert.ok(start, box.log());
  assert.deepEqual(start.slice(1, 4), ["profiled", "workers", "box1.example.com"]);
  assert.deepEqual(JSON.parse(start[4] as string), [process.execPath, "-e", script]);
  const finish = FINISH.exec(entries.find((e) => e.message.startsWith("FINISH"))?.message ?? "");
  assert.ok(finish, box.log());
  assert.equal(finish[2], "exit=4");
  assert.equal(finish[3], "4");
  const [duration, user, sys] = [Number(finish[4]), Number(finish[5]), Number(finish[6])];
  assert.ok(duration >= 0.7 && duration < 60, `duration ${duration}`);
  assert.ok(user >= 0.39, `user CPU ${user} s for 0.4 s of busy loop`);
  assert.ok(user + sys <= duration + 0.5, `CPU ${user}+${sys} s within ${duration} s`);
  assert.ok(Number.parseInt(finish[7] as string, 10) >= 120_000, `peak memory ${finish[7]} for a 120 MB buffer`);
});

test("FINISH names the signal that ended CMD", async () => {
  await runSwitchman(["--config", box.config, "--lockname", "signalled", "--", "sh", "-c", "kill -HUP $$"]);
  assert.match(box.log(), /\tinfo\tFINISH lockname=signalled signal=SIGHUP status=129 /);
});

test("skips are logged at info, with the reason", async () => {
  box.writeConfig({ groups: { elsewhere: "box2.example.com" } });
  const result = await runSwitchman(["--config", box.config, "-g", "elsewhere", "--", "true"]);
  assert.equal(result.stderr, "");
  assert.match(box.log(), /\tinfo\tSKIP not-in-group: host box1\.example\.com is not in group elsewhere; lockname=true group=elsewhere$/m);
});

test("timestamps are local time (TZ applies), like App::switchman's localtime", async () => {
  const zone = "Asia/Kathmandu"; // UTC+05:45: no chance of matching UTC by accident
  await runSwitchman(["--config", box.config, "--lockname", "tz-check", "--", "true"], { env: { TZ: zone } });
  const stamp = /^(\S+ \S+)\t\[\d+\]\tinfo\tSTART lockname=tz-check /m.exec(box.log())?.[1];
  assert.ok(stamp);
  const format = (d: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone: zone, dateStyle: "short", timeStyle: "medium" }).format(d);
  const now = Date.now();
  const candidates = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => format(new Date(now - s * 1000)));
  assert.ok(candidates.includes(stamp), `${stamp} not in ${candidates.join(", ")}`);
});

test("loglevel filters the file", async () => {
  box.writeConfig({ loglevel: "warning" });
  const before = box.log();
  await runSwitchman(["--config", box.config, "--lockname", "quiet", "--", "true"]);
  assert.equal(box.log(), before, "info lines are filtered out");
});

test("an unwritable log file never stops the job: message on stderr, CMD runs, status passed through", async () => {
  const dirAsLog = join(box.dir, "log-is-a-dir");
  mkdirSync(dirAsLog);
  for (const logfile of [dirAsLog, join(box.dir, "missing-dir", "switchman.log")]) {
    box.writeConfig({ logfile });
    const result = await runSwitchman(["--config", box.config, "--", "sh", "-c", "echo ran; exit 5"]);
    assert.equal(result.code, 5);
    assert.equal(result.stdout, "ran\n");
    // The file's trouble in one line; the log lines then go to syslog (or, where this machine has none, to stderr).
    assert.match(result.stderr, /^switchman: cannot open log file .*; the job runs and its log lines go to syslog \(facility cron\) instead; to log to the file, .*\n/);
  }
});
