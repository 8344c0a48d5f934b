#!/usr/bin/node
// Gives every file under DIR a predictable mode: 0755 for scripts (first bytes `#!`),
// 0644 for everything else. npm tarballs carry stray modes (an executable LICENSE,
// a non-executable bin/*.js), which lintian reports as executable-not-elf-or-script
// and script-not-executable. Usage: node debian/normalise-modes.mjs DIR
import { chmodSync, closeSync, openSync, readSync, readdirSync } from "node:fs";
import { join } from "node:path";

function startsWithShebang(path) {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString("latin1") === "#!";
  } finally {
    closeSync(fd);
  }
}

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o755);
      walk(path);
    } else if (entry.isFile()) {
      chmodSync(path, startsWithShebang(path) ? 0o755 : 0o644);
    }
  }
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: normalise-modes.mjs DIR");
  process.exit(2);
}
walk(dir);
