/**
 * The key of the lint result that `lint --cache` keeps beside the scan cache (src/scan/cache.ts):
 * the rules' output is a function of the scanned files, the config, the `debian/` information,
 * the mode, and the code that runs them (cronmeta's build, its npm dependencies outside a
 * bundle, Node with its ICU time-zone data). The scan cache vouches for the scanned files (the
 * result is used only when every file's result is the cached one); this key covers the rest,
 * from the values the rules are given (the loaded config, the DebianInfo read this run), not
 * from the files they came from, so that nothing read on the way (a symbolic link, an install
 * glob's matches, a default) can be missed.
 */
import { createHash } from "node:crypto";
import type { Config } from "./config/schema.js";
import type { DebianInfo } from "./debian/read.js";
import { buildDigest } from "./scan/cache.js";
import type { OutputMode } from "./types.js";
import { VERSION } from "./version.js";

/** Bump when the lint result's stored shape or what goes into its key changes. */
const LINT_RESULT_FORMAT = 1;

/** What the rules were given, besides the scanned files. */
export interface LintCacheInputs {
  config: Config;
  debian: DebianInfo;
  mode: OutputMode;
}

/** The key of a stored lint result: a SHA-256 (hex) of everything the rules depend on, the scanned files aside. */
export function lintResultKey(inputs: LintCacheInputs): string {
  const hash = createHash("sha256");
  hash.update(`${LINT_RESULT_FORMAT}\0${VERSION}\0${buildDigest()}\0${JSON.stringify(process.versions)}\0${process.arch}\0`);
  hash.update(canonical(inputs.config)).update("\0").update(canonical(inputs.debian)).update("\0").update(inputs.mode);
  return hash.digest("hex");
}

/**
 * An injective text of a plain value (every distinct value gives a distinct text): strings and
 * keys as JSON, numbers tagged (so that "1" and 1 differ, -0 and NaN included), undefined kept
 * (a key with an undefined value is not a missing key), arrays and Maps in their order, objects
 * in their key order (what the rules iterate). Anything else (a Set, a Date, a class instance, a
 * function) throws: a value this function cannot vouch for must not make a key.
 */
export function canonical(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "n-0" : `n${String(value)}`;
    case "boolean":
      return value ? "t" : "f";
    case "undefined":
      return "u";
    case "object": {
      if (value === null) return "z";
      if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
      if (value instanceof Map) return `M[${[...value].map(([k, v]) => `${canonical(k)}:${canonical(v)}`).join(",")}]`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new Error(`lint cache key: cannot key a ${(value as object).constructor?.name ?? "value"}`);
      return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
    }
    default:
      throw new Error(`lint cache key: cannot key a ${typeof value}`);
  }
}
