// Regenerates the files derived from code: docs/rules.md and the config JSON Schema.
// Run with `npm run docs`; test/docs.test.ts fails when they are stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchemaText } from "../src/config/json-schema.js";
import { renderRulesDoc } from "../src/lint/rules-doc.js";

const root = process.cwd();
const target = (rel: string) => join(root, rel);
writeFileSync(target("docs/rules.md"), renderRulesDoc());
writeFileSync(target("schema/cronmeta.config.schema.json"), configJsonSchemaText());
console.log("wrote docs/rules.md and schema/cronmeta.config.schema.json");
