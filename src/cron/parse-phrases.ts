/**
 * Schedules written in English where a cron time belongs (`every 5 minutes`, `daily`): the
 * cron time that means exactly that, or none. Only phrases with one evident meaning get a
 * suggestion, and only when cron's steps can keep it (every 7 minutes cannot: `*\/7` restarts
 * every hour).
 */

// A Map, not an object: a time such as "__proto__" must not find Object.prototype.
const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["hourly", "@hourly"], ["hour", "@hourly"],
  ["daily", "@daily"], ["day", "@daily"],
  ["midnight", "@midnight"],
  ["weekly", "@weekly"], ["week", "@weekly"],
  ["monthly", "@monthly"], ["month", "@monthly"],
  ["yearly", "@yearly"], ["year", "@yearly"],
  ["annually", "@annually"],
  ["reboot", "@reboot"],
]);
/** Words that are a keyword alone ("daily"), not only after "every" ("every day"). */
const ALONE = new Set(["hourly", "daily", "midnight", "weekly", "monthly", "yearly", "annually", "reboot"]);

/** Units a step can count in, with the field they step and their range. */
const UNITS: ReadonlyArray<{ words: RegExp; range: number; time: (step: string) => string }> = [
  { words: /^(m|mins?|minutes?)$/, range: 60, time: (s) => `${s} * * * *` },
  { words: /^(h|hrs?|hours?)$/, range: 24, time: (s) => `0 ${s} * * *` },
];

/** What a phrase means as a cron time: a suggestion, or undefined when the text is no such phrase. */
export type PhraseReading = { phrase: string; time?: string; why?: string };

/** Reads `text` as an English schedule; undefined when it is not one. */
export function readPhrase(text: string): PhraseReading | undefined {
  const phrase = text.trim().replace(/[ \t]+/g, " ");
  const lower = phrase.toLowerCase();
  const afterEvery = /^every ([a-z]+)$/.exec(lower)?.[1];
  const keyword = ALONE.has(lower) ? KEYWORDS.get(lower) : afterEvery === undefined ? undefined : KEYWORDS.get(afterEvery);
  if (keyword !== undefined) return { phrase, time: keyword };
  const every = /^every (\d+ ?)?([a-z]+)$/.exec(lower);
  if (every === null) return undefined;
  const count = every[1] === undefined ? 1 : Number(every[1].trim());
  const unit = UNITS.find((u) => u.words.test(every[2] ?? ""));
  if (unit === undefined) {
    return every[1] === undefined ? undefined : { phrase, why: `no cron time runs exactly every ${count} ${every[2] ?? ""}: cron steps restart at the start of every month, week or year` };
  }
  if (count === 1) return { phrase, time: unit.time("*") };
  if (count < 1 || count >= unit.range || unit.range % count !== 0) {
    return { phrase, why: `a step of ${count} does not divide ${unit.range}, and cron steps restart at the top of every ${unit.range === 60 ? "hour" : "day"}, so no cron time runs exactly every ${count}` };
  }
  return { phrase, time: unit.time(`*/${count}`) };
}
