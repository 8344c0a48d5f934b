/**
 * Resolves the H forms of a time text into plain Debian cron syntax: each H item becomes a value
 * (`H` → `17`) or a stepped range (`H/15` → `7-59/15`) chosen by a number per field (the hash of
 * the job's identity, src/spread/hash.ts, or the balanced placement, src/spread/balance.ts), the
 * rest of the text is left exactly as written, and the result then goes through Debian's grammar
 * (src/cron/parse.ts) like any other time. Problems the grammar finds in the resolved text are
 * mapped back to the columns of the text as written.
 */
import type { CronTimeProblem, CronTimeResult } from "../types.js";
import { type DstHour, dstHourSet, dstHours } from "./dst-hours.js";
import { findHashForms, type HashForms, type HashItem } from "./forms.js";
import { fieldHash, type JobIdentity } from "./hash.js";

/** Where H hours must not go. */
export interface SpreadZone {
  /** IANA zone of the hosts' cron (config `timezone`); undefined: no DST hours to avoid. */
  zone?: string;
}

/** One way to resolve an H item. */
export interface Choice {
  /** The replacement text (`17`, `7-59/15`). */
  text: string;
  values: number[];
  /** False for a choice in hours DST skips or repeats (when the item has other choices). */
  allowed: boolean;
}

/**
 * The choices one H item offers, in order. The field's number n picks choice `n % length`, or,
 * when that one is not allowed, the next allowed one after it: so setting config `timezone`
 * moves only the jobs whose hash falls in a DST hour, and nothing else.
 */
export interface ItemChoices {
  item: HashItem;
  choices: Choice[];
  /** True when every choice lies in hours DST skips or repeats (the range asks for them): all are allowed then. */
  inDstHours: boolean;
}

/** The choice number `n` picks (see ItemChoices). */
export function pickChoice(item: ItemChoices, n: number): Choice | undefined {
  const count = item.choices.length;
  for (let k = 0; k < count; k++) {
    const choice = item.choices[(n + k) % count];
    if (choice?.allowed === true) return choice;
  }
  return item.choices[n % count];
}

/** A warning that an H hour could only be placed in DST hours. */
export interface DstWarning {
  message: string;
  offset: number;
  length: number;
}

/** A time with H forms, resolved. */
export interface SpreadTime {
  /** The grammar's result for the resolved text, problems at columns of the text as written, plus the H problems. */
  result: CronTimeResult;
  /** The H text as written, with single spaces. */
  source: string;
  /** The resolved five fields (single spaces), when every H form is well formed. */
  resolved?: string;
  forms: HashForms;
  /** The choices of each well-formed H item. */
  items: ItemChoices[];
  /** The number each field's H items were resolved with (index = field). */
  numbers: number[];
  dstWarnings: DstWarning[];
}

/** How a caller parses resolved texts (analyse.ts passes its cached parseCronTime). */
export type TimeParser = (text: string) => CronTimeResult;

function range(low: number, high: number): number[] {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

/** The choices of one item, avoiding `avoid` (DST hours, hour field only) when it can. */
export function itemChoices(item: HashItem, avoid: ReadonlySet<number>): ItemChoices {
  const all: Choice[] = [];
  if (item.step === undefined) {
    for (const v of range(item.low, item.high)) all.push({ text: String(v), values: [v], allowed: true });
  } else {
    const step = item.step;
    for (let start = item.low; start < item.low + step && start <= item.high; start++) {
      const values: number[] = [];
      for (let v = start; v <= item.high; v += step) values.push(v);
      all.push({ text: values.length === 1 ? String(start) : `${start}-${item.high}/${step}`, values, allowed: true });
    }
  }
  if (item.field !== 1 || avoid.size === 0) return { item, choices: all, inDstHours: false };
  const marked = all.map((c) => ({ ...c, allowed: c.values.every((v) => !avoid.has(v)) }));
  return marked.some((c) => c.allowed) ? { item, choices: marked, inDstHours: false } : { item, choices: all, inDstHours: true };
}

/** How many distinct outcomes a field's items have (the least common multiple of their choice counts). */
export function fieldChoiceCount(items: readonly ItemChoices[], field: number, cap = 3600): number {
  let count = 1;
  for (const i of items) {
    if (i.item.field !== field) continue;
    const n = i.choices.length;
    count = (count * n) / gcd(count, n);
    if (count > cap) return cap;
  }
  return count;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The hash numbers of an identity, one per field. */
export function hashNumbers(identity: JobIdentity): number[] {
  return [0, 1, 2, 3, 4].map((field) => fieldHash(identity, field));
}

/** A piece of the resolved text and the piece of the written text it came from. */
interface Segment {
  from: number;
  to: number;
  sourceFrom: number;
  sourceTo: number;
  same: boolean;
}

/**
 * Resolves `text` when it has H forms (undefined otherwise: parse it as it is). `numbers` (one
 * per field) default to the hash of `identity`.
 */
export function spreadTime(text: string, identity: JobIdentity, zone: SpreadZone, parse: TimeParser, numbers?: readonly number[]): SpreadTime | undefined {
  const forms = findHashForms(text);
  if (forms === undefined) return undefined;
  const source = forms.fields.map((f) => f.text).join(" ");
  const chosen = numbers === undefined ? hashNumbers(identity) : [...numbers];
  const avoid = forms.items.some((i) => i.field === 1) ? dstHourSet(zone.zone) : new Set<number>();
  const items = forms.items.map((item) => itemChoices(item, avoid));
  const replacements = new Map<number, { length: number; text: string }>();
  for (const bad of forms.bad) replacements.set(bad.offset, { length: bad.text.length, text: bad.placeholder });
  for (const i of items) {
    const pick = pickChoice(i, chosen[i.item.field] ?? 0);
    replacements.set(i.item.offset, { length: i.item.text.length, text: pick?.text ?? String(i.item.low) });
  }
  const { resolvedText, segments } = splice(text, replacements);
  const parsed = parse(resolvedText);
  const problems = [...forms.problems, ...parsed.problems.map((p) => mapProblem(p, segments, forms.bad.length === 0 ? resolvedText.trim().split(/[ \t]+/).join(" ") : undefined))];
  problems.sort((a, b) => a.offset - b.offset);
  const hasError = problems.some((p) => p.severity === "error");
  const result: CronTimeResult = { problems };
  if (!hasError && parsed.time !== undefined) result.time = parsed.time;
  const spread: SpreadTime = { result, source, forms, items, numbers: chosen, dstWarnings: dstWarnings(items, zone) };
  if (!hasError && parsed.time !== undefined) spread.resolved = parsed.time.text;
  return spread;
}

function splice(text: string, replacements: ReadonlyMap<number, { length: number; text: string }>): { resolvedText: string; segments: Segment[] } {
  const segments: Segment[] = [];
  let out = "";
  let at = 0;
  for (const offset of [...replacements.keys()].sort((a, b) => a - b)) {
    const r = replacements.get(offset);
    if (r === undefined) continue;
    if (offset > at) segments.push({ from: out.length, to: out.length + offset - at, sourceFrom: at, sourceTo: offset, same: true });
    out += text.slice(at, offset);
    segments.push({ from: out.length, to: out.length + r.text.length, sourceFrom: offset, sourceTo: offset + r.length, same: false });
    out += r.text;
    at = offset + r.length;
  }
  segments.push({ from: out.length, to: out.length + text.length - at, sourceFrom: at, sourceTo: text.length, same: true });
  out += text.slice(at);
  return { resolvedText: out, segments };
}

/** The written-text offset of a resolved-text offset: the start (or, with `end`, the end) of a replaced piece maps to the whole item. */
function mapOffset(offset: number, segments: readonly Segment[], end: boolean): number {
  const s = segments.find((seg) => (end ? seg.from < offset && offset <= seg.to : seg.from <= offset && offset < seg.to))
    ?? (end ? segments[0] : segments[segments.length - 1]);
  if (s === undefined) return offset;
  if (s.same) return s.sourceFrom + (offset - s.from);
  return end ? s.sourceTo : s.sourceFrom;
}

/** A problem of the resolved text, at the columns of the written text; the message says what H gave. */
function mapProblem(problem: CronTimeProblem, segments: readonly Segment[], resolvedText: string | undefined): CronTimeProblem {
  const start = mapOffset(problem.offset, segments, false);
  const end = problem.length === 0 ? start : mapOffset(problem.offset + problem.length, segments, true);
  const touchesH = segments.some((s) => !s.same && s.from < problem.offset + Math.max(problem.length, 1) && s.to > problem.offset);
  const note = touchesH && resolvedText !== undefined ? ` (H resolved to "${resolvedText}")` : "";
  return { ...problem, message: `${problem.message}${note}`, offset: start, length: Math.max(end - start, 1) };
}

function dstWarnings(items: readonly ItemChoices[], zone: SpreadZone): DstWarning[] {
  if (zone.zone === undefined) return [];
  const warnings: DstWarning[] = [];
  const info = dstHours(zone.zone);
  const avoid = new Set(info.hours.map((h) => h.hour));
  for (const i of items) {
    if (!i.inDstHours) continue;
    const touched = info.hours.filter((h) => i.choices.some((c) => c.values.includes(h.hour)));
    const what = touched.map((h) => `${pad(h.hour)}:00-${pad(h.hour)}:59 is ${dstWords(h)}`).join("; ");
    warnings.push({
      message: `"${i.item.text}": every choice of this range lies in hours that daylight saving skips or repeats in ` +
        `${zone.zone} (${what}); on those days Debian's cron starts the job late or only once, so its expected ` +
        `start is off; ${widerRange(i.item, avoid)}`,
      offset: i.item.offset,
      length: i.item.text.length,
    });
  }
  return warnings;
}

/** A suggestion that gives the item a choice outside `avoid`. */
function widerRange(item: HashItem, avoid: ReadonlySet<number>): string {
  const step = item.step === undefined ? "" : `/${item.step}`;
  for (let grow = 1; grow <= 23; grow++) {
    for (const [low, high] of [[item.low, item.high + grow], [item.low - grow, item.high]] as const) {
      if (low < 0 || high > 23) continue;
      const wider: HashItem = { ...item, low, high, explicitRange: true };
      if (!itemChoices(wider, avoid).inDstHours) return `write "H(${low}-${high})${step}" to let H choose an hour outside them`;
    }
  }
  return `write an hour outside them`;
}

function dstWords(h: DstHour): string {
  const parts: string[] = [];
  if (h.skipped !== undefined) parts.push(`skipped on ${h.skipped}`);
  if (h.repeated !== undefined) parts.push(`repeated on ${h.repeated}`);
  return parts.join(" and ");
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
