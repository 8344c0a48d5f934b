// The case table's cron verdicts against Debian's own parser (`crontab -n`, a dry-run syntax
// check of a crontab file).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { crontabVerdict, parseCases } from "../../cron/parse-table.js";

describe("the table agrees with Debian's cron (crontab -n)", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cronmeta-crontab-"));
  });
  after(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  test("crontab -n accepts or rejects each line as the table says", () => {
    const probe = spawnSync("crontab", ["-h"], { encoding: "utf8" });
    assert.ok(probe.error === undefined,
      `crontab is missing: install the Debian package "cron" (apt-get install cron) to run this test`);
    const mismatches: string[] = [];
    let checked = 0;
    for (const c of parseCases) {
      if (c.cron === undefined) continue;
      const verdict = crontabVerdict(dir, c.text);
      checked += 1;
      if (verdict !== c.cron) mismatches.push(`${JSON.stringify(c.text)}: table says ${c.cron}, cron ${verdict}`);
    }
    assert.deepEqual(mismatches, []);
    assert.ok(checked >= 150, `${checked} lines checked against cron`);
  });
});
