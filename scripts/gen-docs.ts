// Regenerates the files derived from code: docs/rules.md, the config JSON Schema and the config defaults module.
// Run with `npm run docs`; test/docs.test.ts fails when they are stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configDefaultsModuleText, configJsonSchemaText } from "../src/config/json-schema.js";
import { renderRulesDoc } from "../src/lint/rules-doc.js";

const root = process.cwd();
const target = (rel: string) => join(root, rel);
writeFileSync(target("docs/rules.md"), renderRulesDoc());
writeFileSync(target("schema/cronmeta.config.schema.json"), configJsonSchemaText());
writeFileSync(target("src/config/defaults.generated.ts"), configDefaultsModuleText());
console.log("wrote docs/rules.md, schema/cronmeta.config.schema.json and src/config/defaults.generated.ts");
