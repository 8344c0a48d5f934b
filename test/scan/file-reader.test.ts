// FileReader's marker search in large files: a marker anywhere (across the seams of the first
// read and of the reused chunk buffer) makes the file read in full; without it, "no-marker".
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHUNK_SIZE, FileReader, HEAD_SIZE } from "../../src/scan/file-reader.js";

const MARKER = Buffer.from("@crontab");
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "cronmeta-reader-test-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function fileWithMarkerAt(offset: number | null, size: number): string {
  const bytes = Buffer.alloc(size, 0x61);
  if (offset !== null) MARKER.copy(bytes, offset);
  const path = join(dir, `f-${offset}-${size}`);
  writeFileSync(path, bytes);
  return path;
}

describe("FileReader with a marker", () => {
  const reader = new FileReader();
  const size = HEAD_SIZE + 2 * CHUNK_SIZE + 100;
  const seams = [HEAD_SIZE, HEAD_SIZE + CHUNK_SIZE - (MARKER.length - 1), HEAD_SIZE + 2 * (CHUNK_SIZE - (MARKER.length - 1))];
  const offsets = [0, size - MARKER.length, ...seams.flatMap((seam) => [-MARKER.length - 1, -MARKER.length, -3, -1, 0, 1].map((d) => seam + d))];

  for (const offset of offsets) {
    it(`finds a marker at ${offset} and reads the whole file`, () => {
      const outcome = reader.read(fileWithMarkerAt(offset, size), () => [MARKER]);
      assert.equal(outcome.kind, "text");
      if (outcome.kind === "text") {
        assert.equal(outcome.bytes.length, size);
        assert.equal(outcome.bytes.indexOf(MARKER), offset);
        assert.ok(outcome.bytes.equals(readFileSync(join(dir, `f-${offset}-${size}`))));
      }
    });
  }

  it("answers no-marker for a large file without it, and reads small files whole anyway", () => {
    assert.deepEqual(reader.read(fileWithMarkerAt(null, size), () => [MARKER]), { kind: "no-marker" });
    const small = reader.read(fileWithMarkerAt(null, 100), () => [MARKER]);
    assert.equal(small.kind, "text");
    assert.equal(reader.read(fileWithMarkerAt(null, size)).kind, "text");
  });
});

describe("FileReader's reused buffers", () => {
  it("tells binary from text by the bytes of this file only, not an earlier file's", () => {
    const reader = new FileReader();
    const binary = Buffer.alloc(HEAD_SIZE + 10, 0x61);
    binary[500] = 0;
    writeFileSync(join(dir, "binary"), binary);
    writeFileSync(join(dir, "short-text"), "#!/bin/sh\n# @crontab\n");
    writeFileSync(join(dir, "short-binary"), Buffer.from("ab\0cd"));
    assert.equal(reader.read(join(dir, "binary")).kind, "binary");
    assert.equal(reader.read(join(dir, "short-text")).kind, "text"); // the NUL at 500 is the last file's
    assert.equal(reader.read(join(dir, "short-binary")).kind, "binary");
    writeFileSync(join(dir, "empty"), "");
    assert.deepEqual(reader.read(join(dir, "empty")), { kind: "text", bytes: Buffer.alloc(0) });
  });
});
