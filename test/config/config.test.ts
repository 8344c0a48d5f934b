import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { defaultConfig } from "../../src/config/schema.js";
import { UsageError } from "../../src/errors.js";
import { withProject } from "../helpers/project.js";

async function configError(files: Record<string, string>, configPath?: string): Promise<string> {
  return withProject(files, async (root) => {
    try {
      await loadConfig(root, configPath === undefined ? undefined : `${root}/${configPath}`);
    } catch (error) {
      assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
      return error.message;
    }
    assert.fail("expected loadConfig to fail");
  });
}

describe("config", () => {
  it("has the SPEC 5 defaults", () => {
    const config = defaultConfig();
    assert.deepEqual(config.include, ["**/*"]);
    assert.deepEqual(config.exclude, []);
    assert.equal(config.debianDir, "debian");
    assert.equal(config.user, "root");
    assert.deepEqual(config.users, ["root"]);
    assert.equal(config.installDir, "/usr/bin");
    assert.deepEqual(config.env, { SHELL: "/bin/sh", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" });
    assert.deepEqual(config.switchman, { bin: "/usr/bin/switchman", config: "/etc/switchman.conf" });
    assert.equal(config.guard, true);
    assert.deepEqual(config.rules, {});
    assert.equal(config.defaultPackage, undefined);
  });

  it("reads cronmeta.config.json", async () => {
    await withProject({ "cronmeta.config.json": JSON.stringify({ guard: false, users: ["root", "backup"] }) }, async (root) => {
      const loaded = await loadConfig(root);
      assert.equal(loaded.source, "cronmeta.config.json");
      assert.equal(loaded.config.guard, false);
      assert.deepEqual(loaded.config.users, ["root", "backup"]);
    });
  });

  it("reads package.json#cronmeta", async () => {
    await withProject({ "package.json": JSON.stringify({ name: "x", cronmeta: { switchman: false } }) }, async (root) => {
      const loaded = await loadConfig(root);
      assert.equal(loaded.source, "package.json#cronmeta");
      assert.equal(loaded.config.switchman, false);
    });
  });

  it("uses defaults when package.json has no cronmeta key", async () => {
    await withProject({ "package.json": JSON.stringify({ name: "x" }) }, async (root) => {
      const loaded = await loadConfig(root);
      assert.equal(loaded.source, undefined);
      assert.equal(loaded.config.guard, true);
    });
  });

  it("refuses configuration in two places", async () => {
    const message = await configError({
      "cronmeta.config.json": "{}",
      "package.json": JSON.stringify({ cronmeta: {} }),
    });
    assert.match(message, /both in cronmeta.config.json and in package.json#cronmeta/);
  });

  it("names unknown keys, including nested ones", async () => {
    assert.match(await configError({ "cronmeta.config.json": JSON.stringify({ gaurd: true }) }), /cronmeta.config.json: unknown key gaurd/);
    assert.match(
      await configError({ "cronmeta.config.json": JSON.stringify({ switchman: { bin: "/usr/bin/switchman", conf: "/x" } }) }),
      /unknown key switchman.conf/,
    );
  });

  const badValues: Array<[string, unknown, RegExp]> = [
    ["include", "**/*", /include: /],
    ["include", [], /include: /],
    ["include", ["../other/**"], /include.0: must be a glob relative to the root/],
    ["exclude", ["/etc/**"], /exclude.0: must be a glob relative to the root/],
    ["debianDir", "../debian", /debianDir: must be a relative path inside the root/],
    ["debianDir", "/abs", /debianDir: must be a relative path inside the root/],
    ["defaultPackage", "Bad_Name", /defaultPackage: must be a Debian package name/],
    ["packages", ["ok-pkg", "NO"], /packages.1: must be a Debian package name/],
    ["user", "Root User", /user: must be a valid user name/],
    ["users", ["root", "x y"], /users.1: must be a valid user name/],
    ["installDir", "usr/bin", /installDir: must be an absolute path/],
    ["installDir", "/usr/my bin", /installDir: must be an absolute path/],
    ["env", { PATH: "/bin\n* * * * * root evil" }, /env.PATH: must not contain newlines or control characters/],
    ["env", { "BAD NAME": "x" }, /env.BAD NAME: /],
    // Values Debian's load_env() would change (test/cron/env-line.test.ts has the whole table)
    ["env", { MAILTO: '"x@example.com"' }, /env\.MAILTO: value "\\"x@example\.com\\"" cannot be written in a cron\.d file: .*matching outer quotes.*; cron would read "x@example\.com"/],
    ["env", { MAILTO: "ops@example.org " }, /env\.MAILTO: value "ops@example\.org " .*trailing blanks.*cron would read "ops@example\.org"/],
    ["env", { GREETING: " hi " }, /env\.GREETING: .*cron would read " hi"/],
    ["env", { X: `"x'` }, /env\.X: value "\\"x'" .*both ' and ".*would not take the line for a setting/],
    ["env", { PATH: "/bin:".repeat(199) }, /env\.PATH: .*1000 bytes long.*first 998 bytes/],
    ["switchman", true, /switchman: /],
    ["switchman", { bin: "switchman" }, /switchman.bin: must be an absolute path/],
    ["guard", "yes", /guard: /],
    ["rules", { "cron-day-or": "fatal" }, /rules.cron-day-or: /],
    ["templates", "", /templates: /],
  ];
  for (const [key, value, expected] of badValues) {
    it(`rejects ${key} = ${JSON.stringify(value)} naming the key`, async () => {
      assert.match(await configError({ "cronmeta.config.json": JSON.stringify({ [key]: value }) }), expected);
    });
  }

  it("accepts env values that need quoting but that a cron.d line carries exactly", async () => {
    const env = { MAILTO: "", GREETING: "  hi", Q: '"x', S: "'y", BOTH: `it's "ok"`, HASH: "a#b" };
    await withProject({ "cronmeta.config.json": JSON.stringify({ env }) }, async (root) => {
      assert.deepEqual((await loadConfig(root)).config.env, { ...defaultConfig().env, ...env });
    });
  });

  it("merges env over the defaults, and drops a name set to null (issue 17)", async () => {
    await withProject({ "cronmeta.config.json": JSON.stringify({ env: { MAILTO: "ops@example.org" } }) }, async (root) => {
      assert.deepEqual((await loadConfig(root)).config.env, { SHELL: "/bin/sh", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", MAILTO: "ops@example.org" });
    });
    await withProject({ "cronmeta.config.json": JSON.stringify({ env: { PATH: null, SHELL: "/bin/bash" } }) }, async (root) => {
      assert.deepEqual((await loadConfig(root)).config.env, { SHELL: "/bin/bash" });
    });
  });

  it("requires user to be one of users", async () => {
    assert.match(
      await configError({ "cronmeta.config.json": JSON.stringify({ user: "backup" }) }),
      /user: "backup" is not listed in users/,
    );
  });

  it("reports invalid JSON and a missing --config file", async () => {
    assert.match(await configError({ "cronmeta.config.json": "{ nope" }), /cronmeta.config.json: invalid JSON/);
    assert.match(await configError({}, "missing.json"), /config file not found/);
  });

  it("reads --config from any path", async () => {
    await withProject({ "conf/c.json": JSON.stringify({ installDir: "/opt/x/bin" }) }, async (root) => {
      const loaded = await loadConfig(root, `${root}/conf/c.json`);
      assert.equal(loaded.config.installDir, "/opt/x/bin");
      assert.equal(loaded.source, "conf/c.json");
    });
  });
});
