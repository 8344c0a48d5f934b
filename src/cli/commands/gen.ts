/** `cronmeta gen`: lint, then write (or --check, or --dry-run) the cron.d files. */
import { planDiff, planListing } from "../../generate/diff.js";
import { generate, type GenerateResult } from "../../generate/generate.js";
import { displayPathFor } from "../../generate/plan.js";
import { OutputWriteError, type WriteHooks } from "../../generate/write.js";
import { balancedMoves } from "../../jobs/spread.js";
import { formatStylish } from "../../lint/formatters/stylish.js";
import { type Io, useColour } from "../io.js";
import type { GenOptions } from "../options.js";
import { plural } from "../../plural.js";

/**
 * Test-only crash hook (test/generate/crash.test.ts): with this variable set to 1, the
 * process SIGKILLs itself right after the first temp file is written and synced, before the
 * rename, which is exactly the window an atomic write must survive.
 */
export const CRASH_HOOK_ENV = "CRONMETA_TEST_KILL_AFTER_TEMP_WRITE";

function hooksFor(io: Io): WriteHooks {
  if (io.env[CRASH_HOOK_ENV] !== "1") return {};
  return { afterTempWrite: () => void process.kill(process.pid, "SIGKILL") };
}


function printDiagnostics(result: GenerateResult, io: Io): void {
  if (result.diagnostics.length === 0) return;
  const report = {
    diagnostics: result.diagnostics,
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    jobCount: result.project.jobs.length,
  };
  io.stderr(formatStylish(report, { colour: useColour(io) }));
}

/** Prints what a write run did on stderr, one line per file that changed. */
function printReport(result: GenerateResult, io: Io): void {
  const report = result.report;
  if (report === undefined) return;
  for (const path of report.leftoversRemoved) {
    io.stderr(`removed ${displayPathFor(result.project.root, path)} (left by an interrupted run)\n`);
  }
  for (const file of report.written) io.stderr(`${file.kind === "new" ? "created" : "updated"} ${file.displayPath}\n`);
  for (const file of report.removed) io.stderr(`removed ${file.displayPath} (stale: no job needs it any more)\n`);
  io.stderr(
    `cronmeta: ${plural(report.written.length, "file")} written, ${report.removed.length} removed, ` +
      `${report.unchanged.length} unchanged (${plural(result.project.jobs.length, "job")})\n`,
  );
}

/** With config `spread: "balanced"`: every H job placed elsewhere than its hash would put it. */
function printBalancedMoves(result: GenerateResult, io: Io): void {
  const moves = balancedMoves(result.project.jobs);
  for (const { job, from, to } of moves) {
    io.stderr(`balanced ${job.file}:${job.line} (${job.package}) "${job.timeSource?.text ?? ""}": ${to} instead of ${from} (hash)\n`);
  }
  const placed = result.project.jobs.filter((j) => j.timeSource?.by === "balanced").length;
  if (placed > 0) io.stderr(`cronmeta: balanced spread: ${moves.length} of ${plural(placed, "H job")} placed away from their hash minute\n`);
}

/** `cronmeta gen`: 0 done (or up to date with --check), 1 refused or out of date. */
export async function runGen(options: GenOptions, io: Io): Promise<number> {
  const action = options.check ? "check" : options.dryRun ? "dry-run" : "write";
  let result: GenerateResult;
  try {
    result = await generate({ ...options, action, hooks: hooksFor(io) });
  } catch (error) {
    if (error instanceof OutputWriteError) {
      io.stderr(`cronmeta: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (result.project.cacheProblem !== undefined) io.stderr(`cronmeta: warning: ${result.project.cacheProblem}\n`);
  printDiagnostics(result, io);
  if (result.errorCount > 0) {
    io.stderr(`cronmeta: nothing written (${plural(result.errorCount, "error")})\n`);
    return 1;
  }
  const plan = result.plan;
  if (plan === undefined) return 1; // cannot happen without errors; keep the exit code honest
  printBalancedMoves(result, io);
  const changing = plan.files.filter((f) => f.kind !== "unchanged").length;
  if (options.check) {
    io.stdout(planDiff(plan));
    if (result.outOfDate) {
      io.stderr(`cronmeta: ${plural(changing, "file")} out of date; run cronmeta gen${options.mode === "source" ? "" : ` --mode ${options.mode}`}\n`);
      return 1;
    }
    io.stderr(`cronmeta: ${plural(plan.files.length, "file")} up to date\n`);
    return 0;
  }
  if (options.dryRun) {
    io.stdout(planListing(plan));
    io.stderr(`cronmeta: dry run, nothing written (${changing} of ${plural(plan.files.length, "file")} would change)\n`);
    return 0;
  }
  printReport(result, io);
  return 0;
}
