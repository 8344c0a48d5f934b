/**
 * Loads the cron.d templates: the built-in ones from cronmeta's `templates/` directory,
 * overridden file by file by the user's directory (config `templates`, relative to the root).
 * Template files are the `cron.d*.eta` files; the entry point is `cron.d.eta`, partials are
 * included by name with `include("@cron.d-job", job)`. See docs/gen.md for the variables.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../errors.js";

/** The template every cron.d file is rendered from. */
export const MAIN_TEMPLATE = "cron.d";

/** Template sources by name (file name without `.eta`), and where each came from. */
export interface TemplateSet {
  sources: ReadonlyMap<string, string>;
  origins: ReadonlyMap<string, string>;
}

const TEMPLATE_FILE = /^(cron\.d[A-Za-z0-9._-]*)\.eta$/;

/**
 * cronmeta's own `templates/` directory. The compiled module sits at dist/generate/,
 * the source at src/generate/, a Debian install under /usr/lib/cronmeta/...: walk up.
 */
function findBuiltinDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "templates");
    if (existsSync(join(candidate, `${MAIN_TEMPLATE}.eta`))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cronmeta's templates/${MAIN_TEMPLATE}.eta not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Absolute path of the built-in templates directory. */
export const builtinTemplatesDir: string = findBuiltinDir();

async function readTemplateDir(dir: string, into: Map<string, string>, origins: Map<string, string>): Promise<number> {
  let count = 0;
  const names = (await readdir(dir)).sort();
  for (const file of names) {
    const match = TEMPLATE_FILE.exec(file);
    if (match?.[1] === undefined) continue;
    const path = join(dir, file);
    into.set(match[1], await readFile(path, "utf8"));
    origins.set(match[1], path);
    count++;
  }
  return count;
}

/**
 * Reads the built-in templates, then the user's (config `templates`, resolved against
 * `root`), whose files replace built-in ones of the same name.
 * Throws UsageError when the configured directory is missing or holds no template.
 */
export async function loadTemplates(root: string, templatesDir: string | undefined): Promise<TemplateSet> {
  const sources = new Map<string, string>();
  const origins = new Map<string, string>();
  await readTemplateDir(builtinTemplatesDir, sources, origins);
  if (templatesDir !== undefined) {
    const dir = resolve(root, templatesDir);
    const info = await stat(dir).catch(() => undefined);
    if (info?.isDirectory() !== true) throw new UsageError(`config templates: ${dir} is not a directory`);
    const count = await readTemplateDir(dir, sources, origins);
    if (count === 0) {
      throw new UsageError(`config templates: ${dir} holds no cron.d*.eta template (expected at least ${MAIN_TEMPLATE}.eta or a partial)`);
    }
  }
  return { sources, origins };
}
