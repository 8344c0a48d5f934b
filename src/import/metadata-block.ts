/**
 * The METADATA text of imported jobs, in the two forms of SPEC 2: a POD block of `<crontab>`
 * sections, or `@crontab` tags for a JSDoc comment. Pure.
 */
import type { MetadataKey } from "../jobs/keys.js";

/** One job's `key: value` lines, in the order they are written. */
export type SectionEntries = ReadonlyArray<readonly [MetadataKey, string]>;

/** The order keys are written in. */
export const KEY_ORDER: readonly MetadataKey[] = ["package", "time", "params", "user", "group", "lockname", "lock", "concurrency", "lease", "wait", "timeout", "description"];

/** The lines of a POD METADATA block: `=head1 METADATA`, a blank line, the sections, a blank line (no `=cut`). */
export function podBlockLines(sections: readonly SectionEntries[]): string[] {
  return [
    "=head1 METADATA",
    "",
    ...sections.flatMap((entries) => ["<crontab>", ...entries.map(([key, value]) => `    ${key}: ${value}`), "</crontab>"]),
    "",
  ];
}

/** The lines of `@crontab` tags for a JSDoc comment, each starting with `prefix` (e.g. " * "). */
export function jsdocTagLines(sections: readonly SectionEntries[], prefix: string): string[] {
  // `*/` would end the comment: cronmeta reads `*\/` as `*/` (SPEC 2.2).
  return sections.flatMap((entries) => [
    `${prefix}@crontab`,
    ...entries.map(([key, value]) => `${prefix}  ${key}: ${value.replaceAll("*/", "*\\/")}`),
  ]);
}
