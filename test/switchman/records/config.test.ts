// The run-record keys of the switchman config (docs/switchman-records.md): defaults, both modes,
// and bad values naming the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_JOURNAL_MAX_BYTES, DEFAULT_STATE_DIR, DEFAULT_TEXTFILE_DIR, recordsConfig, validateConfig, type SwitchmanConfig } from "../../../src/switchman/config.js";

const zk = { zkhosts: "127.0.0.1:2181", prefix: "/switchman" };
const valid = (data: Record<string, unknown>): SwitchmanConfig => {
  const result = validateConfig(data);
  if ("problems" in result) throw new Error(result.problems.join("; "));
  return result.config;
};

test("defaults: /var/lib/switchman, Debian's node_exporter textfile directory, 8 MiB, 2 s, fleet records on", () => {
  assert.deepEqual(recordsConfig(valid({})), {
    stateDir: DEFAULT_STATE_DIR,
    journalMaxBytes: DEFAULT_JOURNAL_MAX_BYTES,
    textfileDir: DEFAULT_TEXTFILE_DIR,
    textfileDirIsDefault: true,
    recordTimeoutS: 2,
    runRecords: false,
  });
  assert.equal(recordsConfig(valid(zk)).runRecords, true);
  assert.deepEqual([DEFAULT_STATE_DIR, DEFAULT_TEXTFILE_DIR, DEFAULT_JOURNAL_MAX_BYTES], ["/var/lib/switchman", "/var/lib/prometheus/node-exporter", 8388608]);
});

test("every key in both modes, false turns the local files off, run_records only with ZooKeeper", () => {
  const local = recordsConfig(valid({ state_dir: false, textfile_dir: "/srv/prom", journal_max_bytes: 65536, record_timeout: 0.5 }));
  assert.deepEqual(local, { stateDir: false, journalMaxBytes: 65536, textfileDir: "/srv/prom", textfileDirIsDefault: false, recordTimeoutS: 0.5, runRecords: false });
  assert.equal(recordsConfig(valid({ ...zk, run_records: false, textfile_dir: false })).runRecords, false);
});

test("bad values name the key and say what to write", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ state_dir: "var/lib" }, /^state_dir: must be an absolute path without control characters, or false to turn the journal and the host records off$/],
    [{ state_dir: true }, /^state_dir: must be an absolute path, or false/],
    [{ textfile_dir: "/a\nb" }, /^textfile_dir: must be an absolute path without control characters, or false to turn the Prometheus textfile off$/],
    [{ journal_max_bytes: 1000 }, /^journal_max_bytes: must be at least 65536 bytes$/],
    [{ journal_max_bytes: 65536.5 }, /^journal_max_bytes: must be a whole number of bytes$/],
    [{ record_timeout: 0 }, /^record_timeout: must be more than 0 seconds$/],
    [{ run_records: true }, /^run_records: only for ZooKeeper mode \(with zkhosts\): local mode keeps its records in state_dir$/],
    [{ ...zk, run_records: "yes" }, /^run_records: must be true or false$/],
  ];
  for (const [data, message] of cases) {
    const result = validateConfig(data);
    assert.ok("problems" in result, JSON.stringify(data));
    assert.match(result.problems.join("; "), message, JSON.stringify(data));
  }
});
