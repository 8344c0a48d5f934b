/**
 * `cronmeta import FILE…`: reads the crontabs and the project, plans the import (plan.ts) and,
 * with `write`, inserts the METADATA into the scripts that have none. The only module of
 * src/import/ that reads or writes files. A script is written atomically (a temp file in its
 * directory, its mode and owner kept, fsync, rename), and only when it still holds the text
 * the plan was made from.
 */
import { readFile, stat } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fg from "fast-glob";
import { typeFromPath, type CrontabType } from "../check/crontab-kind.js";
import { loadConfig } from "../config/load.js";
import { readDebian } from "../debian/read.js";
import { UsageError } from "../errors.js";
import { writeFileAtomically } from "../generate/atomic-write.js";
import { alwaysIgnored } from "../scan/tree.js";
import { planImport, type ImportPlan, type ImportSource } from "./plan.js";

/** Options of {@link importCrontabs}. */
export interface ImportOptions {
  /** Absolute project root. */
  root: string;
  configPath?: string;
  /** The crontabs, as given. */
  files: readonly string[];
  /** Directory the files are relative to. */
  cwd: string;
  type?: CrontabType;
  package?: string;
  write: boolean;
}

/** The plan, and what was written. */
export interface ImportOutcome extends ImportPlan {
  /** Scripts written (relative paths). */
  written: string[];
  /** Scripts that changed on disk between reading and writing, left alone. */
  changed: string[];
}

/** Writes `content` over `path` atomically, keeping its mode and owner; false when the file no longer holds `expected`. */
async function replaceScript(path: string, expected: string, content: string): Promise<boolean> {
  const info = await stat(path);
  return writeFileAtomically(path, content, {
    mode: info.mode & 0o7777,
    exactMode: true,
    ...(process.getuid?.() === 0 ? { owner: { uid: info.uid, gid: info.gid } } : {}),
    beforeRename: async () => (await readFile(path, "utf8")) === expected,
  });
}

/** Reads the crontabs and the project, plans the import, and writes it with `options.write`. */
export async function importCrontabs(options: ImportOptions): Promise<ImportOutcome> {
  if (options.files.length === 0) throw new UsageError("import needs at least one FILE (a cron.d file, /etc/crontab or a user crontab)");
  const { config } = await loadConfig(options.root, options.configPath);
  const debian = await readDebian(options.root, config.debianDir);
  const sources: ImportSource[] = options.files.map((display) => {
    const path = resolve(options.cwd, display);
    const type = options.type ?? typeFromPath(path);
    if (type === undefined) {
      throw new UsageError(`${display}: cannot tell whether this is a cron.d file (TIME USER COMMAND) or a user crontab (TIME COMMAND): pass --type cron.d or --type crontab`);
    }
    try {
      return { display, path, text: readFileSync(path, "utf8"), type };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`${display}: ${code === "ENOENT" ? "no such file" : `cannot read: ${code ?? (error as Error).message}`}`);
    }
  });
  const texts = new Map<string, string | undefined>();
  const readScript = (file: string): string | undefined => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(join(options.root, file), "utf8"));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const filesNamed = (name: string): string[] =>
    fg.sync(`**/${fg.escapePath(name)}`, { cwd: options.root, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: [...alwaysIgnored(config.debianDir, fg.escapePath), ...config.exclude] }).sort();
  const plan = planImport(sources, { config, debian, root: options.root, readScript, filesNamed, ...(options.package === undefined ? {} : { package: options.package }) });
  const outcome: ImportOutcome = { ...plan, written: [], changed: [] };
  if (!options.write) return outcome;
  for (const script of plan.scripts) {
    if (script.status !== "new" || script.text === undefined) continue;
    const before = texts.get(script.file);
    if (before === undefined) continue;
    if (await replaceScript(join(options.root, script.file), before, script.text)) outcome.written.push(script.file);
    else outcome.changed.push(script.file);
  }
  return outcome;
}
