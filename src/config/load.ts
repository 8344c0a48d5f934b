/**
 * Finds and validates the configuration: `--config FILE`, else `cronmeta.config.json`
 * at the root, else the "cronmeta" key of the root's package.json, else defaults.
 * The only module that reads config files. Problems are UsageErrors (exit 2). zod (validate.ts)
 * is loaded only when there is a configuration to validate (zod/mini and the schema: a few ms
 * since issue 14; the chained API cost about 55 ms, a fifth of a lint of a small project).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { UsageError } from "../errors.js";
import { configDefaults } from "./defaults.generated.js";
import type { Config } from "./schema.js";

/** A loaded configuration and where it came from (for messages). */
export interface LoadedConfig {
  config: Config;
  /** Path of the file, relative to the root when inside it; undefined for defaults. */
  source?: string;
}

// Synchronous, like the scan's reads: one small file, and node:fs/promises (with the readline
// and watcher modules it loads) stays out of a lint's start (issue 14).
function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${label}: invalid JSON: ${(error as Error).message}`);
  }
}

/** Loads the configuration for a project root. */
export async function loadConfig(root: string, configPath?: string): Promise<LoadedConfig> {
  const label = (path: string) => {
    const rel = relative(root, path);
    return rel.startsWith("..") || rel === "" ? path : rel.split("\\").join("/");
  };
  if (configPath !== undefined) {
    const text = readIfExists(configPath);
    if (text === undefined) throw new UsageError(`config file not found: ${configPath}`);
    return { config: await validated(parseJson(text, label(configPath)), label(configPath)), source: label(configPath) };
  }
  const ownFile = join(root, "cronmeta.config.json");
  const ownText = readIfExists(ownFile);
  const pkgText = readIfExists(join(root, "package.json"));
  const pkg = pkgText === undefined ? undefined : parseJson(pkgText, "package.json");
  const pkgConfig =
    pkg !== null && typeof pkg === "object" && "cronmeta" in pkg ? (pkg as { cronmeta: unknown }).cronmeta : undefined;
  if (ownText !== undefined && pkgConfig !== undefined) {
    throw new UsageError(
      "configuration found both in cronmeta.config.json and in package.json#cronmeta: keep one of them",
    );
  }
  if (ownText !== undefined) {
    return { config: await validated(parseJson(ownText, "cronmeta.config.json"), "cronmeta.config.json"), source: "cronmeta.config.json" };
  }
  if (pkgConfig !== undefined) {
    return { config: await validated(pkgConfig, "package.json#cronmeta"), source: "package.json#cronmeta" };
  }
  return { config: configDefaults() };
}

async function validated(raw: unknown, label: string): Promise<Config> {
  const { validateConfig } = await import("./validate.js");
  return validateConfig(raw, label);
}
