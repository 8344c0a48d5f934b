// `cronmeta list` on the fixture project test/fixtures/list-basic, in-process and through the
// real executable: exact output against golden files (CRONMETA_UPDATE_GOLDEN=1 rewrites them).
// The fixed now, 2026-03-28T12:00Z, is the day before Europe/Berlin's spring-forward change,
// so the 02:30 job shows Debian's DST rule (it runs at 03:00 CEST on 2026-03-29).
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";

/** Registers the `cronmeta list` CLI tests for each of `runners`. */
export function defineListCliCases(runners: Runner[]): void {
const basic = join(fixturesDir, "list-basic");
const errors = join(fixturesDir, "list-errors");
const goldenDir = join(repoRoot, "test", "list", "golden");
const NOW = { CRONMETA_NOW: "2026-03-28T12:00:00Z" };

function golden(name: string, actual: string): string {
  const path = join(goldenDir, name);
  if (process.env.CRONMETA_UPDATE_GOLDEN === "1") writeFileSync(path, actual);
  return readFileSync(path, "utf8");
}

for (const [how, run] of runners) {
  describe(`cronmeta list (${how})`, () => {
    it("prints the table with descriptions and next runs", async () => {
      const r = await run(["list", "--next", "3", "--tz", "Europe/Berlin"], basic, NOW);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.equal(r.stdout, golden("list-basic-next3-berlin.txt", r.stdout));
    });

    it("prints one JSON object", async () => {
      const r = await run(["list", "--format", "json", "--next", "2", "--tz", "America/New_York"], basic, NOW);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, golden("list-basic-next2-new-york.json", r.stdout));
      const parsed = JSON.parse(r.stdout) as { version: number; jobs: Array<Record<string, unknown>> };
      assert.equal(parsed.version, 1);
      assert.equal(parsed.jobs.length, 6);
      assert.deepEqual(Object.keys(parsed.jobs[0] ?? {}), [
        "package", "file", "line", "time", "description", "user", "group", "lockname", "lock", "command", "cronLine", "nextRuns",
      ]);
    });

    it("leaves next runs out without --next, and shows the table without them", async () => {
      const json = await run(["list", "--format", "json"], basic, NOW);
      assert.equal(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout) as { jobs: Array<Record<string, unknown>> };
      assert.ok(parsed.jobs.every((j) => !("nextRuns" in j)));
      const table = await run(["list"], basic, NOW);
      assert.equal(table.stdout, golden("list-basic.txt", table.stdout));
    });

    it("filters by package and by group", async () => {
      const byPackage = await run(["list", "--format", "json", "--package", "shop-reports"], basic, NOW);
      const rows = (JSON.parse(byPackage.stdout) as { jobs: Array<{ file: string; time: string }> }).jobs;
      assert.deepEqual(rows.map((j) => j.time), ["0 6 1,15 * mon", "@reboot"]);
      const byGroup = await run(["list", "--format", "json", "--group", "mailers"], basic, NOW);
      assert.deepEqual((JSON.parse(byGroup.stdout) as { jobs: Array<{ file: string }> }).jobs.map((j) => j.file), ["bin/notify.mjs"]);
      const none = await run(["list", "--group", "nobody"], basic, NOW);
      assert.equal(none.code, 0);
      assert.equal(none.stdout, "No jobs.\n");
    });

    it("without --tz uses config timezone, and --tz wins over it", async () => {
      const dir = mkdtempSync(join(tmpdir(), "cronmeta-list-tz-"));
      try {
        const config = join(dir, "berlin.json");
        const own = JSON.parse(readFileSync(join(basic, "cronmeta.config.json"), "utf8")) as Record<string, unknown>;
        writeFileSync(config, JSON.stringify({ ...own, timezone: "Europe/Berlin" }));
        const next = async (args: string[]): Promise<string> => {
          const r = await run(["list", "--format", "json", "--next", "3", ...args], basic, NOW);
          assert.equal(r.code, 0, r.stderr);
          return r.stdout;
        };
        const fromConfig = await next(["--config", config]);
        assert.equal(fromConfig, await next(["--tz", "Europe/Berlin"]));
        assert.notEqual(fromConfig, await next(["--tz", "UTC"]));
        assert.equal(await next(["--config", config, "--tz", "UTC"]), await next(["--tz", "UTC"]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("exits 2 for an unknown zone, package or CRONMETA_NOW", async () => {
      const zone = await run(["list", "--tz", "Mars/Olympus_Mons"], basic, NOW);
      assert.equal(zone.code, 2);
      assert.match(zone.stderr, /^cronmeta: --tz: unknown time zone "Mars\/Olympus_Mons"/);
      const pkg = await run(["list", "--package", "shop-nope"], basic, NOW);
      assert.equal(pkg.code, 2);
      assert.match(pkg.stderr, /"shop-nope" is not a Package: in debian\/control/);
      const now = await run(["list", "--next", "1"], basic, { CRONMETA_NOW: "yesterday" });
      assert.equal(now.code, 2);
      assert.match(now.stderr, /CRONMETA_NOW="yesterday" is not an ISO 8601 timestamp/);
    });

    it("exits 1 and lists nothing when the project has lint errors", async () => {
      const r = await run(["list"], errors, NOW);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      // Short form `file:line:col severity rule message`; the messages belong to the lint rules.
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 3, r.stderr);
      assert.match(lines[0] ?? "", /^bin\/bad\.sh:7:15 error cron-time-invalid "1\/20": /);
      assert.match(lines[1] ?? "", /^bin\/bad\.sh:9:1 error lockname-collision /);
      assert.equal(lines[2], 'cronmeta: 2 errors; run "cronmeta lint" for details');
    });
  });
}

if (runners.some(([how]) => how === "in-process")) describe("cronmeta list colours", () => {
  async function runTty(env: Record<string, string | undefined>): Promise<string> {
    let stdout = "";
    const { main } = await import("../../src/cli/main.js");
    const code = await main(["list"], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: basic, env, stdoutIsTTY: true });
    assert.equal(code, 0);
    return stdout;
  }

  it("colours the table on a TTY, and never with NO_COLOR", async () => {
    const coloured = await runTty({});
    assert.match(coloured, /^\u001b\[1mPACKAGE/);
    assert.match(coloured, /\u001b\[2mwhen:\u001b\[0m At 02:30/);
    const plain = await runTty({ NO_COLOR: "1" });
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.equal(plain, readFileSync(join(goldenDir, "list-basic.txt"), "utf8"));
  });
});
}
