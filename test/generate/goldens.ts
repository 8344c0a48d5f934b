// Golden files of `cronmeta gen`: every fixture project under test/fixtures/gen-*/ and the
// example examples/my-project is generated in the three modes (as a dry run: the projects
// are never written to) and compared with expected/<mode>/ (the files) and
// expected/<mode>.diagnostics (what gen reported). `npm run update-goldens` rewrites them.
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { generate } from "../../src/generate/generate.js";
import type { OutputMode } from "../../src/types.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";

/** One project with goldens. */
export interface GoldenCase {
  name: string;
  root: string;
  expectedDir: string;
}

export const MODES: OutputMode[] = ["source", "tree", "dir"];

/** The fixtures `test/fixtures/gen-*` (goldens in their `expected/`) and examples/my-project. */
export function goldenCases(): GoldenCase[] {
  const cases = readdirSync(fixturesDir)
    .filter((name) => name.startsWith("gen-"))
    .sort()
    .map((name) => ({ name, root: join(fixturesDir, name), expectedDir: join(fixturesDir, name, "expected") }));
  const example = join(repoRoot, "examples", "my-project");
  if (existsSync(example)) cases.push({ name: "my-project", root: example, expectedDir: join(fixturesDir, "goldens", "my-project") });
  return cases;
}

/** What gen produces for a case in a mode: files by path, and the diagnostics as text. */
export interface GoldenOutput {
  files: Map<string, string>;
  diagnostics: string;
}

/** Where mode dir "writes" during a dry run: never created. */
const NOWHERE = join(tmpdir(), "cronmeta-goldens-never-created");

/** Runs gen as a dry run over the case's project. */
export async function produce(testCase: GoldenCase, mode: OutputMode): Promise<GoldenOutput> {
  const options = mode === "dir" ? { root: testCase.root, mode, out: NOWHERE, action: "dry-run" as const } : { root: testCase.root, mode, action: "dry-run" as const };
  const result = await generate(options);
  const files = new Map(result.files.map((f) => [f.path, f.content]));
  const diagnostics = result.diagnostics
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule}: ${d.message}\n`)
    .join("");
  return { files, diagnostics };
}

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/** The goldens as stored. */
export async function readExpected(testCase: GoldenCase, mode: OutputMode): Promise<GoldenOutput> {
  const dir = join(testCase.expectedDir, mode);
  const files = new Map<string, string>();
  for (const path of await listFiles(dir)) files.set(path, await readFile(join(dir, path), "utf8"));
  const diagnosticsFile = join(testCase.expectedDir, `${mode}.diagnostics`);
  const diagnostics = existsSync(diagnosticsFile) ? await readFile(diagnosticsFile, "utf8") : "";
  return { files, diagnostics };
}

/** Replaces the stored goldens with `output`. */
export async function writeExpected(testCase: GoldenCase, mode: OutputMode, output: GoldenOutput): Promise<void> {
  const dir = join(testCase.expectedDir, mode);
  await rm(dir, { recursive: true, force: true });
  for (const [path, content] of output.files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const diagnosticsFile = join(testCase.expectedDir, `${mode}.diagnostics`);
  await rm(diagnosticsFile, { force: true });
  if (output.diagnostics !== "") {
    await mkdir(testCase.expectedDir, { recursive: true });
    await writeFile(diagnosticsFile, output.diagnostics);
  }
}
