// `list` and `gen` on jobs written with H forms: the resolved time, the H text it came from and
// what H chose; balanced placements printed by gen.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/cli.js";
import { control, pod, withProject } from "../helpers/project.js";

const files = (config: Record<string, unknown> = {}) => ({
  "debian/control": control("shop", "shop-cron"),
  "debian/shop-cron.install": "bin/* usr/share/shop/bin\n",
  "cronmeta.config.json": JSON.stringify(config),
  "bin/purge-cache.sh": pod(["package: shop-cron", "time: H H * * *"], ["package: shop-cron", "time: H/15 * * * *", "params: --quick"]),
  "bin/report.sh": pod(["package: shop-cron", "time: 30 6 * * *"]),
});

describe("list with H forms", () => {
  it("shows the resolved time, the H text and what H chose", async () => {
    await withProject(files(), async (root) => {
      const r = await runInProcess(["list"], root);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\nshop-cron {2}bin\/purge-cache\.sh:6 +29 3 \* \* \* +root/, "resolved in the TIME column (the table's row for purge-cache.sh)");
      assert.match(r.stdout, /\n {4}from: H H \* \* \*\n {4}when: At 03:29 \(minute 29 and hour 3 chosen by H from a hash of package "shop-cron" and lock name "purge-cache\.sh"\)\n/);
      assert.match(r.stdout, /\n {4}cron: 29 3 \* \* \* root /);
      assert.match(r.stdout, /\n {4}from: H\/15 \* \* \* \*\n {4}when: .*\(minutes \d+-59\/15 chosen by H from a hash of package "shop-cron" and lock name "purge-cache\.sh-quick"\)\n/);
      // A plain job gets no from: line.
      assert.match(r.stdout, /bin\/report\.sh:6 +30 6 \* \* \* +root .*\n {4}when: At 06:30\n/);
    });
  });

  it("adds timeSource to the JSON of H jobs only", async () => {
    await withProject(files(), async (root) => {
      const r = await runInProcess(["list", "--format", "json"], root);
      const jobs = (JSON.parse(r.stdout) as { jobs: Array<Record<string, unknown>> }).jobs;
      assert.deepEqual(jobs[0]?.timeSource, { text: "H H * * *", by: "hash", hash: "29 3 * * *" });
      assert.equal(jobs[0]?.time, "29 3 * * *");
      assert.deepEqual(Object.keys(jobs[0] ?? {}).slice(0, 5), ["package", "file", "line", "time", "timeSource"]);
      assert.equal("timeSource" in (jobs[2] ?? {}), false);
    });
  });

  it("balanced: says so, and gen prints what it moved", async () => {
    await withProject(files({ spread: "balanced" }), async (root) => {
      const list = await runInProcess(["list", "--format", "json"], root);
      const jobs = (JSON.parse(list.stdout) as { jobs: Array<{ timeSource?: { by: string } }> }).jobs;
      assert.deepEqual(jobs.map((j) => j.timeSource?.by), ["balanced", "balanced", undefined]);
      const gen = await runInProcess(["gen", "--dry-run"], root);
      assert.equal(gen.code, 0, gen.stderr);
      assert.match(gen.stderr, /cronmeta: balanced spread: [0-2] of 2 H jobs placed away from their hash minute\n/);
      for (const line of gen.stderr.split("\n").filter((l) => l.startsWith("balanced "))) {
        assert.match(line, /^balanced bin\/purge-cache\.sh:\d+ \(shop-cron\) "H[^"]*": \S.* instead of \S.* \(hash\)$/);
      }
    });
  });

  it("gen prints nothing about balancing in hash mode", async () => {
    await withProject(files(), async (root) => {
      const gen = await runInProcess(["gen", "--dry-run"], root);
      assert.equal(gen.code, 0, gen.stderr);
      assert.doesNotMatch(gen.stderr, /balanced/);
      assert.match(gen.stdout, /\n29 3 \* \* \* root /);
    });
  });

  it("reports malformed H forms at their column and lists nothing", async () => {
    const bad = { ...files(), "bin/bad.sh": pod(["package: shop-cron", "time: H(70-80) * * * *"]) };
    await withProject(bad, async (root) => {
      const r = await runInProcess(["list"], root);
      assert.equal(r.code, 1);
      // pod(): the time value starts at line 8, column 11.
      assert.match(r.stderr, /^bin\/bad\.sh:8:11 error cron-time-invalid "H\(70-80\)": out of range: the minute is 0-59; write "H"\n/);
    });
  });
});
