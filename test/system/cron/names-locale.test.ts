// Day and month names under the system locale (issue 12). Debian's cron calls
// setlocale(LC_ALL, "") and compares names with strcasecmp(): under a Turkish locale "I" does
// not fold to "i", so "FRI" (the only name with an "i") is a bad day-of-week there and the
// whole cron.d file is ignored. First the problem is shown with Debian's own parser
// (`crontab -n`), then that what gen writes passes under the same locales.
//
// The locales are built in a temporary directory with localedef (Debian package locales) and
// selected with LOCPATH. glibc ignores LOCPATH in set-group-ID programs, and Debian's crontab
// is set-group-ID crontab, so the test runs a copy of the same binary without that bit.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { goldenCases, MODES, produce, readExpected } from "../../generate/goldens.js";
import { fixturesDir } from "../../helpers/paths.js";

const TURKISH = ["tr_TR.UTF-8", "tr_TR.ISO-8859-9"];
const LOCALE_SOURCES = ["/usr/share/i18n/locales/tr_TR", "/usr/share/i18n/charmaps/UTF-8.gz", "/usr/share/i18n/charmaps/ISO-8859-9.gz"];

let work = "";
let crontab = "";

function which(command: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

before(() => {
  const real = which("crontab");
  assert.ok(real, "crontab not found: install the Debian package cron (apt-get install cron)");
  assert.ok(which("localedef"), "localedef not found: install the Debian package libc-bin");
  for (const source of LOCALE_SOURCES) {
    assert.ok(existsSync(source), `${source} is missing: install the Debian package locales (apt-get install locales)`);
  }
  work = mkdtempSync(join(tmpdir(), "cronmeta-locale-"));
  mkdirSync(join(work, "locales"));
  for (const locale of TURKISH) {
    const [name = "", charmap = ""] = locale.split(".");
    const built = spawnSync("localedef", ["-i", name, "-f", charmap, join(work, "locales", locale)], { encoding: "utf8" });
    // localedef exits 1 for mere warnings; the locale is usable when its LC_CTYPE exists.
    assert.ok(existsSync(join(work, "locales", locale, "LC_CTYPE")), `localedef ${locale} failed: ${built.stderr}`);
  }
  crontab = join(work, "crontab");
  copyFileSync(real, crontab);
  chmodSync(crontab, 0o755);
});

after(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

let counter = 0;

/** `crontab -n` on a user crontab under `locale`. */
function check(content: string, locale: string): { ok: boolean; output: string } {
  const file = join(work, `crontab-${counter++}`);
  writeFileSync(file, content);
  const run = spawnSync(crontab, ["-n", file], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LOCPATH: join(work, "locales"), LC_ALL: locale },
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** A cron.d file as a user crontab: job lines lose their user field. */
function asUserCrontab(content: string): string {
  return content
    .split("\n")
    .map((line) => {
      if (!/^[0-9*@]/.test(line)) return line;
      const match = /^(@\S+|\S+ \S+ \S+ \S+ \S+) (\S+) (.*)$/.exec(line);
      assert.ok(match, `not a job line: ${line}`);
      return `${match[1]} ${match[3]}`;
    })
    .join("\n");
}

const NAMES = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)\b/gi;

describe("day and month names under a Turkish locale (crontab -n)", () => {
  it("the problem: FRI and fRI are a bad day-of-week under tr_TR, fri and every other upper-case name are fine", () => {
    for (const locale of TURKISH) {
      for (const text of ["0 0 * * FRI", "0 0 * * fRI", "0 0 * * Mon-FRI"]) {
        const turkish = check(`${text} /bin/true\n`, locale);
        assert.equal(turkish.ok, false, `${locale} accepted ${text}: ${turkish.output}`);
        assert.match(turkish.output, /bad day-of-week/);
        assert.equal(check(`${text} /bin/true\n`, "C").ok, true, `C rejected ${text}`);
      }
      for (const text of ["0 0 * * fri", "0 0 * * Fri", "0 0 * * SUN,MON,TUE,WED,THU,SAT", "0 0 1 JAN,FEB,MAR,APR,MAY,JUN,JUL,AUG,SEP,OCT,NOV,DEC *"]) {
        const turkish = check(`${text} /bin/true\n`, locale);
        assert.equal(turkish.ok, true, `${locale} rejected ${text}: ${turkish.output}`);
      }
    }
  });

  it("gen writes every name in lower case, and the files pass under tr_TR (fixture gen-locale)", async () => {
    const fixture = goldenCases().find((c) => c.name === "gen-locale");
    assert.ok(fixture, "fixture test/fixtures/gen-locale is missing");
    const script = readFileSync(join(fixturesDir, "gen-locale", "bin", "report.sh"), "utf8");
    assert.match(script, /time: .* FRI$/m, "the fixture writes FRI in upper case");
    assert.match(script, /fRI/, "and fRI");
    for (const mode of MODES) {
      const { files, diagnostics } = await produce(fixture, mode);
      assert.equal(diagnostics, "");
      assert.ok(files.size > 0);
      for (const [path, content] of files) {
        if (path.endsWith(".json")) continue; // the monitor manifest beside each cron.d file
        const jobs = content.split("\n").filter((l) => /^[0-9*@]/.test(l));
        assert.ok(jobs.length >= 4, `${path} has its jobs`);
        for (const job of jobs) {
          const time = job.split(" ").slice(0, 5).join(" ");
          for (const name of time.match(NAMES) ?? []) assert.equal(name, name.toLowerCase(), `${path}: ${job}`);
        }
        for (const locale of [...TURKISH, "C"]) {
          const result = check(asUserCrontab(content), locale);
          assert.ok(result.ok, `${path} under ${locale}: ${result.output}`);
        }
      }
    }
  });

  it("every golden file passes under tr_TR", async () => {
    let checked = 0;
    for (const testCase of goldenCases()) {
      for (const mode of MODES) {
        for (const [path, content] of (await readExpected(testCase, mode)).files) {
          if (path.endsWith(".json")) continue; // monitor manifests are not cron files
          for (const locale of TURKISH) {
            const result = check(asUserCrontab(content), locale);
            assert.ok(result.ok, `${testCase.name} ${path} under ${locale}: ${result.output}`);
          }
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 20, `${checked} golden files checked`);
  });
});
