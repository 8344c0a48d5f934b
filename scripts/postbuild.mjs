#!/usr/bin/env node
// Makes the compiled executables executable (tsc does not keep modes).
import { chmodSync, existsSync } from "node:fs";

for (const bin of ["dist/cli/cronmeta.js", "dist/switchman/cli.js"]) {
  if (existsSync(bin)) chmodSync(bin, 0o755);
}
