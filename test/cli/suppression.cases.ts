// Inline suppression (issue 17, item 5): `# cronmeta-disable RULE[, RULE] -- reason` in a METADATA
// section or @crontab tag turns non-fatal rules off for that job only, keeps the reason (json,
// sarif), lets an error-free job through, and warns when it turns nothing off.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { control, makeProject, pod, removeProject } from "../helpers/project.js";

interface Out {
  diagnostics: Array<{ file: string; line: number; column: number; rule: string; severity: string; message: string }>;
  suppressed: Array<{ file: string; line: number; rule: string; severity: string; reason?: string }>;
  jobCount: number;
}

interface SuppressionCase {
  name: string;
  text: string;
  file?: string;
  expect: string[];
  suppressed: string[];
  jobs: number;
  code: number;
}

const P = "package: p1";
const CASES: SuppressionCase[] = [
  {
    name: "a warning turned off, with its reason",
    text: pod([P, "time: 0 0 13 * fri", "# cronmeta-disable cron-day-or -- the 13th and every Friday, on purpose"]),
    expect: [],
    suppressed: ["cron-day-or 8:15 warning the 13th and every Friday, on purpose"],
    jobs: 1,
    code: 0,
  },
  {
    name: "an error turned off: the job becomes a job",
    text: pod([P, "time: @daily", "user: postgres", "#cronmeta-disable user-unknown,cron-reboot -- postgres exists on the db hosts"]),
    expect: ["suppression-unused 10:5 warning"],
    suppressed: ["user-unknown 9:11 error postgres exists on the db hosts"],
    jobs: 1,
    code: 0,
  },
  {
    name: "that job only",
    text: pod([P, "time: 0 0 13 * fri", "# cronmeta-disable cron-day-or"], [P, "time: 0 0 1 * mon", "params: --other"]),
    expect: ["cron-day-or 13:15 warning"],
    suppressed: ["cron-day-or 8:15 warning "],
    jobs: 2,
    code: 0,
  },
  {
    name: "a fatal rule cannot be turned off",
    text: pod([P, "time: 61 * * * *", "# cronmeta-disable cron-time-invalid -- please"]),
    expect: ["cron-time-invalid 8:11 error", "suppression-invalid 9:5 error"],
    suppressed: [],
    jobs: 0,
    code: 1,
  },
  { name: "an unknown rule", text: pod([P, "time: @daily", "# cronmeta-disable cron-day-of"]), expect: ["suppression-invalid 9:5 error"], suppressed: [], jobs: 0, code: 1 },
  { name: "a suppression that turns nothing off", text: pod([P, "time: 0 3 * * *", "# cronmeta-disable cron-day-or"]), expect: ["suppression-unused 9:5 warning"], suppressed: [], jobs: 1, code: 0 },
  {
    name: "outside a section",
    text: ["=head1 METADATA", "", "# cronmeta-disable cron-day-or", "<crontab>", `  ${P}`, "  time: 0 0 13 * fri", "</crontab>", "", "=cut", ""].join("\n"),
    expect: ["suppression-unused 3:1 warning", "cron-day-or 6:13 warning"],
    suppressed: [],
    jobs: 1,
    code: 0,
  },
  {
    name: "in a @crontab tag",
    file: "bin/x.js",
    text: ["/**", " * @crontab", ` *   ${P}`, " *   time: 0 0 13 * fri", " *   # cronmeta-disable cron-day-or -- both on purpose", " */", ""].join("\n"),
    expect: [],
    suppressed: ["cron-day-or 4:16 warning both on purpose"],
    jobs: 1,
    code: 0,
  },
  { name: "a comment without a rule", text: pod([P, "time: @daily", "# cronmeta-disable -- why"]), expect: ["metadata-syntax 9:5 error"], suppressed: [], jobs: 0, code: 1 },
];

/** Registers the suppression tests for each of `runners`. */
export function defineSuppressionCases(runners: Runner[]): void {
  const roots: string[] = [];
  before(async () => {
    for (const c of CASES) roots.push(await makeProject({ "debian/control": control("p1"), "debian/p1.install": "bin/* usr/bin\n", [c.file ?? "bin/x.pl"]: c.text }));
  });
  after(async () => {
    for (const root of roots) await removeProject(root);
  });

  for (const [how, run] of runners) {
    describe(`cronmeta-disable comments (${how})`, () => {
      CASES.forEach((c, i) => {
        it(`${c.name}: ${[...c.expect, ...c.suppressed.map((s) => `suppressed ${s.split(" ")[0]}`)].join(", ") || "clean"}, exit ${c.code}`, async () => {
          const r = await run(["lint", "-f", "json"], roots[i] ?? "");
          assert.equal(r.code, c.code, r.stdout + r.stderr);
          const out = JSON.parse(r.stdout) as Out;
          assert.deepEqual(out.diagnostics.map((d) => `${d.rule} ${d.line}:${d.column} ${d.severity}`), c.expect);
          assert.deepEqual(out.suppressed.map((d) => `${d.rule} ${d.line}:${(d as { column?: number }).column} ${d.severity} ${d.reason ?? ""}`), c.suppressed);
          assert.equal(out.jobCount, c.jobs);
        });
      });

      it("SARIF keeps suppressed results, marked in-source with the reason; gen writes the job", async () => {
        const root = roots[1] ?? "";
        const sarif = JSON.parse((await run(["lint", "-f", "sarif"], root)).stdout) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification?: string }> }> }> };
        const suppressed = sarif.runs[0]?.results.filter((res) => res.suppressions !== undefined) ?? [];
        assert.deepEqual(suppressed.map((res) => [res.ruleId, res.suppressions]), [["user-unknown", [{ kind: "inSource", justification: "postgres exists on the db hosts" }]]]);
        const gen = await run(["gen", "--dry-run"], root);
        assert.equal(gen.code, 0, gen.stderr);
        assert.match(gen.stdout, /^@daily postgres \[ -x /m);
      });
    });
  }
}
