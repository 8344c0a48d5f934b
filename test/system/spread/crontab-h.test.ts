// Every H resolution of the table (test/spread/h-table.ts), and every line `cronmeta gen` (the
// built executable) writes for a project full of H forms in both spread modes, is a line Debian's
// own parser accepts: `crontab -n` (a dry-run syntax check) on a crontab of those times. The H
// inputs themselves are rejected by it, which is why gen resolves them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runExecutable } from "../../helpers/cli.js";
import { makeProject, pod, removeProject } from "../../helpers/project.js";
import { RESOLUTIONS } from "../../spread/h-table.js";
import { manyJobs } from "../../spread/projects.js";

let dir = "";

/** crontab -n's verdict on a user crontab of `times` (each with a command), and what it said. */
function crontabCheck(times: readonly string[]): { ok: boolean; output: string } {
  const file = join(dir, "crontab");
  writeFileSync(file, times.map((t) => `${t} /bin/true\n`).join(""));
  const run = spawnSync("crontab", ["-n", file], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  if (run.error !== undefined) throw run.error;
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

before(() => {
  const probe = spawnSync("crontab", ["-h"], { encoding: "utf8" });
  assert.ok(probe.error === undefined, `crontab is missing: install the Debian package "cron" (apt-get install cron) to run this test`);
  dir = mkdtempSync(join(tmpdir(), "cronmeta-crontab-h-"));
});
after(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("H resolutions against Debian's crontab -n", () => {
  it("accepts every output of the table, one line at a time", () => {
    for (const [input, pkg, lockname, zone, output] of RESOLUTIONS) {
      const verdict = crontabCheck([output]);
      assert.ok(verdict.ok, `${input} (${pkg}/${lockname} ${zone}) -> ${output}: ${verdict.output}`);
    }
  });

  it("rejects the H inputs themselves", () => {
    for (const input of new Set(RESOLUTIONS.map(([i]) => i))) assert.equal(crontabCheck([input]).ok, false, input);
  });

  for (const spread of ["hash", "balanced"] as const) {
    it(`accepts every line the built cronmeta gen writes with spread "${spread}"`, async () => {
      const files = manyJobs(60, "H * * * *", { spread, timezone: "Europe/Berlin" });
      const times = ["H H * * *", "H/15 * * * *", "H H(0-5) * * H(mon-fri)", "H(0-29),H(30-59) 8-18 * * *", "H H H(1-28) * *", "H H/6 * * *", "H,30 */2 * * *"];
      times.forEach((time, t) => {
        files[`bin/mixed-${t}.sh`] = pod(...Array.from({ length: 6 }, (_, i) => ["package: demo-cron", `time: ${time}`, `params: --mixed ${t}-${i}`]));
      });
      const root = await makeProject(files);
      try {
        const gen = runExecutable(["gen", "--root", root], root);
        assert.equal(gen.code, 0, gen.stderr);
        if (spread === "balanced") assert.match(gen.stderr, /cronmeta: balanced spread: \d+ of 102 H jobs placed away from their hash minute/);
        const cronFile = readdirSync(join(root, "debian")).find((f) => f.endsWith(".cron.d"));
        assert.ok(cronFile);
        // cron.d lines are "<five fields> <user> <command>": the user crontab gets the five fields.
        const lines = readFileSync(join(root, "debian", cronFile), "utf8").split("\n").filter((l) => /^[0-9*]/.test(l) && !l.includes(" --canary "));
        assert.equal(lines.length, 102); // the jobs' lines; the canary line (no H) is not one of them
        const fields = lines.map((l) => l.split(" ").slice(0, 5).join(" "));
        assert.ok(fields.every((f) => !f.includes("H")));
        const verdict = crontabCheck(fields);
        assert.ok(verdict.ok, verdict.output);
      } finally {
        await removeProject(root);
      }
    });
  }
});
