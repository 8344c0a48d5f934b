// switchman's log (SPEC 8.5): line format, levels, stderr for warnings, unwritable files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger, formatTimestamp, type SyslogSink } from "../../src/switchman/log.js";

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "switchman-log-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withDirAsync(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "switchman-log-"));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("formatTimestamp: YYYY-MM-DD HH:MM:SS in local time", () => {
  const date = new Date(2026, 0, 2, 3, 4, 5); // local time
  assert.equal(formatTimestamp(date), "2026-01-02 03:04:05");
});

test("one line per message: control characters escaped (src/syntax/control.ts)", () => {
  withDir((dir) => {
    const file = join(dir, "log");
    const logger = new Logger({ file, level: "info", pid: 1, stderr: () => undefined, now: () => new Date(2026, 0, 2, 3, 4, 5) });
    logger.info("a\nb\tc\u0007d\u007f");
    logger.close();
    assert.equal(readFileSync(file, "utf8"), "2026-01-02 03:04:05\t[1]\tinfo\ta\\nb\\tc\\x07d\\x7f\n");
  });
});

test("lines are TAB-separated timestamp, [pid], level, message; appended; filtered by level", () => {
  withDir((dir) => {
    const file = join(dir, "log");
    const stderr: string[] = [];
    const now = () => new Date(2026, 10, 28, 6, 5, 4);
    const first = new Logger({ file, level: "info", pid: 4242, stderr: (s) => stderr.push(s), now });
    first.debug("hidden");
    first.info("hello");
    first.warning("careful");
    first.close();
    const second = new Logger({ file, level: "warning", pid: 77, stderr: (s) => stderr.push(s), now });
    second.info("hidden too");
    second.critical("broken\nline");
    second.close();
    assert.equal(
      readFileSync(file, "utf8"),
      "2026-11-28 06:05:04\t[4242]\tinfo\thello\n" +
        "2026-11-28 06:05:04\t[4242]\twarning\tcareful\n" +
        "2026-11-28 06:05:04\t[77]\tcritical\tbroken\\nline\n",
    );
    // Warnings and criticals also on stderr (cron mails them); info never.
    assert.deepEqual(stderr, ["switchman: warning: careful\n", "switchman: critical: broken\\nline\n"]);
  });
});

/** A syslog stand-in: records what it was given, delivers or refuses as told. */
function fakeSyslog(delivers: boolean): { sink: SyslogSink; got: string[] } {
  const got: string[] = [];
  return { got, sink: async (level, message) => (got.push(`${level} ${message}`), delivers) };
}

test("an unopenable log file: one line on stderr naming file, user and fix; the lines go to syslog", async () => {
  await withDirAsync(async (dir) => {
    const stderr: string[] = [];
    const syslog = fakeSyslog(true);
    const log = new Logger({ file: dir /* a directory: EISDIR */, level: "info", pid: 1, stderr: (s) => stderr.push(s), syslog: syslog.sink });
    log.debug("below the level");
    log.info("START lockname=x");
    log.warning("still on stderr");
    await log.flush();
    assert.equal(stderr.length, 2);
    assert.match(stderr[0] ?? "", /^switchman: cannot open log file .*: EISDIR.*; the job runs and its log lines go to syslog \(facility cron\) instead; to log to the file, point "logfile" at a file, not a directory\n$/);
    assert.match(stderr[0] ?? "", / as (user \S+ \(uid \d+\)|uid \d+): /);
    assert.equal(stderr[1], "switchman: warning: still on stderr\n");
    assert.deepEqual(syslog.got, ["info START lockname=x", "warning still on stderr"]);
  });
});

test("syslog unavailable too: the lines go to stderr, in order, warnings not twice", async () => {
  await withDirAsync(async (dir) => {
    const stderr: string[] = [];
    const log = new Logger({ file: dir, level: "info", pid: 1, stderr: (s) => stderr.push(s), syslog: fakeSyslog(false).sink });
    log.info("START lockname=x");
    log.warning("careful");
    log.info("FINISH lockname=x");
    await log.flush();
    assert.deepEqual(stderr.slice(1), [
      "switchman: warning: careful\n",
      "switchman: syslog is unavailable too (logger(1) failed): log lines go to stderr\n",
      "switchman: info: START lockname=x\n",
      "switchman: info: FINISH lockname=x\n",
    ]);
  });
});

test("a log file that fails on write (full disk) is reported once, then syslog takes the lines", async () => {
  const stderr: string[] = [];
  const syslog = fakeSyslog(true);
  const log = new Logger({ file: "/dev/full", level: "debug", pid: 1, stderr: (s) => stderr.push(s), syslog: syslog.sink });
  log.info("one");
  log.info("two");
  await log.flush();
  assert.equal(stderr.length, 1);
  assert.match(stderr[0] ?? "", /cannot write log file \/dev\/full as .*: ENOSPC/);
  assert.deepEqual(syslog.got, ["info one", "info two"]);
});

test("a writable log file: syslog is never asked", async () => {
  await withDirAsync(async (dir) => {
    const syslog = fakeSyslog(true);
    const log = new Logger({ file: join(dir, "log"), level: "debug", pid: 1, stderr: () => undefined, syslog: syslog.sink });
    log.info("one");
    await log.flush();
    log.close();
    assert.deepEqual(syslog.got, []);
  });
});
