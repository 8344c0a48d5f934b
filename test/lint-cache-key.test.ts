// The key of the stored lint result: every input the rules are given changes it, and the text it
// is made from tells apart values that JSON would not (undefined, -0, a Map, "1" and 1).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultConfig } from "../src/config/schema.js";
import type { DebianInfo } from "../src/debian/read.js";
import { canonical, lintResultKey } from "../src/lint-cache-key.js";

const debian = (): DebianInfo => ({
  controlFile: "debian/control",
  controlFound: true,
  control: { packages: [{ name: "p1", line: 4 }] } as DebianInfo["control"],
  installed: new Map([["bin/a.pl", { package: "p1", path: "/usr/share/p1/a.pl", installFile: "debian/p1.install", line: 1 }]]),
  notes: [],
});

describe("lint result key", () => {
  it("changes with the config, the debian/ information and the mode, and only with them", () => {
    const base = lintResultKey({ config: defaultConfig(), debian: debian(), mode: "source" });
    assert.equal(lintResultKey({ config: defaultConfig(), debian: debian(), mode: "source" }), base);
    assert.notEqual(lintResultKey({ config: { ...defaultConfig(), rules: { "cron-day-or": "error" } }, debian: debian(), mode: "source" }), base);
    assert.notEqual(lintResultKey({ config: { ...defaultConfig(), timezone: "Europe/Berlin" }, debian: debian(), mode: "source" }), base);
    assert.notEqual(lintResultKey({ config: defaultConfig(), debian: debian(), mode: "tree" }), base);
    const moved = debian();
    moved.installed.set("bin/a.pl", { package: "p1", path: "/usr/lib/p1/a.pl", installFile: "debian/p1.install", line: 1 });
    assert.notEqual(lintResultKey({ config: defaultConfig(), debian: moved, mode: "source" }), base);
    const more = debian();
    more.installed.set("bin/b.pl", { package: "p1", path: "/usr/share/p1/b.pl", installFile: "debian/p1.install", line: 1 });
    assert.notEqual(lintResultKey({ config: defaultConfig(), debian: more, mode: "source" }), base);
    assert.notEqual(lintResultKey({ config: defaultConfig(), debian: { ...debian(), notes: [{ file: "debian/p1.install", line: 2, message: "x" }] } as DebianInfo, mode: "source" }), base);
  });

  it("is made from a text that tells apart what JSON would not, and refuses values it cannot vouch for", () => {
    const distinct = [{}, { a: undefined }, { a: null }, { a: 1 }, { a: "1" }, { a: -0 }, { a: 0 }, { a: [1] }, { a: [[1]] }, { a: new Map() }, { a: new Map([[1, 2]]) }, { a: new Map([["1", 2]]) }, { b: 1, a: 2 }, { a: 2, b: 1 }, { a: true }, { a: "t" }, { a: Number.NaN }];
    const texts = distinct.map(canonical);
    assert.equal(new Set(texts).size, distinct.length, texts.join("\n"));
    assert.throws(() => canonical({ a: new Set([1]) }), /cannot key a Set/);
    assert.throws(() => canonical({ a: new Date(0) }), /cannot key a Date/);
    assert.throws(() => canonical({ a: () => 1 }), /cannot key a function/);
  });
});
