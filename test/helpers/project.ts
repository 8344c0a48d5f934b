// Temporary fixture projects for tests: write a few files, get a root, always clean up.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A control file declaring binary packages. */
export function control(...packages: string[]): string {
  return [
    "Source: demo",
    "Maintainer: Demo <demo@example.org>",
    "",
    ...packages.flatMap((p) => [`Package: ${p}`, "Architecture: all", "Depends: ${cronmeta:Depends}", `Description: ${p}`, " Demo package.", ""]),
  ].join("\n");
}

/** Writes `files` (path → content; content `{ text, mode }` to set a mode) into a new temp dir. */
export async function makeProject(files: Record<string, string | { text: string; mode: number }>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "cronmeta-test-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    const text = typeof content === "string" ? content : content.text;
    await writeFile(full, text);
    if (typeof content !== "string") await chmod(full, content.mode);
  }
  return root;
}

/** Removes a project made by makeProject. */
export async function removeProject(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** Runs `body` with a temp project that is removed afterwards, even on failure. */
export async function withProject<T>(
  files: Record<string, string | { text: string; mode: number }>,
  body: (root: string) => Promise<T>,
): Promise<T> {
  const root = await makeProject(files);
  try {
    return await body(root);
  } finally {
    await removeProject(root);
  }
}

/** A POD METADATA block with one section per entry list. */
export function pod(...sections: string[][]): string {
  return [
    "#!/usr/bin/perl",
    "use strict;",
    "",
    "=head1 METADATA",
    "",
    ...sections.flatMap((entries) => ["<crontab>", ...entries.map((e) => `    ${e}`), "</crontab>"]),
    "",
    "=cut",
    "",
    "print qq(hello\\n);",
    "",
  ].join("\n");
}
