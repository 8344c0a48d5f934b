// Files derived from code must be current, and every rule must be documented.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CHECK_ONLY_RULES } from "../src/check/rules/index.js";
import { SCHEMA_PATH, configDefaultsModuleText, configJsonSchemaText } from "../src/config/json-schema.js";
import { configDefaults } from "../src/config/defaults.generated.js";
import { defaultConfig } from "../src/config/schema.js";
import { RULES } from "../src/lint/rules/index.js";
import { renderRulesDoc } from "../src/lint/rules-doc.js";
import { repoRoot } from "./helpers/paths.js";

const SPEC_RULES = [
  "metadata-syntax", "metadata-unknown-key", "metadata-duplicate-key", "metadata-missing-key",
  "metadata-empty", "jsdoc-comment-closed", "cron-time-invalid", "cron-time-never",
  "cron-time-once", "cron-day-or", "cron-reboot", "package-unknown", "package-name-invalid",
  "cron-file-name", "user-invalid", "user-unknown", "params-unsafe", "line-too-long",
  "lockname-invalid", "lockname-collision", "job-duplicate", "script-not-installed",
  "output-not-generated",
];

describe("documentation", () => {
  it("has every rule SPEC 6.1 names, once, in kebab-case", () => {
    const ids = RULES.map((r) => r.meta.id);
    for (const id of SPEC_RULES) assert.ok(ids.includes(id), `missing rule ${id}`);
    assert.equal(new Set(ids).size, ids.length, "duplicate rule ids");
    for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  });

  it("documents every rule with a paragraph, a bad and a good example", () => {
    for (const rule of RULES) {
      assert.ok(rule.meta.description.length > 10, rule.meta.id);
      assert.ok(rule.meta.docs.details.length > 40, `${rule.meta.id}: doc paragraph`);
      assert.ok(rule.meta.docs.bad.trim() !== "", `${rule.meta.id}: bad example`);
      assert.ok(rule.meta.docs.good.trim() !== "", `${rule.meta.id}: good example`);
      assert.notEqual(rule.meta.docs.bad, rule.meta.docs.good, rule.meta.id);
    }
  });

  it("docs/rules.md is current (run `npm run docs`)", () => {
    assert.equal(readFileSync(join(repoRoot, "docs/rules.md"), "utf8"), renderRulesDoc());
  });

  it("the shipped JSON Schema is current (run `npm run docs`)", () => {
    assert.equal(readFileSync(join(repoRoot, "schema/cronmeta.config.schema.json"), "utf8"), configJsonSchemaText());
  });

  it("the config defaults module is current (run `npm run docs`)", () => {
    assert.equal(readFileSync(join(repoRoot, "src/config/defaults.generated.ts"), "utf8"), configDefaultsModuleText());
    assert.deepEqual(configDefaults(), defaultConfig());
    assert.notEqual(configDefaults().include, configDefaults().include, "a fresh copy each time");
  });

  it("the JSON Schema forbids unknown keys and knows every config key", () => {
    const schema = JSON.parse(configJsonSchemaText()) as { additionalProperties: boolean; properties: Record<string, unknown> };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties).sort(), [
      "$schema", "alertAfter", "canary", "debianDir", "defaultPackage", "env", "exclude", "grace", "guard", "include", "installDir", "manifest", "packages",
      "rules", "spread", "stampedeThreshold", "switchman", "templates", "timezone", "user", "users",
    ]);
  });

  it("the JSON Schema names every rule id for config rules, and its $id is the shipped file (issue 17)", () => {
    const schema = JSON.parse(configJsonSchemaText()) as { $id: string; properties: { rules: { propertyNames: { enum: string[] } } } };
    const ids = [...RULES.map((r) => r.meta.id), ...CHECK_ONLY_RULES.map((r) => r.meta.id)];
    assert.deepEqual(schema.properties.rules.propertyNames.enum, ids);
    assert.ok(!ids.includes("cron-time-nevr"));
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { name: string; version: string; files: string[]; exports: Record<string, string> };
    assert.equal(schema.$id, `https://unpkg.com/${pkg.name}@${pkg.version}/${SCHEMA_PATH}`);
    assert.equal(pkg.exports["./schema.json"], `./${SCHEMA_PATH}`);
    assert.ok(pkg.files.includes(SCHEMA_PATH.split("/")[0] ?? ""), "the schema directory is published");
    assert.ok(existsSync(join(repoRoot, SCHEMA_PATH)));
  });
});
