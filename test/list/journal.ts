// Journals in switchman's own line format (record.ts journalLine), for the report's measured side.
import type { Job } from "../../src/types.js";
import { journalLine, type JournalEvent } from "../../src/switchman/records/record.js";

/** A journal of `runs` of `job`: START and FINISH lines as switchman writes them. */
export function journalOf(job: Pick<Job, "lockname" | "package" | "group">, runs: Array<{ start: number; wallS: number; rssKib: number | null; outcome?: "success" | "failure"; host?: string }>): string {
  return runs
    .map((r, i) => {
      const identity = { lockname: job.lockname, package: job.package, group: job.group, host: r.host ?? "box1.example.org", pid: 1000 + i, user: "root" };
      const run = `${job.lockname.length.toString(16).padStart(4, "0")}${String(i).padStart(12, "0")}`;
      const start: JournalEvent = { event: "start", at: new Date(r.start).toISOString(), start: { at: new Date(r.start).toISOString(), host: identity.host, pid: identity.pid, run, user: "root" } };
      const end = new Date(r.start + r.wallS * 1000).toISOString();
      const outcome = r.outcome ?? "success";
      const finish: JournalEvent = {
        event: "finish",
        at: end,
        finish: { at: end, host: identity.host, pid: identity.pid, run, outcome, status: outcome === "success" ? 0 : 1, exit: outcome === "success" ? 0 : 1, signal: null, wall_s: r.wallS, user_s: 0.1, sys_s: 0.05, maxrss_kib: r.rssKib, killed: false },
      };
      return journalLine(identity, start) + journalLine(identity, finish);
    })
    .join("");
}
