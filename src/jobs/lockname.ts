/** Default switchman lock names (SPEC 4.3); what a lock name may be is src/syntax/lockname.ts. */
import { createHash } from "node:crypto";

const MAX_DERIVED = 100;

/** The default lock name of a job: file name, or file name + params made safe. */
export function defaultLockname(fileName: string, params: string): string {
  if (params === "") return fileName;
  const tail = params.replace(/[^A-Za-z0-9._]+/g, "-").replace(/^-+|-+$/g, "");
  const name = tail === "" ? fileName : `${fileName}-${tail}`;
  if (name.length <= MAX_DERIVED) return name;
  const digest = createHash("sha256").update(params).digest("hex").slice(0, 8);
  return `${name.slice(0, 91)}-${digest}`;
}
