/** `--check` and `--dry-run` output: pure text from a plan. */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { FILE_MODE, type PlannedFile, type WritePlan } from "./plan.js";

function octal(mode: number): string {
  return `100${mode.toString(8).padStart(3, "0")}`;
}

/** The unified diff (git-style `a/` and `b/` names, `/dev/null` for new and removed files) of one file. */
export function fileDiff(file: PlannedFile): string {
  const a = file.kind === "new" ? "/dev/null" : `a/${file.displayPath}`;
  const b = file.kind === "stale" ? "/dev/null" : `b/${file.displayPath}`;
  let text = "";
  if (file.kind === "changed" && file.oldMode !== undefined && file.oldMode !== FILE_MODE) {
    text += `old mode ${octal(file.oldMode)}\nnew mode ${octal(FILE_MODE)}\n`;
  }
  text += createTwoFilesPatch(a, b, file.oldContent ?? "", file.newContent ?? "", undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
  return text;
}

/** True when applying the plan would change anything on disk. */
export function planChangesAnything(plan: WritePlan): boolean {
  return plan.files.some((f) => f.kind !== "unchanged");
}

/** The diff of every file that would be written or removed, in path order. */
export function planDiff(plan: WritePlan): string {
  return plan.files
    .filter((f) => f.kind !== "unchanged")
    .map(fileDiff)
    .join("");
}

/** `--dry-run`: every file cronmeta produces, with its status, then the files it would remove. */
export function planListing(plan: WritePlan): string {
  const label: Record<PlannedFile["kind"], string> = {
    new: "new",
    changed: "changed",
    unchanged: "unchanged",
    stale: "would be removed",
  };
  return plan.files
    .map((f) => {
      const head = `==> ${f.displayPath} (${label[f.kind]}) <==\n`;
      return f.kind === "stale" ? head : head + (f.newContent ?? "");
    })
    .join("\n");
}
