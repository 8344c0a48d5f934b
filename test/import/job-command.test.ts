// Taking a cron job's command apart: guard, switchman wrapper, script, params.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJobCommand } from "../../src/import/job-command.js";

const CASES: Array<[string, ReturnType<typeof parseJobCommand>]> = [
  [
    "[ -x /usr/share/p/bin/x.pl ] && /usr/bin/switchman --config /etc/switchman.conf --group g1 --lockname x.pl-mod-2 -- /usr/share/p/bin/x.pl --mod 2",
    { guard: "/usr/share/p/bin/x.pl", switchman: { bin: "/usr/bin/switchman", config: "/etc/switchman.conf", group: "g1", lockname: "x.pl-mod-2", noLock: false }, script: "/usr/share/p/bin/x.pl", params: "--mod 2" },
  ],
  ["/usr/bin/switchman -c /etc/s.conf -g g2 --no-lock -- /opt/y", { switchman: { bin: "/usr/bin/switchman", config: "/etc/s.conf", group: "g2", noLock: true }, script: "/opt/y", params: "" }],
  ["switchman --group=g3 --lockname=l /opt/z 'two words' x", { switchman: { bin: "switchman", group: "g3", lockname: "l", noLock: false }, script: "/opt/z", params: "'two words' x" }],
  ["test -x /opt/w && /opt/w -v", { guard: "/opt/w", script: "/opt/w", params: "-v" }],
  ["/usr/local/bin/report   --all  ", { script: "/usr/local/bin/report", params: "--all" }],
  ["test -e /run/systemd/system || /sbin/e2scrub_all", "the command is not a script call (a test other than [ -x SCRIPT ] &&)"],
  [
    "switchman --lease a=1:2 --lease 'FQDN_io=1:(CPU+1)/2' --concurrency replace --wait 10m -- /opt/x",
    { switchman: { bin: "switchman", leases: ["a=1:2", "FQDN_io=1:(CPU+1)/2"], concurrency: "replace", wait: "10m", noLock: false }, script: "/opt/x", params: "" },
  ],
  ["switchman --lock --lease-timeout=90s --lease=a=1:2 /opt/x", { switchman: { bin: "switchman", leases: ["a=1:2"], wait: "90s", noLock: false }, script: "/opt/x", params: "" }],
  ["switchman --canary -- /opt/x", 'switchman option "--canary" has no METADATA key'],
  ["switchman -g", "switchman option -g has no value"],
  ["[ -x /opt/x ] &&", "nothing follows the [ -x … ] && guard"],
  ["", "the command is empty"],
];

describe("import: job commands", () => {
  for (const [text, expected] of CASES) {
    it(JSON.stringify(text), () => assert.deepEqual(parseJobCommand(text), expected));
  }
});
