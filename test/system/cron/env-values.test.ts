// Environment lines against Debian's real cron (issue 12): readEnvLine() must read every line of
// the case table exactly as the daemon does, and the lines gen writes for config values must
// give the job exactly the configured value. The daemon runs in a private mount namespace
// (../cron-daemon/support.ts): one cron.d file holds every line that is a setting, plus a job
// that prints its environment; each line that is no setting gets a file of its own, which cron
// must reject. `crontab -n` must agree on which lines are settings.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readEnvLine } from "../../../src/cron/env-line.js";
import { envLines } from "../../../src/generate/env-lines.js";
import { envLineCases } from "../../cron/env-line-table.js";
import { type CronRun, requireCronTools, startCron, waitFor } from "../cron-daemon/support.js";

/** Config values that need quoting or sit at a limit: gen must carry each exactly. */
const CONFIG_ENV: Record<string, string> = {
  EMPTY_VALUE: "",
  LEADING: "  two leading blanks",
  DQ_START: '"starts with a double quote',
  SQ_START: "'starts with a single quote",
  BOTH_INSIDE: `it's a "value"`,
  CONFIG_HASH: "a#b # c",
  EQUALS: "a=b",
  LONGEST: "y".repeat(998 - "LONGEST=".length),
  LONGEST_QUOTED: ` ${"y".repeat(998 - 'LONGEST_QUOTED=""'.length - 1)}`,
};

const broken = envLineCases.filter((c) => c.reads === undefined);
const settings = envLineCases.filter((c) => c.reads !== undefined);

describe("Debian's cron reads env lines as readEnvLine() says", { timeout: 5 * 60_000 }, () => {
  let work = "";
  let out = "";
  let cron: CronRun | undefined;
  const generated = envLines(CONFIG_ENV);

  before(async () => {
    requireCronTools();
    const names = [...settings.map((c) => c.reads?.name), ...Object.keys(CONFIG_ENV)];
    assert.equal(new Set(names).size, names.length, "every variable has its own name (a later line would replace an earlier one)");
    work = mkdtempSync(join(tmpdir(), "cronmeta-env-"));
    const cronDir = join(work, "cron.d");
    out = join(work, "out");
    mkdirSync(cronDir);
    mkdirSync(out);
    const job = (name: string): string => `* * * * * root env > ${out}/${name}\n`;
    const good = [...settings.map((c) => c.line), ...generated.map((e) => e.line)].join("\n");
    writeFileSync(join(cronDir, "settings"), `${good}\n${job("settings")}`, { mode: 0o644 });
    broken.forEach((c, i) => writeFileSync(join(cronDir, `broken${i}`), `${c.line}\n${job(`broken${i}`)}`, { mode: 0o644 }));
    cron = await startCron(join(work, "ns"), cronDir);
    await waitFor(
      () => {
        if (cron?.exited() === true) throw new Error(`cron stopped early:\n${cron.stderr()}\n${cron.log.join("\n")}`);
        return existsSync(join(out, "settings"));
      },
      150_000,
      () => `cron log:\n${cron?.log.join("\n")}\n${cron?.stderr()}`,
    );
    // The broken files' jobs would have run in the same minute.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });

  after(async () => {
    await cron?.stop();
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  /** The job's environment, NAME -> value. */
  function jobEnv(): Map<string, string> {
    const env = new Map<string, string>();
    for (const line of readFileSync(join(out, "settings"), "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) env.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return env;
  }

  it("every setting of the table reaches the job with the value readEnvLine() gives", () => {
    const env = jobEnv();
    const wrong = settings
      .filter((c) => env.get(c.reads?.name ?? "") !== c.reads?.value || readEnvLine(c.line)?.value !== c.reads?.value)
      .map((c) => `${JSON.stringify(c.line.slice(0, 40))}: cron ${JSON.stringify(env.get(c.reads?.name ?? "")?.slice(0, 40))}`);
    assert.deepEqual(wrong, []);
  });

  it("the lines gen writes for config env give the job exactly the configured values", () => {
    const env = jobEnv();
    for (const [name, value] of Object.entries(CONFIG_ENV)) assert.equal(env.get(name), value, name);
    assert.ok(generated.some((e) => e.line.startsWith('LONGEST_QUOTED=" ') && Buffer.byteLength(e.line) === 998));
  });

  it("cron rejects each file with a line that readEnvLine() says is no setting", () => {
    const log = cron?.log ?? [];
    broken.forEach((c, i) => {
      assert.ok(log.some((l) => l.includes(`/etc/cron.d/broken${i}`) && /bad minute/.test(l)), `${c.line.slice(0, 40)}:\n${log.join("\n")}`);
      assert.equal(existsSync(join(out, `broken${i}`)), false, `the job after ${JSON.stringify(c.line.slice(0, 40))} ran`);
    });
    assert.ok(broken.length >= 6);
  });

  it("crontab -n agrees on which lines are settings", () => {
    const file = join(work, "crontab");
    for (const c of envLineCases) {
      writeFileSync(file, `${c.line}\n* * * * * /bin/true\n`);
      const run = spawnSync("crontab", ["-n", file], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
      assert.equal(run.status === 0, c.reads !== undefined, `${JSON.stringify(c.line.slice(0, 40))}: ${run.stdout}${run.stderr}`);
    }
  });
});
