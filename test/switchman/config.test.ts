// switchman config validation (SPEC 8.1): every key, its default, and bad values naming the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LOCKDIR, loadConfig, validateConfig } from "../../src/switchman/config.js";
import { SwitchmanError } from "../../src/switchman/coordinator.js";
import { checkPrefix } from "../../src/switchman/zookeeper/paths.js";
import { checkZkhosts } from "../../src/switchman/zookeeper/session.js";

const zk = { zkhosts: "127.0.0.1:2181", prefix: "/switchman" };

test("defaults: empty config is local mode with SPEC 8.1 defaults", () => {
  assert.deepEqual(validateConfig({}), { config: { mode: "local", loglevel: "info", termination_timeout: 10, lockdir: DEFAULT_LOCKDIR } });
  assert.deepEqual(validateConfig(zk), {
    config: { mode: "zookeeper", ...zk, loglevel: "info", termination_timeout: 10, session_timeout: 30, connect_timeout: 10 },
  });
  assert.equal(DEFAULT_LOCKDIR, "/run/lock/switchman");
});

test("valid configurations keep every key", () => {
  const local = { logfile: "/var/log/switchman.log", loglevel: "debug", termination_timeout: 0, groups: { g: ["a", "b"], h: "g" }, lockdir: "/tmp/l" };
  assert.deepEqual(validateConfig(local), { config: { mode: "local", ...local } });
  const remote = { ...zk, zkhosts: "zk1.example.com:2181,10.0.0.2:2182,[::1]:2183", session_timeout: 60, connect_timeout: 2.5, termination_timeout: 54, loglevel: "critical" };
  assert.deepEqual(validateConfig(remote), { config: { mode: "zookeeper", ...remote } });
});

// [config, expected message (regex)]: each message must name the offending key.
const invalid: [unknown, RegExp][] = [
  [[], /^config: must be a JSON object$/],
  [null, /^config: must be a JSON object$/],
  [{ zkhost: "x:1" }, /^zkhost: unknown key$/],
  [{ ...zk, zkhosts: 5 }, /^zkhosts: must be a string/],
  [{ ...zk, zkhosts: "" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, zkhosts: "zk1" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, zkhosts: "zk1:0" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, zkhosts: "zk1:65536" }, /^zkhosts: .*ports 1-65535/],
  [{ ...zk, zkhosts: "zk1:2181,,zk2:2181" }, /^zkhosts: /],
  [{ ...zk, zkhosts: "zk1:2181 zk2:2181" }, /^zkhosts: /],
  [{ ...zk, zkhosts: "zk1:2181/chroot" }, /^zkhosts: must not carry a chroot/],
  [{ zkhosts: "zk1:2181" }, /^prefix: required with zkhosts$/],
  [{ ...zk, prefix: "switchman" }, /^prefix: must be a znode path/],
  [{ ...zk, prefix: "/" }, /^prefix: must be a znode path/],
  [{ ...zk, prefix: "/a/" }, /^prefix: must be a znode path/],
  [{ ...zk, prefix: "/a//b" }, /^prefix: must be a znode path/],
  [{ ...zk, prefix: "/a/../b" }, /^prefix: must not contain `\.` or `\.\.`/],
  [{ ...zk, prefix: "/a\u0001" }, /^prefix: must not contain control/],
  [{ ...zk, prefix: "/a\u0085" }, /^prefix: must not contain control or reserved characters$/],
  [{ ...zk, prefix: "/zookeeper" }, /^prefix: must not be under \/zookeeper/],
  [{ ...zk, prefix: "/zookeeper/quota/x" }, /^prefix: must not be under \/zookeeper/],
  [{ ...zk, zkhosts: "[::1:2181" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, zkhosts: "[zk1]:2181" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, zkhosts: "::1:2181" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, zkhosts: "-zk1:2181" }, /^zkhosts: must be a ZooKeeper connect string/],
  [{ ...zk, prefix: 7 }, /^prefix: must be a string/],
  [{ prefix: "/a" }, /^prefix: only for ZooKeeper mode/],
  [{ logfile: "relative.log" }, /^logfile: must be an absolute path/],
  [{ logfile: "/a\nb" }, /^logfile: must be an absolute path/],
  [{ loglevel: "warn" }, /^loglevel: must be one of debug, info, warning, critical$/],
  [{ termination_timeout: -1 }, /^termination_timeout: must be 0 or more seconds$/],
  [{ termination_timeout: "10" }, /^termination_timeout: must be a number of seconds/],
  [{ termination_timeout: null }, /^termination_timeout: must be a number of seconds/],
  [{ ...zk, session_timeout: 0 }, /^session_timeout: must be more than 0 seconds$/],
  [{ ...zk, session_timeout: "30" }, /^session_timeout: must be a number/],
  [{ session_timeout: 30 }, /^session_timeout: only for ZooKeeper mode/],
  [{ ...zk, connect_timeout: -2 }, /^connect_timeout: must be more than 0 seconds$/],
  [{ connect_timeout: 5 }, /^connect_timeout: only for ZooKeeper mode/],
  [{ groups: [] }, /^groups: must be an object/],
  [{ groups: { g: 5 } }, /^groups\.g: must be a host or group name, or a list of these \(non-empty strings\)$/],
  [{ groups: { g: ["a", 5] } }, /^groups\.g/],
  [{ groups: { g: "" } }, /^groups\.g/],
  [{ groups: { "": "a" } }, /^groups: invalid group name "" \(a group name must not be empty\)$/],
  [{ ...zk, groups: { g: "a" } }, /^groups: only for local mode \(without zkhosts\); with ZooKeeper, groups live in the prefix node's data$/],
  [{ lockdir: "run/lock" }, /^lockdir: must be an absolute path/],
  [{ ...zk, lockdir: "/run/lock/x" }, /^lockdir: only for local mode/],
  [{ ...zk, termination_timeout: 25 }, /^termination_timeout: 25 s leaves no safe time within session_timeout 30 s \(needs termination_timeout \+ 6 <= session_timeout\): lower termination_timeout or raise session_timeout$/],
  [{ ...zk, session_timeout: 5, termination_timeout: 0 }, /^termination_timeout: 0 s leaves no safe time within session_timeout 5 s/],
];

test("every bad value is an error naming the key", () => {
  for (const [config, message] of invalid) {
    const result = validateConfig(config);
    assert.ok("problems" in result, `accepted: ${JSON.stringify(config)}`);
    assert.ok(result.problems.some((p) => message.test(p)), `${JSON.stringify(config)} → ${JSON.stringify(result.problems)}`);
  }
});

test("all problems are reported at once", () => {
  const result = validateConfig({ loglevel: "loud", termination_timeout: -1, extra: 1 });
  assert.ok("problems" in result);
  assert.equal(result.problems.length, 3, JSON.stringify(result.problems));
});

test("the timing boundary: termination_timeout + 6 <= session_timeout is accepted (a failover fits: budget.ts)", () => {
  assert.ok("config" in validateConfig({ ...zk, termination_timeout: 24 }));
  assert.ok("problems" in validateConfig({ ...zk, termination_timeout: 24.5 }));
  // Local mode has no session: any termination_timeout is safe.
  assert.ok("config" in validateConfig({ termination_timeout: 300 }));
});

test("loadConfig: unreadable or non-JSON files are exit-2 errors naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchman-config-"));
  try {
    const path = join(dir, "switchman.conf");
    assert.throws(() => loadConfig(path), (e: unknown) => e instanceof SwitchmanError && e.exitCode === 2 && e.message.includes(path));
    writeFileSync(path, "{ not json");
    assert.throws(() => loadConfig(path), /is not valid JSON/);
    writeFileSync(path, JSON.stringify({ loglevel: "loud" }));
    assert.throws(() => loadConfig(path), (e: unknown) => e instanceof SwitchmanError && e.message === `config ${path}: loglevel: must be one of debug, info, warning, critical`);
    writeFileSync(path, JSON.stringify({ ...zk, termination_timeout: 5 }));
    const loaded = loadConfig(path);
    assert.equal(loaded.mode === "zookeeper" && loaded.zkhosts, zk.zkhosts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// One rule, one place: what loads is what the ZooKeeper session connects to, and the reverse.
test("zkhosts and prefix: the config accepts exactly what the ZooKeeper back end accepts", () => {
  const accepts = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (error) {
      if (error instanceof SwitchmanError && error.exitCode === 2) return false;
      throw error;
    }
  };
  const zkhosts = [
    "127.0.0.1:2181", "zk1.example.org:2181,zk2.example.org:2182", "[::1]:2181", "[::1]:2181,127.0.0.1:2182", "[2001:db8::7]:1",
    "[::ffff:127.0.0.1]:2181", "", "zk1", "zk1:", "zk1:0", "zk1:65535", "zk1:65536", "zk1:2181/chroot", "zk1:2181,", ",zk1:2181",
    "[::1]", "[::1:2181", "[zk1]:2181", "[:::]:2181", "::1:2181", "zk1:21a", "-zk1:2181", "zk1.:2181", "zk 1:2181", "[fe80::1%lo]:2181",
  ];
  for (const value of zkhosts) {
    const loads = "config" in validateConfig({ ...zk, zkhosts: value });
    assert.equal(loads, accepts(() => checkZkhosts(value)), `zkhosts ${JSON.stringify(value)}: config ${loads ? "accepts" : "refuses"} it, the session does not agree`);
  }
  const prefixes = [
    "/a", "/myproject/switchman", "/a.b/c-d", "/...", "/zookeeperx", "/x/zookeeper", "", "/", "a", "/a/", "//a", "/a//b", "/a/./b", "/a/..",
    "/zookeeper", "/zookeeper/x", "/a\u0001", "/a\u007f", "/a\u0090", "/a\ud800", "/a\ue000", "/a\ufff0", "/é",
  ];
  for (const value of prefixes) {
    const loads = "config" in validateConfig({ ...zk, prefix: value });
    assert.equal(loads, accepts(() => checkPrefix(value)), `prefix ${JSON.stringify(value)}: config ${loads ? "accepts" : "refuses"} it, the back end does not agree`);
  }
  // The IPv6 decision: accepted at load time and parsed for the client (the connection itself is shown in test/system/switchman/zookeeper/ipv6.test.ts).
  assert.deepEqual(checkZkhosts("[::1]:2181,zk1:2182"), [{ host: "::1", port: 2181 }, { host: "zk1", port: 2182 }]);
});
