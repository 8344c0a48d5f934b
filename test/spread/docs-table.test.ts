// docs/spread.md's table of resolutions is the tested one (test/spread/h-table.ts), row by row.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { repoRoot } from "../helpers/paths.js";
import { RESOLUTIONS } from "./h-table.js";

it("docs/spread.md lists exactly the tested resolutions", () => {
  const text = readFileSync(join(repoRoot, "docs", "spread.md"), "utf8");
  const table = text.slice(text.indexOf("<!-- resolutions:"));
  const rows = [...table.matchAll(/^\| `([^`]+)`(?: \([^)]*\))? \| ([^ ]+) \/ ([^ ]+) \|([^|]*)\| `([^`]+)` \|$/gm)].map((m) => [
    (m[1] ?? "").replace("⇥", "\t"),
    m[2],
    m[3],
    (m[4] ?? "").trim(),
    m[5],
  ]);
  assert.deepEqual(rows, RESOLUTIONS.map((r) => [...r]));
});
