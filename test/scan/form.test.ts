import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileForm, shebangProgram } from "../../src/scan/index.js";

describe("shebangProgram", () => {
  const table: [string, string | null][] = [
    ["#!/usr/bin/env node", "node"],
    ["#!/usr/bin/node", "node"],
    ["#! /usr/local/bin/node --max-old-space-size=512", "node"],
    ["#!/usr/bin/nodejs", "nodejs"],
    ["#!/usr/bin/env -S deno run --allow-net", "deno"],
    ["#!/usr/bin/env -Sdeno run", "deno"],
    ["#!/usr/bin/env -S NODE_ENV=production node --enable-source-maps", "node"],
    ["#!/usr/bin/env -u HOME -i bun", "bun"],
    ["#!/usr/bin/env -S npx --yes tsx", "tsx"],
    ["#!/usr/bin/env ts-node", "ts-node"],
    ["#!/bin/sh", "sh"],
    ["#!/usr/bin/env perl -w", "perl"],
    ["#!", null],
    ["#!/usr/bin/env", null],
    ["use strict;", null],
    ["", null],
  ];
  for (const [line, program] of table) {
    it(`${JSON.stringify(line)} runs ${String(program)}`, () => {
      assert.equal(shebangProgram(line), program);
    });
  }
});

describe("fileForm", () => {
  it("reads JavaScript and TypeScript extensions as JSDoc", () => {
    for (const name of ["a.js", "a.mjs", "a.cjs", "a.jsx", "dir/B.JS"]) assert.deepEqual(fileForm(name, ""), { form: "jsdoc", typescript: false }, name);
    for (const name of ["a.ts", "a.mts", "a.cts", "a.tsx"]) assert.deepEqual(fileForm(name, ""), { form: "jsdoc", typescript: true }, name);
  });

  it("reads extensionless scripts of JavaScript runtimes as JSDoc", () => {
    assert.deepEqual(fileForm("bin/job", "#!/usr/bin/env node"), { form: "jsdoc", typescript: false });
    assert.deepEqual(fileForm("bin/job", "#!/usr/bin/env bun"), { form: "jsdoc", typescript: false });
    assert.deepEqual(fileForm("bin/job", "#!/usr/bin/env -S deno run"), { form: "jsdoc", typescript: true });
    assert.deepEqual(fileForm("bin/job", "#!/usr/bin/env tsx"), { form: "jsdoc", typescript: true });
    assert.deepEqual(fileForm("bin/job", "#!/usr/bin/env ts-node"), { form: "jsdoc", typescript: true });
  });

  it("reads everything else as POD", () => {
    assert.equal(fileForm("bin/job", "#!/bin/sh").form, "pod");
    assert.equal(fileForm("bin/job", "").form, "pod");
    assert.equal(fileForm("bin/job.pl", "#!/usr/bin/env node").form, "pod"); // only extensionless files
    assert.equal(fileForm("bin/job.py", "").form, "pod");
    assert.equal(fileForm("README.md", "").form, "pod");
  });
});
