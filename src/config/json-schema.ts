/** The JSON Schema of cronmeta.config.json, generated from the zod schema (the single source of truth). */
import { z } from "zod";
import { configSchema } from "./schema.js";

/** The schema as the JSON text shipped in schema/cronmeta.config.schema.json. */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" });
  const withId = {
    $id: "https://www.npmjs.com/package/cronmeta/schema/cronmeta.config.schema.json",
    title: "cronmeta configuration",
    ...schema,
  };
  return JSON.stringify(withId, null, 2) + "\n";
}
