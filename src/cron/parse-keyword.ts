/**
 * The `@` keywords of Debian's cron 3.0pl1 (entry.c, load_entry()).
 *
 * cron reads the word after `@` with get_string() up to a blank and compares it with
 * strcmp(), so only lower case works (`@Daily` is "bad time specifier"). The field
 * values and star flags below are exactly what load_entry() sets for each keyword:
 * @yearly/@annually and @monthly set DOW_STAR, @weekly sets DOM_STAR, @daily/@midnight
 * and @hourly set no day flag (their day fields are full, so OR and AND agree).
 * Checked against the installed binary too (cron 3.0pl1-162, bookworm, `objdump -d
 * /usr/sbin/cron`): the "weekly" branch ORs flag 0x01 (DOM_STAR), "monthly" and
 * "annually" OR 0x02 (DOW_STAR), "hourly" 0x10 (HR_STAR), "daily" none; find_jobs tests
 * `flags & 0x03` to choose AND over OR.
 */
import type { CronKeyword, CronTime } from "../types.js";

/** The keywords, spelled as cron accepts them. */
export const CRON_KEYWORDS: readonly CronKeyword[] = [
  "@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
];

const all = (low: number, high: number): number[] => Array.from({ length: high - low + 1 }, (_, i) => low + i);

type Fields = Omit<CronTime, "text" | "keyword" | "reboot">;

const YEARLY: Fields = {
  minutes: [0], hours: [0], daysOfMonth: [1], months: [1], daysOfWeek: all(0, 6), domStar: false, dowStar: true,
};
const MONTHLY: Fields = {
  minutes: [0], hours: [0], daysOfMonth: [1], months: all(1, 12), daysOfWeek: all(0, 6), domStar: false, dowStar: true,
};
const WEEKLY: Fields = {
  minutes: [0], hours: [0], daysOfMonth: all(1, 31), months: all(1, 12), daysOfWeek: [0], domStar: true, dowStar: false,
};
const DAILY: Fields = {
  minutes: [0], hours: [0], daysOfMonth: all(1, 31), months: all(1, 12), daysOfWeek: all(0, 6), domStar: false,
  dowStar: false,
};
const HOURLY: Fields = {
  minutes: [0], hours: all(0, 23), daysOfMonth: all(1, 31), months: all(1, 12), daysOfWeek: all(0, 6), domStar: false,
  dowStar: false,
};
const REBOOT: Fields = {
  minutes: [], hours: [], daysOfMonth: [], months: [], daysOfWeek: [], domStar: false, dowStar: false,
};

const TABLE: Record<CronKeyword, Fields> = {
  "@reboot": REBOOT,
  "@yearly": YEARLY,
  "@annually": YEARLY,
  "@monthly": MONTHLY,
  "@weekly": WEEKLY,
  "@daily": DAILY,
  "@midnight": DAILY,
  "@hourly": HOURLY,
};

/** True when `word` is a keyword exactly as cron spells it. */
export function isCronKeyword(word: string): word is CronKeyword {
  return (CRON_KEYWORDS as readonly string[]).includes(word);
}

/** The CronTime Debian's cron builds for a keyword (fresh arrays every call). */
export function keywordTime(keyword: CronKeyword): CronTime {
  const f = TABLE[keyword];
  return {
    text: keyword,
    keyword,
    reboot: keyword === "@reboot",
    minutes: [...f.minutes],
    hours: [...f.hours],
    daysOfMonth: [...f.daysOfMonth],
    months: [...f.months],
    daysOfWeek: [...f.daysOfWeek],
    domStar: f.domStar,
    dowStar: f.dowStar,
  };
}

/** Why an `@` word is not a keyword, and what to write instead. */
export function explainBadKeyword(word: string, rest: string): string {
  const lower = word.toLowerCase();
  if (isCronKeyword(lower)) return `"${word}": @ keywords are lower case; write "${lower}"`;
  if (lower === "@every") {
    return `"@every" is not supported by cron (it comes from Go's robfig/cron); ${everyAdvice(rest)}`;
  }
  return `"${word}" is not a cron keyword; write one of ${CRON_KEYWORDS.join(" ")}, or five fields`;
}

/** Turns `@every 5m` / `@every 2h` into five fields when cron can express it. */
function everyAdvice(rest: string): string {
  const m = /^([0-9]+)([mh])$/.exec(rest.trim());
  if (m !== null) {
    const n = Number(m[1]);
    if (m[2] === "m" && n >= 1 && n < 60 && 60 % n === 0) return `write "${n === 1 ? "*" : `*/${n}`} * * * *"`;
    if (m[2] === "m" && n === 60) return `write "0 * * * *"`;
    if (m[2] === "h" && n >= 1 && n < 24 && 24 % n === 0) return `write "0 ${n === 1 ? "*" : `*/${n}`} * * *"`;
    if (m[2] === "h" && n === 24) return `write "0 0 * * *"`;
  }
  return `write five fields, e.g. "*/5 * * * *" for every five minutes (cron steps restart every hour, day, month)`;
}
