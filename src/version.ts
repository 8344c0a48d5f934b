import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// package.json sits one level above dist/ (compiled) and src/ (tsx): search upwards.
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "cronmeta" && typeof pkg.version === "string") return pkg.version;
    }
    dir = dirname(dir);
  }
  return "0.0.0";
}

/** cronmeta's version, from package.json (also part of the scan cache key). */
export const VERSION: string = readVersion();
