/** Words for a time that came from H forms, for `list` and the report (docs/spread.md). */
import type { CronTime, TimeSource } from "../types.js";
import { findHashForms } from "./forms.js";

const FIELD_WORDS = ["minute", "hour", "day of the month", "month", "day of the week"] as const;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

function fieldWords(field: number, resolved: string): string {
  const word = FIELD_WORDS[field] ?? "field";
  if (field === 4 && /^[0-7]$/.test(resolved)) return `${word} ${resolved} (${WEEKDAYS[Number(resolved)] ?? ""})`;
  const plural = /[-,/]/.test(resolved) ? (field === 2 ? "days of the month" : field === 4 ? "days of the week" : `${word}s`) : word;
  return `${plural} ${resolved}`;
}

/**
 * What H chose, e.g. `minute 39 and hour 9 chosen by H from a hash of package
 * "shop" and lock name "rotate.sh"`, or, balanced, `minute 23 chosen by H with the balanced
 * spread (the hash alone gives "39 * * * *")`.
 */
export function describeTimeSource(source: TimeSource, time: CronTime, identity: { package: string; lockname: string }): string {
  const forms = findHashForms(source.text);
  const resolvedFields = time.text.split(" ");
  const fields = [...new Set(forms?.items.map((i) => i.field) ?? [])].sort((a, b) => a - b);
  const chosen = fields.map((f) => fieldWords(f, resolvedFields[f] ?? "?"));
  const what = chosen.length <= 1 ? chosen.join("") : `${chosen.slice(0, -1).join(", ")} and ${chosen[chosen.length - 1] ?? ""}`;
  if (source.by === "balanced") {
    const moved = source.hash === time.text ? "where the hash puts it too" : `the hash alone gives "${source.hash}"`;
    return `${what} chosen by H with the balanced spread (${moved})`;
  }
  return `${what} chosen by H from a hash of package "${identity.package}" and lock name "${identity.lockname}"`;
}
