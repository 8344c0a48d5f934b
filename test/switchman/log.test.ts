// switchman's log (SPEC 8.5): line format, levels, stderr for warnings, unwritable files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger, escapeMessage, formatTimestamp } from "../../src/switchman/log.js";

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "switchman-log-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("formatTimestamp: YYYY-MM-DD HH:MM:SS in local time", () => {
  const date = new Date(2026, 0, 2, 3, 4, 5); // local time
  assert.equal(formatTimestamp(date), "2026-01-02 03:04:05");
});

test("one line per message: control characters escaped", () => {
  assert.equal(escapeMessage("a\nb\tc\u0007d"), "a\\nb\\tc\\x07d");
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

test("an unopenable log file: one line on stderr, logging goes on without it", () => {
  withDir((dir) => {
    const stderr: string[] = [];
    const log = new Logger({ file: dir /* a directory: EISDIR */, level: "debug", pid: 1, stderr: (s) => stderr.push(s) });
    log.info("not written");
    log.warning("still on stderr");
    assert.equal(stderr.length, 2);
    assert.match(stderr[0] ?? "", /^switchman: cannot open log file .*: EISDIR.*; the job runs without the log file\n$/);
    assert.equal(stderr[1], "switchman: warning: still on stderr\n");
  });
});

test("a log file that fails on write (full disk) is reported once and then left alone", () => {
  const stderr: string[] = [];
  const log = new Logger({ file: "/dev/full", level: "debug", pid: 1, stderr: (s) => stderr.push(s) });
  log.info("one");
  log.info("two");
  assert.equal(stderr.length, 1);
  assert.match(stderr[0] ?? "", /cannot write log file \/dev\/full: ENOSPC/);
});
