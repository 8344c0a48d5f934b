/**
 * The only module that writes cron files. Applies a {@link WritePlan}: removes temp files
 * left by an interrupted run, writes new and changed files atomically (temp file in the
 * same directory, fsync, chmod 0644, rename), leaves unchanged files alone (their mtime
 * stays) and removes stale files (SPEC 4.4).
 */
import { mkdir, open, realpath, unlink } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { writeFileAtomically as replaceFile } from "./atomic-write.js";
import { confinementProblem, isInside, lstatOrUndefined } from "./confine.js";
import { FILE_MODE, type PlannedFile, type WritePlan } from "./plan.js";

/** Test hooks; production code passes none. */
export interface WriteHooks {
  /**
   * Called after a temp file is complete and synced, before it is renamed over the target.
   * The crash test makes it kill the process (see src/cli/commands/gen.ts).
   */
  afterTempWrite?: (tempPath: string) => void | Promise<void>;
}

/** What was done, by display path. */
export interface WriteReport {
  written: PlannedFile[];
  removed: PlannedFile[];
  unchanged: PlannedFile[];
  /** Temp files of an interrupted run that were removed (absolute paths). */
  leftoversRemoved: string[];
}

/** A write failed (permissions, disk full...): the message names the path. */
export class OutputWriteError extends Error {
  override readonly name = "OutputWriteError";
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Creates the missing directories between `confineDir` and `dir`, one level at a time. */
async function makeDirs(confineDir: string, dir: string): Promise<void> {
  if ((await lstatOrUndefined(confineDir)) === undefined) await mkdir(confineDir, { recursive: true });
  let current = confineDir;
  for (const part of relative(confineDir, dir).split(sep).filter((p) => p !== "")) {
    current = join(current, part);
    if ((await lstatOrUndefined(current)) === undefined) {
      try {
        await mkdir(current, { mode: 0o755 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  }
}

/** Writes `content` to `target` so that readers see the old file or the new one, never a part. */
async function writeAtomically(target: string, content: string, hooks: WriteHooks): Promise<void> {
  await replaceFile(target, content, {
    mode: FILE_MODE,
    exactMode: true,
    beforeRename: async (temp) => {
      await hooks.afterTempWrite?.(temp);
    },
  });
}

/** fsync a directory so that a rename or unlink in it survives a power cut. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Applies `plan`. Must not be called when the plan has diagnostics (a bug: throws Error).
 * Rechecks confinement right before each write; throws OutputWriteError when a write fails.
 */
export async function applyPlan(plan: WritePlan, hooks: WriteHooks = {}): Promise<WriteReport> {
  if (plan.diagnostics.length > 0) throw new Error("cronmeta bug: applyPlan called on a plan with errors");
  const report: WriteReport = { written: [], removed: [], unchanged: [], leftoversRemoved: [] };
  const touchedDirs = new Set<string>();
  let current = "";
  try {
    for (const leftover of plan.leftovers) {
      current = leftover;
      await unlinkIfPresent(leftover);
      report.leftoversRemoved.push(leftover);
    }
    for (const file of plan.files) {
      current = file.displayPath;
      if (file.kind === "unchanged") {
        report.unchanged.push(file);
      } else if (file.kind === "new" || file.kind === "changed") {
        const dir = dirname(file.absPath);
        await makeDirs(plan.confineDir, dir);
        // The plan was made a moment ago; check again now that the directories exist.
        const problem = await confinementProblem(plan.confineDir, file.absPath, (p) => p);
        if (problem !== undefined || !isInside(await realpath(plan.confineDir), await realpath(dir))) {
          throw new OutputWriteError(`refusing to write ${file.displayPath}: ${problem ?? "it resolves outside the output directory"}`);
        }
        await writeAtomically(file.absPath, file.newContent ?? "", hooks);
        touchedDirs.add(dir);
        report.written.push(file);
      } else {
        await unlinkIfPresent(file.absPath);
        touchedDirs.add(dirname(file.absPath));
        report.removed.push(file);
      }
    }
    for (const dir of [...touchedDirs].sort()) {
      current = dir;
      await syncDir(dir);
    }
  } catch (error) {
    if (error instanceof OutputWriteError) throw error;
    throw new OutputWriteError(`cannot write ${current}: ${(error as Error).message}`);
  }
  return report;
}
