// The alert rules docs/monitor.md gives to paste, and the monitor's Prometheus output, through
// Debian's promtool (package prometheus): `check rules` accepts the very block of the doc, `test
// rules` shows the cron-stopped and job alerts firing on the monitor's own series, and `check
// metrics` has nothing to say about what `cronmeta monitor -f prometheus` prints.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatPrometheus, type MonitorReport } from "../../../src/monitor/report.js";
import { repoRoot } from "../../helpers/paths.js";

const PROMTOOL = "/usr/bin/promtool";

function promtool(args: string[], input?: string): { code: number | null; out: string } {
  const r = spawnSync(PROMTOOL, args, { encoding: "utf8", input, timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The ```yaml block under "### Prometheus" in docs/monitor.md. */
function docRules(): string {
  const doc = readFileSync(join(repoRoot, "docs/monitor.md"), "utf8");
  const section = doc.slice(doc.indexOf("### Prometheus"));
  const match = /```yaml\n([^]*?)```/.exec(section);
  assert.ok(match?.[1], "docs/monitor.md has a yaml block under ### Prometheus");
  return match[1];
}

describe("alert rules and Prometheus output through promtool", () => {
  let dir = "";
  before(() => {
    if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: install Debian package prometheus (apt-get install prometheus)`);
    dir = mkdtempSync(join(tmpdir(), "cronmeta-promtool-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("promtool check rules accepts the doc's rules", () => {
    writeFileSync(join(dir, "cronmeta.rules.yml"), docRules());
    const r = promtool(["check", "rules", join(dir, "cronmeta.rules.yml")]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /SUCCESS: 6 rules found/);
  });

  it("promtool test rules: a host whose cron stopped and a critical job fire their alerts; a healthy fleet fires nothing", () => {
    writeFileSync(join(dir, "cronmeta.rules.yml"), docRules());
    const test = `rule_files: [cronmeta.rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'cronmeta_monitor_canary_problem{host="h3.example.org",package="",class="cron stopped",severity="critical"}'
        values: '_ _ 1 1 1 1 1'
      - series: 'cronmeta_monitor_job_status{package="p",lockname="nightly",group="g",class="missed",severity="critical"}'
        values: '1x10'
      - series: 'cronmeta_monitor_job_status{package="p",lockname="hourly",group="g",class="ok",severity="ok"}'
        values: '1x10'
      - series: 'cronmeta_monitor_up'
        values: '1x10'
      - series: 'node_textfile_mtime_seconds{file="/var/lib/prometheus/node-exporter/cronmeta.prom"}'
        values: '0+60x10'
    alert_rule_test:
      - eval_time: 3m
        alertname: CronmetaCronStopped
        exp_alerts: []
      - eval_time: 5m
        alertname: CronmetaCronStopped
        exp_alerts:
          - exp_labels: { severity: critical, host: h3.example.org, class: cron stopped }
            exp_annotations:
              summary: "cron on h3.example.org stopped running cronmeta's cron.d files"
      - eval_time: 6m
        alertname: CronmetaJobCritical
        exp_alerts:
          - exp_labels: { severity: critical, package: p, lockname: nightly, group: g, class: missed }
            exp_annotations:
              summary: "cron job nightly (p) is missed"
              description: "cronmeta monitor classifies nightly of group g as missed: cronmeta monitor --job nightly"
      - eval_time: 10m
        alertname: CronmetaMonitorBlind
        exp_alerts: []
`;
    writeFileSync(join(dir, "cronmeta.test.yml"), test);
    const r = spawnSync(PROMTOOL, ["test", "rules", "cronmeta.test.yml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS/);
  });

  it("promtool check metrics: nothing to say about the monitor's output (jobs, canary hosts and problems)", () => {
    const now = Date.UTC(2026, 11, 2, 10, 0, 0);
    const report: MonitorReport = {
      now,
      mode: "zookeeper",
      severity: "critical",
      jobs: [
        { package: "p", build: "0123456789abcdef", lockname: "nightly", group: "g", time: "0 3 * * *", zone: "UTC",
          result: { class: "ok", severity: "ok", detail: "", consecutiveFailures: 0, counts: {}, lastStart: { start: now - 3600_000, host: "h1" } } as unknown as MonitorReport["jobs"][number]["result"] },
      ],
      canary: {
        hosts: [{ host: "h1", last: now - 10_000, alive: true }, { host: "h3", last: now - 200_000, alive: false }],
        findings: [{ host: "h3", class: "cron stopped", severity: "critical", detail: "h3: cron stopped" }],
        stopped: new Set(["h3"]),
      },
    };
    const text = formatPrometheus(report);
    const r = promtool(["check", "metrics"], text);
    assert.equal(r.code, 0, r.out + text);
    assert.equal(r.out.trim(), "", r.out);
    assert.match(text, /^cronmeta_monitor_canary_problem\{host="h3",package="",class="cron stopped",severity="critical"\} 1$/m);
    assert.match(text, /^cronmeta_monitor_host_canary_timestamp_seconds\{host="h1"\} \d+(\.\d+)?$/m);
  });
});
