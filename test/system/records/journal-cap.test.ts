// The journal's size cap holds under 10,000 runs (issue 15): 20,000 appends through both file
// system flavours, checked every 1,000 runs. System tier: a big loop of real file operations
// (about 3 s); the other journal and host-record tests are test/switchman/records/local-files.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncFs, syncFs } from "../../../src/switchman/records/fs.js";
import { JOURNAL_FILE, JOURNAL_ROTATED_FILE, appendJournal } from "../../../src/switchman/records/journal.js";
import { journalLine } from "../../../src/switchman/records/record.js";

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "switchman-records-"));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const identity = { lockname: "job", package: "pkg", group: "grp", host: "box1.example.com", pid: 1, user: "root" };

function lines(dir: string, file: string): string[] {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "") : [];
}

test("journal: the cap holds over 10,000 runs (20,000 lines), the newest lines are kept in order", async () => {
  await withDir(async (dir) => {
    const cap = 256 * 1024;
    let largest = 0;
    for (let run = 0; run < 10_000; run++) {
      for (const event of ["start", "finish"] as const) {
        const line = journalLine(
          { ...identity, pid: run },
          event === "start"
            ? { event, at: new Date(run * 1000).toISOString(), start: { at: "t", host: "h", pid: run, run: `r${run}`, user: "root" } }
            : { event: "skip", at: new Date(run * 1000).toISOString(), reason: "lock-held", detail: `run ${run}` },
        );
        largest = Math.max(largest, Buffer.byteLength(line));
        await appendJournal(dir, line, cap, run % 2 === 0 ? syncFs : asyncFs); // both flavours (fs.ts)
      }
      if (run % 1000 === 999) {
        const current = statSync(join(dir, JOURNAL_FILE)).size;
        const rotated = existsSync(join(dir, JOURNAL_ROTATED_FILE)) ? statSync(join(dir, JOURNAL_ROTATED_FILE)).size : 0;
        assert.ok(current <= cap / 2, `current generation ${current} > ${cap / 2} after ${run + 1} runs`);
        assert.ok(current + rotated <= cap, `journal ${current + rotated} > cap ${cap} after ${run + 1} runs`);
      }
    }
    const kept = [...lines(dir, JOURNAL_ROTATED_FILE), ...lines(dir, JOURNAL_FILE)].map((l) => JSON.parse(l) as { pid: number; event: string });
    assert.ok(kept.length >= cap / 2 / largest, `${kept.length} lines kept of a ${cap}-byte cap`);
    assert.equal(kept.at(-1)?.pid, 9999, "the newest line is last");
    kept.forEach((line, i) => i > 0 && assert.ok(line.pid >= (kept[i - 1]?.pid ?? 0), "in order across generations"));
    assert.deepEqual(readdirSync(dir).sort(), [JOURNAL_FILE, JOURNAL_ROTATED_FILE], "no rotation lock or temporary file left");
  });
});
