/**
 * Reads switchman's journals for `cronmeta report --records` (measured.ts): files, or
 * directories searched two levels deep for `journal.jsonl` and its rotated `journal.jsonl.1`
 * (a state directory holds one per job user: `<state_dir>/<uid>/journal.jsonl`). Read-only.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { finishedRuns, type FinishedRun } from "./measured.js";

const JOURNAL_NAMES = new Set(["journal.jsonl", "journal.jsonl.1"]);

async function journalsIn(dir: string, depth: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isFile() && JOURNAL_NAMES.has(entry.name)) found.push(path);
    else if (entry.isDirectory() && depth > 0) found.push(...(await journalsIn(path, depth - 1)));
  }
  return found;
}

/** Every finished run of the journals at `paths`; a path that cannot be read, or holds no journal, is a usage error. */
export async function readJournals(paths: readonly string[]): Promise<{ sources: string[]; runs: FinishedRun[] }> {
  const sources: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (error) {
      throw new UsageError(`--records ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!isDir) {
      sources.push(path);
      continue;
    }
    const found = await journalsIn(path, 2).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--records ${path}: ${error.code ?? error.message}`);
    });
    if (found.length === 0) throw new UsageError(`--records ${path}: no switchman journal (journal.jsonl) in it or its subdirectories`);
    sources.push(...found);
  }
  const runs: FinishedRun[] = [];
  for (const source of sources) {
    const text = await readFile(source, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--records ${source}: ${error.code ?? error.message}`);
    });
    for (const run of finishedRuns(text)) runs.push(run);
  }
  return { sources, runs };
}
