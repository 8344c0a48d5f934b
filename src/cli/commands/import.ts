/** `cronmeta import FILE…`: the METADATA for the scripts that existing cron.d files and crontabs run. */
import type { CrontabType } from "../../check/crontab-kind.js";
import { importCrontabs } from "../../import/import.js";
import { jsdocTagLines, podBlockLines } from "../../import/metadata-block.js";
import type { ScriptPlan } from "../../import/plan.js";
import { plural } from "../../plural.js";
import type { Io } from "../io.js";

/** Options of `cronmeta import`. */
export interface ImportCommandOptions {
  root: string;
  configPath?: string;
  files: string[];
  type?: CrontabType;
  package?: string;
  write: boolean;
}

/** The block to paste, as it goes into the script. */
function blockText(script: ScriptPlan): string {
  const lines =
    script.language === "javascript" ? ["/**", ...jsdocTagLines(script.sections, " * "), " */"] : [...podBlockLines(script.sections), "=cut"];
  const where =
    script.language === "javascript"
      ? "the tags go into the script's leading /** … */ comment"
      : script.language === "shell"
        ? "in a shell script: inside : <<'=cut' … (the block's =cut ends it)"
        : script.language === "python"
          ? "in the module docstring"
          : "in the script's POD";
  return `# ${script.file}: ${plural(script.sections.length, "job")} from ${script.from.join(", ")} (${where})\n${lines.join("\n")}\n\n`;
}

/** `cronmeta import`: 0 when every job of a tree script was imported (or was already there), 1 otherwise. */
export async function runImport(options: ImportCommandOptions, io: Io): Promise<number> {
  const outcome = await importCrontabs({ ...options, cwd: io.cwd });
  for (const note of outcome.notes) io.stderr(`${note.file}:${note.line}: ${note.problem ? "error: " : ""}${note.message}\n`);
  let failed = outcome.notes.some((n) => n.problem);
  for (const script of outcome.scripts) {
    if (script.status === "present") {
      io.stderr(`${script.file}: already has ${plural(script.sections.length, "job")} of these in its METADATA\n`);
    } else if (script.status === "refused") {
      failed = true;
      io.stderr(`${script.file}: not written: ${script.reason ?? ""}\n`);
      io.stdout(blockText(script));
    } else if (!options.write) {
      io.stdout(blockText(script));
    } else if (outcome.written.includes(script.file)) {
      io.stderr(`wrote ${script.file} (${plural(script.sections.length, "job")})\n`);
    } else if (outcome.changed.includes(script.file)) {
      failed = true;
      io.stderr(`${script.file}: not written: it changed while cronmeta was reading it; run import again\n`);
    }
  }
  const imported = outcome.scripts.reduce((n, s) => n + (s.status === "refused" ? 0 : s.sections.length), 0);
  const action = options.write ? `${plural(outcome.written.length, "script")} written` : `${plural(outcome.scripts.filter((s) => s.status === "new").length, "script")} to edit`;
  io.stderr(`cronmeta: ${imported} of ${plural(outcome.jobCount, "job")} imported, ${action}${options.write ? "" : " (--write inserts the blocks)"}\n`);
  return failed ? 1 : 0;
}
