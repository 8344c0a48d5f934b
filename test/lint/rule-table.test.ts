// Rule tables: for every rule, valid cases (the rule stays silent) and invalid cases
// (exactly the expected diagnostics of that rule, with line and column).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintProject } from "../../src/project.js";
import { RULES } from "../../src/lint/rules/index.js";
import type { OutputMode } from "../../src/types.js";
import { control, pod, withProject } from "../helpers/project.js";

interface Case {
  name: string;
  /** Files on top of the base project (debian/control with scripts1..3, an install file). */
  files: Record<string, string>;
  /** Expected `line:column` of this rule's diagnostics, in order; [] = valid. */
  expect: string[];
  mode?: OutputMode;
}

const base: Record<string, string> = {
  "debian/control": control("my-project", "my-project-scripts1", "my-project-scripts2", "dots.pkg"),
  "debian/my-project.install": "bin/* usr/share/my-project/bin\n",
};

/** The base control with `Depends: VALUE` (and more fields) in my-project-scripts1's paragraph. */
const withDepends = (value: string | undefined, ...more: string[]): string =>
  (base["debian/control"] as string).replace(
    "Package: my-project-scripts1\nArchitecture: all\nDepends: ${cronmeta:Depends}\n",
    `Package: my-project-scripts1\n${value === undefined ? "" : `Depends: ${value}\n`}${more.map((m) => `${m}\n`).join("")}Architecture: all\n`,
  );

// In pod(): line 6 is `<crontab>`, entries start on line 7 at column 5; values at 5 + key.length + 2.
const P = "package: my-project-scripts1";
const T = "time: 0 3 * * *";
const one = (...entries: string[]) => ({ "bin/job.pl": pod(entries) });

const table: Record<string, Case[]> = {
  "metadata-syntax": [
    { name: "valid section", files: one(P, T), expect: [] },
    { name: "line without colon", files: one(P, "time 0 3 * * *"), expect: ["8:5"] },
    {
      name: "unclosed section",
      files: { "bin/job.pl": "=head1 METADATA\n\n<crontab>\n    time: 0 3 * * *\n\n=cut\n" },
      expect: ["3:1"],
    },
  ],
  "metadata-unknown-key": [
    { name: "known keys", files: one(P, T, "params: -v", "user: root", "group: g", "lockname: l", "lock: yes", "description: d"), expect: [] },
    { name: "typo", files: one(P, "tme: 0 3 * * *", T), expect: ["8:5"] },
  ],
  "metadata-duplicate-key": [
    { name: "distinct keys", files: one(P, T), expect: [] },
    { name: "time twice", files: one(P, T, "time: 0 4 * * *"), expect: ["9:5"] },
  ],
  "metadata-missing-key": [
    { name: "complete", files: one(P, T), expect: [] },
    { name: "no time", files: one(P), expect: ["6:1"] },
    { name: "no package", files: one(T), expect: ["6:1"] },
    {
      name: "package from defaultPackage",
      files: { ...one(T), "cronmeta.config.json": JSON.stringify({ defaultPackage: "my-project-scripts2" }) },
      expect: [],
    },
  ],
  "metadata-empty": [
    { name: "values present", files: one(P, T), expect: [] },
    { name: "empty value", files: one(P, T, "params:"), expect: ["9:12"] },
    { name: "empty section", files: { "bin/job.pl": "=head1 METADATA\n\n<crontab>\n</crontab>\n\n=cut\n" }, expect: ["3:1"] },
  ],
  "metadata-value-invalid": [
    { name: "lock no", files: one(P, T, "lock: no"), expect: [] },
    { name: "lock false", files: one(P, T, "lock: false"), expect: ["9:11"] },
    { name: "lockname with lock no", files: one(P, T, "lock: no", "lockname: x"), expect: ["10:15"] },
    { name: "control character in description", files: one(P, T, "description: a\u0007b"), expect: ["9:19"] },
    { name: "concurrency and wait", files: one(P, T, "concurrency: replace", "wait: 10m"), expect: [] },
    { name: "concurrency skip", files: one(P, T, "concurrency: skip"), expect: ["9:18"] },
    { name: "wait in words", files: one(P, T, "wait: 10 minutes"), expect: ["9:11"] },
    { name: "lockname with concurrency allow", files: one(P, T, "concurrency: allow", "lockname: x"), expect: ["10:15"] },
  ],
  "lease-invalid": [
    { name: "two leases", files: one(P, T, "lease: db=1:4, FQDN_cpu=1:CPU"), expect: [] },
    { name: "host-dependent values are switchman's", files: one(P, T, "lease: FQDN_cpu=1:CPU-8"), expect: [] },
    { name: "COUNT above TOTAL", files: one(P, T, "lease: db=5:4"), expect: ["9:15"] },
    { name: "unknown name", files: one(P, T, "lease: db=1:x"), expect: ["9:17"] },
    { name: "the second of two", files: one(P, T, "lease: db=1:4, x=1:int(MEMMB/1024)"), expect: ["9:24"] },
    { name: "a resource twice", files: one(P, T, "lease: db=1:4, db=2:4"), expect: ["9:20"] },
    { name: "a trailing comma", files: one(P, T, "lease: db=1:4,"), expect: ["9:18"] },
  ],
  "lease-total-mismatch": [
    {
      name: "same TOTAL",
      files: { "bin/a.pl": pod([P, T, "lease: db=1:4, FQDN_cpu=1:CPU"]), "bin/b.pl": pod([P, "time: 0 4 * * *", "lease: db=2:2*2, FQDN_cpu=2:CPU"]) },
      expect: [],
    },
    {
      name: "different TOTALs",
      files: { "bin/a.pl": pod([P, T, "lease: db=1:4, FQDN_cpu=1:CPU"]), "bin/b.pl": pod([P, "time: 0 4 * * *", "lease: FQDN_cpu=1:CPU/2, db=2:8"]) },
      expect: ["9:12", "9:30"],
    },
  ],
  "concurrency-conflict": [
    { name: "lock no, allow and a lease to wait for", files: one(P, T, "lock: no", "lease: db=1:2", "wait: 10m"), expect: [] },
    { name: "lock no with replace", files: one(P, T, "lock: no", "concurrency: replace"), expect: ["10:18"] },
    { name: "lock yes with allow", files: one(P, T, "lock: yes", "concurrency: allow"), expect: ["10:18"] },
    { name: "wait with nothing to wait for", files: one(P, T, "concurrency: allow", "wait: 10m"), expect: ["10:11"] },
    {
      name: "switchman false",
      files: { ...one(P, T, "lease: db=1:2", "concurrency: forbid"), "cronmeta.config.json": JSON.stringify({ switchman: false }) },
      expect: ["9:12", "10:18"],
    },
  ],
  "jsdoc-comment-closed": [
    {
      name: "escaped step",
      files: { "bin/job.js": `/**\n * @crontab\n *   ${P}\n *   time: *\\/10 * * * *\n */\nconsole.log(1);\n` },
      expect: [],
    },
    {
      name: "*/ closes the comment",
      files: { "bin/job.js": `/**\n * @crontab\n *   ${P}\n *   time: */10 * * * *\n */\nconsole.log(1);\n` },
      expect: ["4:*"],
    },
  ],
  "scan-binary-skipped": [
    { name: "no NUL byte", files: one(P, T), expect: [] },
    { name: "a NUL byte after the first 8 KiB (not binary)", files: { "bin/job.pl": `${pod([P, T])}${" ".repeat(9000)}\u0000` }, expect: [] },
    { name: "a NUL byte in the METADATA block", files: one(P, `${T}\u0000`), expect: ["8:20"] },
    {
      name: "a NUL byte in a @crontab comment",
      files: { "bin/job.js": `/**\n * @crontab\n *   ${P}\n *   time: @daily\u0000\n */\n` },
      expect: ["4:18"],
    },
  ],
  "cron-time-invalid": [
    { name: "valid", files: one(P, "time: */5 1-5 * jan-mar mon-fri"), expect: [] },
    { name: "bad minute", files: one(P, "time: 60 3 * * *"), expect: ["8:11"] },
    { name: "bad weekday field", files: one(P, "time: 0 3 * * MON#2"), expect: ["8:22"] },
    { name: "six fields", files: one(P, "time: 0 0 3 * * *"), expect: ["8:*"] },
    { name: "names in any case (written in lower case by gen)", files: one(P, "time: 0 3 * JAN-Mar FRI"), expect: [] },
    { name: "step larger than the minute range", files: one(P, "time: */60 * * * *"), expect: ["8:13"] },
    { name: "step whose int counter wraps in cron", files: one(P, "time: 0 0 */2147483647 * *"), expect: ["8:17"] },
  ],
  "cron-time-never": [
    { name: "feb 29", files: one(P, "time: 0 0 29 2 *"), expect: [] },
    { name: "feb 30", files: one(P, "time: 0 0 30 2 *"), expect: ["8:*"] },
  ],
  "cron-time-once": [
    { name: "every 30 min", files: one(P, "time: */30 * * * *"), expect: [] },
    { name: "*/7 on weekdays (0 and 7 are both Sunday)", files: one(P, "time: 0 0 * * */7"), expect: ["8:19"] },
    { name: "10-20/15", files: one(P, "time: 10-20/15 * * * *"), expect: ["8:11"] },
    { name: "*/60 is an error instead", files: one(P, "time: */60 * * * *"), expect: [] },
  ],
  "cron-day-or": [
    { name: "*/2 day with weekday", files: one(P, "time: 0 0 */2 * sun"), expect: [] },
    { name: "both restricted", files: one(P, "time: 0 0 13 * fri"), expect: ["8:*"] },
  ],
  "cron-reboot": [
    { name: "@daily", files: one(P, "time: @daily"), expect: [] },
    { name: "@reboot", files: one(P, "time: @reboot"), expect: ["8:11"] },
  ],
  "cron-hash-dst": [
    { name: "H hour avoids 02:00 in Berlin", files: { ...one(P, "time: H H * * *"), "cronmeta.config.json": '{ "timezone": "Europe/Berlin" }' }, expect: [] },
    { name: "H(2-2) in Berlin", files: { ...one(P, "time: H H(2-2) * * *"), "cronmeta.config.json": '{ "timezone": "Europe/Berlin" }' }, expect: ["8:13"] },
    { name: "no timezone, no DST hours", files: one(P, "time: H H(2-2) * * *"), expect: [] },
  ],
  "cron-stampede": [
    { name: "5 jobs at :00 (threshold 5)", files: { "bin/job.pl": pod(...[1, 2, 3, 4, 5].map((i) => [P, "time: 0 * * * *", `params: --n ${i}`])) }, expect: [] },
    {
      name: "6 jobs at :00",
      files: { "bin/job.pl": pod(...[1, 2, 3, 4, 5, 6].map((i) => [P, "time: 0 * * * *", `params: --n ${i}`])) },
      expect: ["8:11", "13:11", "18:11", "23:11", "28:11", "33:11"],
    },
    {
      name: "threshold from config",
      files: { "bin/job.pl": pod(...[1, 2, 3].map((i) => [P, "time: 30 2 * * *", `params: --n ${i}`])), "cronmeta.config.json": '{ "stampedeThreshold": 2 }' },
      expect: ["8:11", "13:11", "18:11"],
    },
  ],
  "package-unknown": [
    { name: "known", files: one(P, T), expect: [] },
    { name: "typo", files: one("package: my-project-script1", T), expect: ["7:14"] },
    {
      name: "unknown defaultPackage",
      files: { ...one(T), "cronmeta.config.json": JSON.stringify({ defaultPackage: "other-pkg" }) },
      expect: ["6:1"],
    },
  ],
  "package-name-invalid": [
    { name: "valid", files: one(P, T), expect: [] },
    { name: "upper case", files: one("package: My_Scripts", T), expect: ["7:14"] },
  ],
  "cron-file-name": [
    { name: "dashes", files: one(P, T), expect: [] },
    { name: "dot in source mode", files: one("package: dots.pkg", T), expect: ["7:14"] },
    { name: "dot in tree mode", files: one("package: dots.pkg", T), expect: [], mode: "tree" },
    {
      name: "collision in tree mode",
      files: {
        "debian/control": control("a.b", "a-b"),
        "bin/one.pl": pod(["package: a.b", T]),
        "bin/two.pl": pod(["package: a-b", T]),
      },
      expect: ["7:14", "7:14"],
      mode: "tree",
    },
  ],
  "user-invalid": [
    { name: "root", files: one(P, T, "user: root"), expect: [] },
    { name: "blank inside", files: one(P, T, "user: Backup Operator"), expect: ["9:11"] },
  ],
  "user-unknown": [
    {
      name: "listed",
      files: { ...one(P, T, "user: backup"), "cronmeta.config.json": JSON.stringify({ users: ["root", "backup"] }) },
      expect: [],
    },
    { name: "not listed", files: one(P, T, "user: backup"), expect: ["9:11"] },
  ],
  "group-invalid": [
    { name: "dashes", files: one(P, T, "group: batch-hosts"), expect: [] },
    { name: "blank", files: one(P, T, "group: batch hosts"), expect: ["9:12"] },
  ],
  "params-unsafe": [
    { name: "plain words", files: one(P, T, "params: --mod 2 --rem 0 --fmt %Y"), expect: [] },
    { name: "redirect", files: one(P, T, "params: --full > /tmp/log"), expect: ["9:20"] },
  ],
  "script-path-invalid": [
    { name: "plain name", files: one(P, T), expect: [] },
    { name: "blank in file name", files: { "bin/nightly report.pl": pod([P, T]) }, expect: ["6:1"] },
  ],
  "line-too-long": [
    { name: "short", files: one(P, T), expect: [] },
    { name: "long params", files: one(P, T, `params: --x ${"a".repeat(900)}`), expect: ["6:1"] },
    { name: "% escaping counts", files: one(P, T, `params: ${"%".repeat(420)}`, "lockname: l"), expect: ["6:1"] },
  ],
  "lockname-invalid": [
    { name: "explicit valid", files: one(P, T, "lockname: nightly-report"), expect: [] },
    { name: "slash", files: one(P, T, "lockname: nightly/report"), expect: ["9:15"] },
    { name: "default from file name", files: { "bin/réport.pl": pod([P, T]) }, expect: ["6:1"] },
  ],
  "lockname-collision": [
    {
      name: "different params",
      files: { "bin/job.pl": pod([P, T, "params: --mod 2 --rem 0"], [P, T, "params: --mod 2 --rem 1"]) },
      expect: [],
    },
    { name: "same file name in two dirs", files: { "bin/a/cleanup.sh": pod([P, T]), "bin/b/cleanup.sh": pod([P, T]) }, expect: ["6:1"] },
    {
      name: "explicit shared lock",
      files: { "bin/a/x.sh": pod([P, T, "lockname: shared"]), "bin/b/y.sh": pod([P, "time: 0 4 * * *", "lockname: shared"]) },
      expect: [],
    },
    { name: "two times, same params", files: { "bin/job.pl": pod([P, T], [P, "time: 0 4 * * *"]) }, expect: ["10:1"] },
  ],
  "job-duplicate": [
    { name: "different times", files: { "bin/job.pl": pod([P, T], [P, "time: 0 4 * * *", "lockname: other"]) }, expect: [] },
    { name: "same job twice", files: { "bin/job.pl": pod([P, T], [P, "time:   0 3 * * *"]) }, expect: ["10:1"] },
  ],
  "script-not-installed": [
    { name: "installed", files: one(P, T), expect: [] },
    { name: "outside install globs", files: { "tools/job.pl": pod([P, T]) }, expect: ["6:1"] },
  ],
  "install-line-unsupported": [
    { name: "plain lines", files: one(P, T), expect: [] },
    { name: "no destination", files: { ...one(P, T), "debian/my-project-scripts1.install": "bin/job.pl\n" }, expect: ["1:1"] },
  ],
  "switchman-dependency-missing": [
    { name: "${cronmeta:Depends} in Depends", files: { ...one(P, T), "debian/control": withDepends("${misc:Depends},\n ${cronmeta:Depends}") }, expect: [] },
    { name: "switchman itself, versioned, as an alternative", files: { ...one(P, T), "debian/control": withDepends("foo | switchman (>= 0.1)") }, expect: [] },
    { name: "in Pre-Depends", files: { ...one(P, T), "debian/control": withDepends("${misc:Depends}", "Pre-Depends: ${cronmeta:Depends}") }, expect: [] },
    { name: "switchman: false", files: { ...one(P, T), "cronmeta.config.json": JSON.stringify({ switchman: false }) }, expect: [] },
    { name: "no Depends at all", files: { ...one(P, T), "debian/control": withDepends(undefined) }, expect: ["10:1"] },
    { name: "Depends without it", files: { ...one(P, T), "debian/control": withDepends("${misc:Depends},\n   cronmeta") }, expect: ["11:10"] },
  ],
  "suppression-unused": [
    { name: "it turns a warning off", files: one(P, "time: 0 0 13 * fri", "# cronmeta-disable cron-day-or -- on purpose"), expect: [] },
    { name: "nothing to turn off", files: one(P, T, "# cronmeta-disable cron-day-or -- on purpose"), expect: ["9:5"] },
  ],
  "suppression-invalid": [
    { name: "a non-fatal rule", files: one(P, "time: 0 0 13 * fri", "# cronmeta-disable cron-day-or"), expect: [] },
    { name: "a fatal rule", files: one(P, T, "user: x y", "# cronmeta-disable user-invalid"), expect: ["10:5"] },
    { name: "no such rule", files: one(P, T, "# cronmeta-disable cron-day-of"), expect: ["9:5"] },
  ],
};

describe("rule tables", () => {
  it("cover every rule but output-not-generated (checked by gen's tests)", () => {
    const ids = RULES.map((r) => r.meta.id).filter((id) => id !== "output-not-generated");
    assert.deepEqual(Object.keys(table).sort(), ids.sort());
  });
  for (const [rule, cases] of Object.entries(table)) {
    describe(rule, () => {
      for (const c of cases) {
        it(`${c.expect.length === 0 ? "valid" : "invalid"}: ${c.name}`, async () => {
          await withProject({ ...base, ...c.files }, async (root) => {
            const result = await lintProject({ root, mode: c.mode ?? "source" });
            const got = result.diagnostics.filter((d) => d.rule === rule);
            assert.equal(got.length, c.expect.length, `diagnostics of ${rule}:\n${JSON.stringify(result.diagnostics, null, 1)}`);
            got.forEach((d, i) => {
              const [line, column] = c.expect[i]!.split(":");
              assert.equal(d.line, Number(line), `line of ${JSON.stringify(d)}`);
              if (column !== "*") assert.equal(d.column, Number(column), `column of ${JSON.stringify(d)}`);
              assert.ok(d.message.length > 10);
            });
          });
        });
      }
    });
  }
});
