/** switchman lock names (SPEC 4.3). */
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

/** Why a lock name is invalid, or undefined when it is valid (1-512 of `[A-Za-z0-9._-]`, not `.`/`..`). */
export function locknameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > 512) return `is ${name.length} characters long; the limit is 512`;
  if (name === "." || name === "..") return `cannot be "${name}"`;
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad) return `contains ${JSON.stringify(bad[0])}; only letters, digits, ".", "_" and "-" are allowed`;
  return undefined;
}
