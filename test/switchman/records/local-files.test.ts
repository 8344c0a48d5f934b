// The host-local run records (src/switchman/records/): the per-user state directory, the
// journal's cap and rotation, the lock-free host record, the atomic textfile. The cap over
// 10,000 runs (issue 15) is test/system/records/journal-cap.test.ts: 20,000 appends, a big loop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chownSync, chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncFs, syncFs, type Fs } from "../../../src/switchman/records/fs.js";
import { JOURNAL_FILE, JOURNAL_ROTATED_FILE, appendJournal } from "../../../src/switchman/records/journal.js";
import { jobDir, listHostRecords, readHostRecord, updateHostRecord } from "../../../src/switchman/records/host-state.js";
import { hostWithSkip, journalLine, type HostRecord } from "../../../src/switchman/records/record.js";
import { RecordsUnavailable, userStateDir } from "../../../src/switchman/records/state-dir.js";
import { textfileName, writeTextfileAtomically } from "../../../src/switchman/records/textfile-write.js";

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "switchman-records-"));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const uid = process.geteuid?.() ?? 0;
const identity = { lockname: "job", package: "pkg", group: "grp", host: "box1.example.com", pid: 1, user: "root" };

function lines(dir: string, file: string): string[] {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "") : [];
}

test("journal: 400 concurrent appends with rotations never interleave or lose a line beyond the cap", async () => {
  await withDir(async (dir) => {
    const cap = 64 * 1024;
    const detail = "d".repeat(1500); // long lines: a torn write would show
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        appendJournal(dir, journalLine({ ...identity, pid: i }, { event: "skip", at: "t", reason: "lock-held", detail }), cap),
      ),
    );
    const all = [...lines(dir, JOURNAL_ROTATED_FILE), ...lines(dir, JOURNAL_FILE)];
    for (const line of all) assert.equal((JSON.parse(line) as { detail: string }).detail, detail);
    assert.equal(all.length, 400, "every line is in one of the two generations");
    const size = (file: string): number => (existsSync(join(dir, file)) ? statSync(join(dir, file)).size : 0);
    const line = Buffer.byteLength(all[0] ?? "") + 1;
    // All 400 may pass their size check before any write lands: at most one line over per concurrent writer.
    assert.ok(size(JOURNAL_FILE) + size(JOURNAL_ROTATED_FILE) <= cap + 400 * line, "bounded");
    // Once they are done, the next append rotates and the cap holds again.
    await appendJournal(dir, journalLine(identity, { event: "skip", at: "t", reason: "lock-held", detail }), cap);
    assert.ok(size(JOURNAL_FILE) <= cap / 2, `${size(JOURNAL_FILE)} bytes after the burst`);
  });
});

test("journal: lines appended together (a short run's START and FINISH) are one write(2) when they fit in PIPE_BUF, one each otherwise", async () => {
  await withDir(async (dir) => {
    const writes: number[] = [];
    const counting: Fs = {
      ...syncFs,
      open: async (path, flags, mode) => {
        const file = await syncFs.open(path, flags, mode);
        return { ...file, write: (bytes) => (writes.push(bytes.length), file.write(bytes)) };
      },
    };
    const line = (detail: string): string => journalLine(identity, { event: "skip", at: "t", reason: "lock-held", detail });
    const short = [line("a"), line("b")];
    await appendJournal(dir, short, 1 << 20, counting);
    assert.deepEqual(writes, [Buffer.byteLength(short.join(""))], "one write of both");
    const long = [line("c".repeat(2500)), line("d".repeat(2500))]; // each below PIPE_BUF, together above
    await appendJournal(dir, long, 1 << 20, counting);
    assert.deepEqual(writes.slice(1), long.map((l) => Buffer.byteLength(l)), "one write each, whole");
    await appendJournal(dir, [], 1 << 20, counting);
    assert.equal(writes.length, 3, "nothing to append: no write");
    assert.deepEqual(lines(dir, JOURNAL_FILE), [...short, ...long].map((l) => l.trimEnd()), "in order");
  });
});

test("host record: concurrent updates lose nothing (compare-and-swap by link)", async () => {
  await withDir(async (dir) => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => updateHostRecord(dir, "job", (r) => hostWithSkip(r, i % 2 ? "lock-held" : "not-in-group", "t"))));
    const found = await readHostRecord(dir, "job");
    assert.deepEqual(found?.record.skips, { "not-in-group": 50, "lock-held": 50, "wait-timeout": 0 });
    assert.equal(found?.seq, 100);
    assert.deepEqual(readdirSync(jobDir(dir, "job")).filter((f) => !/^\d+\.json$/.test(f)), [], "no temporary file left");
    // Files a minute old go at the next update, but for the newest two.
    const old = new Date(Date.now() - 120_000);
    for (const file of readdirSync(jobDir(dir, "job"))) utimesSync(join(jobDir(dir, "job"), file), old, old);
    await updateHostRecord(dir, "job", (r) => hostWithSkip(r, "lock-held", "t"));
    assert.deepEqual(readdirSync(jobDir(dir, "job")).sort(), ["100.json", "101.json"]);
    assert.deepEqual((await listHostRecords(dir)).map((r) => r.lockname), ["job"]);
  });
});

test("host record: the sweep of old files stops at the first young one (each update pays one stat, not one per file)", async () => {
  await withDir(async (dir) => {
    for (let i = 0; i < 6; i++) await updateHostRecord(dir, "job", (r) => hostWithSkip(r, "lock-held", "t"));
    const old = new Date(Date.now() - 120_000);
    // 1-2 old, 3 young, 4 old again (a clock step back): 1 and 2 go, 3 stops the sweep, 4 waits for a later one.
    for (const seq of [1, 2, 4]) utimesSync(join(jobDir(dir, "job"), `${seq}.json`), old, old);
    await updateHostRecord(dir, "job", (r) => hostWithSkip(r, "lock-held", "t"));
    const seqs = readdirSync(jobDir(dir, "job")).map((f) => Number(f.replace(".json", ""))).sort((a, b) => a - b);
    assert.deepEqual(seqs, [3, 4, 5, 6, 7]);
    assert.equal((await readHostRecord(dir, "job"))?.record.skips["lock-held"], 7);
  });
});

test("host record: an update stopped between its read and its link, whose name was freed meanwhile, counts once (ABA)", async () => {
  await withDir(async (dir) => {
    const skip = (r: HostRecord): HostRecord => hostWithSkip(r, "lock-held", "t");
    await updateHostRecord(dir, "job", skip); // 1.json
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stopped: () => void = () => undefined;
    const reachedLink = new Promise<void>((resolve) => (stopped = resolve));
    const late = updateHostRecord(dir, "job", skip, asyncFs, async () => {
      stopped();
      await gate; // read 1.json, will link 2.json
    });
    await reachedLink;
    for (let i = 0; i < 3; i++) await updateHostRecord(dir, "job", skip); // 2, 3, 4
    const old = new Date(Date.now() - 120_000);
    for (const file of readdirSync(jobDir(dir, "job")).filter((f) => f.endsWith(".json"))) utimesSync(join(jobDir(dir, "job"), file), old, old);
    await updateHostRecord(dir, "job", skip); // 5; 1-3 removed: 2.json is free again
    assert.equal(existsSync(join(jobDir(dir, "job"), "2.json")), false);
    release();
    const { seq } = await late;
    assert.equal(seq, 6, "the late update was taken back from 2.json and made again on top");
    assert.equal((await readHostRecord(dir, "job"))?.record.skips["lock-held"], 6, "every update counted exactly once");
  });
});

test("host record: a damaged or foreign newest file restarts the counters instead of failing", async () => {
  await withDir(async (dir) => {
    await updateHostRecord(dir, "job", (r) => hostWithSkip(r, "lock-held", "t"));
    writeFileSync(join(jobDir(dir, "job"), "2.json"), "{ torn");
    const { seq, record } = await updateHostRecord(dir, "job", (r) => hostWithSkip(r, "lock-held", "t"));
    assert.deepEqual([seq, record.skips["lock-held"]], [3, 1]);
  });
});

test("state directory: root creates it 1777, each user gets <uid>/ 0755", async () => {
  assert.equal(uid, 0, "this test runs as root (it plants directories owned by other users)");
  await withDir(async (dir) => {
    const base = join(dir, "var/lib/switchman");
    const own = await userStateDir(base);
    assert.equal(own, join(base, "0"));
    assert.equal(statSync(base).mode & 0o7777, 0o1777);
    assert.equal(statSync(own).mode & 0o7777, 0o755);
    assert.equal(await userStateDir(base), own, "the second run uses it as it is");
  });
});

test("state directory: planted, open or untrusted directories are refused with what to do", async () => {
  await withDir(async (dir) => {
    chmodSync(dir, 0o755);
    const base = join(dir, "state");
    mkdirSync(base, { mode: 0o755 });
    chmodSync(base, 0o1777);
    const planted = join(base, "0");
    mkdirSync(planted);
    chownSync(planted, 65534, 65534);
    await assert.rejects(userStateDir(base), (e: unknown) => e instanceof RecordsUnavailable && /belongs to .*65534.*rm -r/.test(e.message));
    rmSync(planted, { recursive: true });
    mkdirSync(planted, { mode: 0o777 });
    chmodSync(planted, 0o777);
    await assert.rejects(userStateDir(base), /writable by other users \(mode 777\): chmod 0755/);
    rmSync(planted, { recursive: true });
    chmodSync(base, 0o777); // world-writable without the sticky bit: anyone could swap <uid>/
    await assert.rejects(userStateDir(base), /without the sticky bit/);
    chmodSync(base, 0o1777);
    assert.ok(lstatSync(await userStateDir(base)).isDirectory());
  });
});

test("textfile: replaced atomically, temporary files never end in .prom", async () => {
  await withDir(async (dir) => {
    const name = textfileName(33, "job");
    assert.equal(name, "switchman-33-job.prom");
    await writeTextfileAtomically(dir, name, "a 1\n");
    await Promise.all(Array.from({ length: 50 }, (_, i) => writeTextfileAtomically(dir, name, `a ${i}\n`)));
    assert.match(readFileSync(join(dir, name), "utf8"), /^a \d+\n$/);
    assert.deepEqual(readdirSync(dir), [name]);
    assert.equal(statSync(join(dir, name)).mode & 0o777, 0o644);
    await assert.rejects(writeTextfileAtomically(join(dir, "missing"), name, "x"), { code: "ENOENT" });
  });
});
