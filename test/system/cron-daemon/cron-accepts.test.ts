// The files `cronmeta gen` writes must be accepted as-is by Debian's cron daemon (3.0pl1):
// the real daemon reads them (in a private mount namespace, see support.ts), logs no error,
// and runs their jobs: `%` and `\` arrive unharmed, the guard works, a 998-character command
// runs, a package name with a dot runs under its mapped file name. Broken files written the
// way cronmeta refuses to write them are rejected or ignored by the same daemon, which is
// what makes the positive result mean something.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { builtBin, cronmetaBin, testOutputDir } from "../../helpers/paths.js";
import { type CronRun, requireCronTools, startCron, waitFor } from "./support.js";

const PARAMS = `every-minute --name stats-%Y-%m.csv 'two words' 'back\\slash' "100%"`;
const EXPECTED_ARGS = ["--name", "stats-%Y-%m.csv", "two words", "back\\slash", "100%"];

function gen(root: string, out: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [cronmetaBin, "gen", "--root", root, "--mode", "dir", "--out", out], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** A small project: one probe script that records its arguments, jobs for two packages. */
function writeProject(root: string, outDir: string, longPad: string): void {
  mkdirSync(join(root, "debian"), { recursive: true });
  mkdirSync(join(root, "bin"), { recursive: true });
  writeFileSync(
    join(root, "debian", "control"),
    "Source: probe\n\nPackage: cron-probe\nArchitecture: all\n\nPackage: probe.dotted\nArchitecture: all\n",
  );
  writeFileSync(
    join(root, "cronmeta.config.json"),
    JSON.stringify({
      switchman: false,
      manifest: false, // this test is about what cron reads: the cron.d files alone
      installDir: join(root, "bin"),
      env: { SHELL: "/bin/sh", PATH: "/usr/bin:/bin", MAILTO: "" },
      rules: { "script-not-installed": "off", "cron-reboot": "off" },
    }),
  );
  writeFileSync(
    join(root, "bin", "probe.sh"),
    [
      "#!/bin/sh",
      "# Records its arguments, one per line, in a file named after the first one.",
      "name=\"$1\"; shift",
      `printf '%s\\n' "$@" > '${outDir}/'"$name"`,
      "",
      ": <<'=cut'",
      "=head1 METADATA",
      "",
      "<crontab>",
      "    package: cron-probe",
      "    time: * * * * *",
      `    params: ${PARAMS}`,
      "    description: Escaping of % and \\ survives cron and the shell",
      "</crontab>",
      "<crontab>",
      "    package: cron-probe",
      "    time: @reboot",
      "    params: at-reboot",
      "</crontab>",
      "<crontab>",
      "    package: cron-probe",
      "    time: */1 * * * *",
      `    params: long ${longPad}`,
      "</crontab>",
      "<crontab>",
      "    package: probe.dotted",
      "    time: * * * * *",
      "    params: dotted-package",
      "</crontab>",
      "",
      "=cut",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
}

/** A second script whose package was "removed but not purged": its file is gone, its job stays. */
function writeGoneScript(root: string): string {
  const path = join(root, "bin", "gone.sh");
  writeFileSync(
    path,
    "#!/bin/sh\n: <<'=cut'\n=head1 METADATA\n\n<crontab>\n    package: cron-probe\n    time: * * * * *\n</crontab>\n\n=cut\necho ran\n",
    { mode: 0o755 },
  );
  return path;
}

/** Length of the command part of the job line that runs `probe.sh long …`. */
function longCommandLength(cronFile: string): number {
  const line = readFileSync(cronFile, "utf8")
    .split("\n")
    .find((l) => l.includes("probe.sh long "));
  assert.ok(line, "the long job is missing");
  return line.length - "*/1 * * * * root ".length;
}

describe("Debian's cron daemon accepts what cronmeta generates", { timeout: 5 * 60_000 }, () => {
  let work = "";
  let cronDir = "";
  let outDir = "";
  let cron: CronRun | undefined;
  let longPad = "";

  before(async () => {
    requireCronTools();
    builtBin(cronmetaBin);
    work = mkdtempSync(join(tmpdir(), "cronmeta-crond-"));
    const root = join(work, "project");
    cronDir = join(work, "cron.d");
    outDir = join(work, "out");
    mkdirSync(outDir);

    // Pad the long job until its command is exactly cron's limit, 998 characters.
    const scratch = join(work, "scratch");
    writeProject(root, outDir, "x");
    assert.equal(gen(root, scratch).status, 0);
    longPad = "x".repeat(1 + 998 - longCommandLength(join(scratch, "cron-probe")));
    writeProject(root, outDir, longPad);
    const gone = writeGoneScript(root);
    const result = gen(root, cronDir);
    assert.equal(result.status, 0, result.output);
    rmSync(gone);
    assert.equal(longCommandLength(join(cronDir, "cron-probe")), 998);

    // Files cronmeta would never write, next to its own: cron must reject or ignore them.
    const probe = join(root, "bin", "probe.sh");
    writeFileSync(join(cronDir, "broken-step"), `SHELL=/bin/sh\n*/0 * * * * root ${probe} broken-step\n`, { mode: 0o644 });
    writeFileSync(join(cronDir, "probe.dotted"), `* * * * * root ${probe} unmapped-dotted\n`, { mode: 0o644 });
    writeFileSync(join(cronDir, "too-long"), `* * * * * root ${probe} too-long ${"y".repeat(999 - probe.length - 10)}\n`, { mode: 0o644 });

    cron = await startCron(join(work, "ns"), cronDir);
    // Jobs run at the next minute boundary: wait for two at most.
    await waitFor(
      () => {
        // A namespace that cannot be set up (no CAP_SYS_ADMIN) ends unshare at once: say why.
        if (cron?.exited() === true) throw new Error(`cron stopped early (unshare/mount failed?):\n${cron.stderr()}\n${cron.log.join("\n")}`);
        return ["every-minute", "long", "dotted-package", "at-reboot"].every((f) => existsSync(join(outDir, f)));
      },
      150_000,
      () => `jobs ran: ${readdirSync(outDir).join(", ") || "none"}\ncron log:\n${cron?.log.join("\n")}\n${cron?.stderr()}`,
    );
    // Give the same-minute jobs of the broken files time to (not) run.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });

  after(async () => {
    await cron?.stop();
    if (cron !== undefined) {
      mkdirSync(join(testOutputDir, "cron-daemon"), { recursive: true });
      writeFileSync(join(testOutputDir, "cron-daemon", "cron.log"), `${cron.log.join("\n")}\n`);
    }
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("writes mode 0644 files named after the packages, with a dotted name mapped", () => {
    assert.deepEqual(
      readdirSync(cronDir)
        .filter((f) => f.startsWith("cron-probe") || f.startsWith("probe-"))
        .sort(),
      ["cron-probe", "probe-dotted"],
    );
    for (const f of ["cron-probe", "probe-dotted"]) assert.equal(statSync(join(cronDir, f)).mode & 0o7777, 0o644);
    const content = readFileSync(join(cronDir, "cron-probe"), "utf8");
    assert.match(content, /^MAILTO=""$/m);
    assert.match(content, /stats-\\%Y-\\%m\.csv 'two words' 'back\\\\slash' "100\\%"$/m);
  });

  it("cron logs no error for the generated files", () => {
    const generated = ["cron-probe", "probe-dotted"];
    const complaints = (cron?.log ?? []).filter(
      (l) => generated.some((f) => l.includes(`/etc/cron.d/${f}`) || l.includes(`*system*${f})`)) || /ORPHAN|WRONG|BAD FILE|INSECURE/.test(l),
    );
    assert.deepEqual(complaints, []);
  });

  it("runs the every-minute job with % and \\ arriving unharmed", () => {
    assert.deepEqual(readFileSync(join(outDir, "every-minute"), "utf8").split("\n").slice(0, -1), EXPECTED_ARGS);
  });

  it("the guard keeps the job of a removed script quiet (no output, so no mail)", () => {
    const log = cron?.log ?? [];
    assert.match(readFileSync(join(cronDir, "cron-probe"), "utf8"), /^\* \* \* \* \* root \[ -x \S+\/gone\.sh \] && \S+\/gone\.sh$/m);
    assert.ok(log.some((l) => /CMD \(.*gone\.sh/.test(l)), `the job did not run:\n${log.join("\n")}`);
    // Output of a job is mailed; with no MTA cron logs that it discards it. The guard printed nothing.
    assert.deepEqual(log.filter((l) => /discarding output/i.test(l)), []);
  });

  it("runs the @reboot job when it starts", () => {
    assert.ok(existsSync(join(outDir, "at-reboot")));
  });

  it("runs a job whose command is exactly 998 characters long", () => {
    assert.deepEqual(readFileSync(join(outDir, "long"), "utf8"), `${longPad}\n`);
  });

  it("runs the job of a dotted package from its mapped file name", () => {
    assert.ok(existsSync(join(outDir, "dotted-package")));
  });

  it("rejects the file with step 0 and the one with a 999-character command, and ignores the dotted name", () => {
    const log = cron?.log ?? [];
    assert.ok(log.some((l) => /bad minute; while reading \/etc\/cron\.d\/broken-step/.test(l)), log.join("\n"));
    assert.ok(log.some((l) => /command too long; while reading \/etc\/cron\.d\/too-long/.test(l)), log.join("\n"));
    assert.equal(existsSync(join(outDir, "broken-step")), false);
    assert.equal(existsSync(join(outDir, "too-long")), false);
    // cron(8): files in /etc/cron.d whose names hold a dot are silently skipped.
    assert.equal(existsSync(join(outDir, "unmapped-dotted")), false);
  });

  it("cronmeta refuses the 999-character command that cron would reject", () => {
    const root = join(work, "project-999");
    writeProject(root, outDir, "x");
    assert.equal(gen(root, join(work, "scratch-999")).status, 0);
    writeProject(root, outDir, "x".repeat(1 + 999 - longCommandLength(join(work, "scratch-999", "cron-probe"))));
    const result = gen(root, join(work, "cron.d-999"));
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /line-too-long/);
    assert.match(result.output, /\b999\b/);
    assert.equal(existsSync(join(work, "cron.d-999")), false);
  });
});
