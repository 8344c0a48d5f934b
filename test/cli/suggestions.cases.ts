// Suggestions and configuration (issue 17, items 2 and 3), through the CLI: each wrong time's
// diagnostic (rule, line, column, severity) with the exact times it suggests, every suggested
// time linted again and found valid; params that say what to write instead; env merged over
// the defaults; "$schema"; a misspelt rule name; every configuration problem in one run.
// Shared by the in-process run (unit tier) and the executable run (test/system/cli/).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Runner } from "../helpers/cli.js";
import { control, pod, withProject } from "../helpers/project.js";

interface Diagnostic {
  line: number;
  column: number;
  rule: string;
  severity: string;
  message: string;
}

interface SuggestionCase {
  time: string;
  /** `rule line:column severity` of the first diagnostic. */
  expect: string;
  /** The whole times the message says to write, in order; [] = it suggests none. */
  suggests: string[];
  /** A substring of the message. */
  says?: string;
}

// pod(): `time:` is line 8, its value starts at column 11.
export const SUGGESTION_CASES: SuggestionCase[] = [
  { time: "0 3 * * *   # nightly", expect: "cron-time-invalid 8:23 error", suggests: ["0 3 * * *"], says: "cron has no trailing comments" },
  { time: "@daily # nightly", expect: "cron-time-invalid 8:18 error", suggests: ["@daily"], says: "put the comment on a line of its own" },
  { time: "every 5 minutes", expect: "cron-time-invalid 8:11 error", suggests: ["*/5 * * * *"], says: "is English, not a cron time" },
  { time: "every 2 hours", expect: "cron-time-invalid 8:11 error", suggests: ["0 */2 * * *"] },
  { time: "daily", expect: "cron-time-invalid 8:11 error", suggests: ["@daily"] },
  { time: "every 7 minutes", expect: "cron-time-invalid 8:11 error", suggests: [], says: "no cron time runs exactly every 7" },
  { time: "*/5 * * * * *", expect: "cron-time-invalid 8:11 error", suggests: ["*/5 * * * *"], says: "the last \"*\" is one field too many" },
  { time: "0 */5 * * * *", expect: "cron-time-invalid 8:11 error", suggests: ["*/5 * * * *", "0 */5 * * *"] },
  { time: "0 0 3 * * mon", expect: "cron-time-invalid 8:11 error", suggests: ["0 3 * * mon"], says: "seconds field (as in Quartz or Spring)" },
  { time: "0 3 * *", expect: "cron-time-invalid 8:11 error", suggests: ["0 3 * * *"] },
  { time: "every 5 min * *", expect: "cron-time-invalid 8:11 error", suggests: [] },
  { time: "0 0 1 1 * 2030", expect: "cron-time-invalid 8:21 error", suggests: ["0 0 1 1 *"] },
  { time: "@every 5m", expect: "cron-time-invalid 8:11 error", suggests: ["*/5 * * * *"] },
];

/** The whole cron times a message tells the user to write. */
export function suggestedTimes(message: string): string[] {
  return [...message.matchAll(/(?:\bwrite |, or |e\.g\. )"([^"]+)"/g)].map((m) => m[1] ?? "").filter((t) => /^(@[a-z]+|\S+( \S+){4})$/.test(t));
}

/** Registers the tests for each of `runners`. */
export function defineSuggestionCases(runners: Runner[]): void {
  const P = "package: p1";
  const files = (time: string, config?: object) => ({
    "debian/control": control("p1"),
    "debian/p1.install": "bin/* usr/bin\n",
    "bin/x.pl": pod([P, `time: ${time}`]),
    ...(config === undefined ? {} : { "cronmeta.config.json": JSON.stringify(config) }),
  });

  for (const [how, run] of runners) {
    const lint = async (time: string): Promise<Diagnostic[]> =>
      withProject(files(time), async (root) => (JSON.parse((await run(["lint", "-f", "json"], root)).stdout) as { diagnostics: Diagnostic[] }).diagnostics);

    describe(`suggestions (${how})`, () => {
      for (const c of SUGGESTION_CASES) {
        it(`${JSON.stringify(c.time)}: ${c.expect}, suggests ${c.suggests.map((s) => JSON.stringify(s)).join(" or ") || "nothing"}`, async () => {
          const [first] = await lint(c.time);
          assert.ok(first !== undefined);
          assert.equal(`${first.rule} ${first.line}:${first.column} ${first.severity}`, c.expect, first.message);
          assert.deepEqual(suggestedTimes(first.message), c.suggests, first.message);
          if (c.says !== undefined) assert.ok(first.message.includes(c.says), first.message);
          // Every suggested time is valid: linted again, it has no error.
          for (const time of c.suggests) assert.deepEqual((await lint(time)).filter((d) => d.severity === "error"), [], time);
        });
      }

      it("params with $( say what to write instead", async () => {
        await withProject({ ...files("0 3 * * *"), "bin/x.pl": pod([P, "time: 0 3 * * *", "params: --out $(date)"]) }, async (root) => {
          const out = JSON.parse((await run(["lint", "-f", "json"], root)).stdout) as { diagnostics: Diagnostic[] };
          assert.deepEqual(out.diagnostics.map((d) => `${d.rule} ${d.line}:${d.column}`), ["params-unsafe 9:19"]);
          assert.match(out.diagnostics[0]?.message ?? "", /"\$\(" substitutes a command, on every run: compute the value inside the script \(e\.g\. have it call date itself\), or schedule a wrapper script that passes it/);
        });
      });
    });

    describe(`configuration that does not surprise (${how})`, () => {
      it("env keys merge over the defaults; null drops one", async () => {
        await withProject(files("0 3 * * *", { env: { MAILTO: "ops@example.org" } }), async (root) => {
          const r = await run(["gen", "--dry-run"], root);
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, /^SHELL=\/bin\/sh\nPATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin\nMAILTO=ops@example\.org$/m);
        });
        await withProject(files("0 3 * * *", { env: { PATH: null } }), async (root) => {
          const r = await run(["gen", "--dry-run"], root);
          assert.match(r.stdout, /^SHELL=\/bin\/sh$/m);
          assert.doesNotMatch(r.stdout, /^PATH=/m);
        });
      });

      it('accepts "$schema"', async () => {
        await withProject(files("0 3 * * *", { $schema: "./node_modules/cronmeta/schema/cronmeta.config.schema.json" }), async (root) => {
          const r = await run(["lint"], root);
          assert.equal(r.code, 0, r.stderr);
        });
      });

      it("a misspelt rule name is exit 2 with a did-you-mean", async () => {
        await withProject(files("0 3 * * *", { rules: { "cron-time-nevr": "off" } }), async (root) => {
          const r = await run(["lint"], root);
          assert.equal(r.code, 2);
          assert.equal(r.stderr, 'cronmeta: cronmeta.config.json: rules.cron-time-nevr: unknown rule (did you mean "cron-time-never"?) (see docs/rules.md)\n');
        });
      });

      it("reports every configuration problem in one run", async () => {
        const config = { colour: "red", rules: { "cron-day-of": "off", "cron-time-invalid": "warning" }, user: "backup", packages: ["p1", "nope"] };
        await withProject(files("0 3 * * *", config), async (root) => {
          const r = await run(["lint"], root);
          assert.equal(r.code, 2);
          assert.deepEqual(r.stderr.trimEnd().split("\n").sort(), [
            "cronmeta: cronmeta.config.json: unknown key colour",
            'cronmeta.config.json: packages: "nope" not a Package: in debian/control',
            'cronmeta.config.json: rules.cron-day-of: unknown rule (did you mean "cron-day-or"?) (see docs/rules.md)',
            'cronmeta.config.json: rules.cron-time-invalid: cannot be "warning": gen cannot write a correct cron line while this problem exists',
            'cronmeta.config.json: user: "backup" is not listed in users (root)',
          ].sort());
        });
      });
    });
  }
}
