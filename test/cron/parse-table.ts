// The expected verdicts of parseCronTime() for ~200 time specifications.
//
// Each case says which rules fire (none = a clean, valid time), where each error points
// (0-based offsets into `text`), for many valid times the exact value sets and star
// flags, and what Debian's own parser says of the line `<text> /bin/true` when given to
// `crontab -n` (a dry-run syntax check): "accepts" or "rejects". Where cronmeta reports
// an error but cron "accepts", cron would silently read something else (SPEC 3).
// (Debian's crontab also refuses a command that starts with "*", which is why a seconds
// field of "*" is rejected while "0 0 1 1 * 2030" is read as running the command "2030".)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CronTime, CronTimeProblem, CronTimeResult } from "../../src/types.js";

export type Rule = CronTimeProblem["rule"];

export interface ParseCase {
  text: string;
  /** Rules of all problems, sorted by offset then rule; [] means clean. */
  rules: Rule[];
  /** Offsets of the error problems, ascending. */
  at?: number[];
  /** Exact values expected in `time` (only the keys given are compared). */
  time?: Partial<CronTime>;
  /** Substrings the first problem's message must contain. */
  says?: string[];
  /** Verdict of Debian's `crontab -n` on `<text> /bin/true`; omitted when locale-dependent. */
  cron?: "accepts" | "rejects";
}

/** Values a..b stepping by s. */
export function seq(a: number, b: number, s = 1): number[] {
  const out: number[] = [];
  for (let v = a; v <= b; v += s) out.push(v);
  return out;
}

const ALL_MIN = seq(0, 59);
const ALL_HOUR = seq(0, 23);
const ALL_DOM = seq(1, 31);
const ALL_MONTH = seq(1, 12);
const ALL_DOW = seq(0, 6);

const E: Rule = "cron-time-invalid";
const NEVER: Rule = "cron-time-never";
const ONCE: Rule = "cron-time-once";
const OR: Rule = "cron-day-or";
const REBOOT: Rule = "cron-reboot";

export const parseCases: ParseCase[] = [
  // ---- the plain forms, with exact value sets and star flags
  { text: "* * * * *", rules: [], cron: "accepts",
    time: { text: "* * * * *", reboot: false, minutes: ALL_MIN, hours: ALL_HOUR, daysOfMonth: ALL_DOM, months: ALL_MONTH,
      daysOfWeek: ALL_DOW, domStar: true, dowStar: true } },
  { text: "0 0 * * *", rules: [], cron: "accepts", time: { minutes: [0], hours: [0], domStar: true, dowStar: true } },
  { text: "30 3 * * sun", rules: [], cron: "accepts",
    time: { minutes: [30], hours: [3], daysOfWeek: [0], domStar: true, dowStar: false } },
  { text: "*/10 * * * *", rules: [], cron: "accepts", time: { minutes: seq(0, 59, 10) } },
  { text: "*/2 * * * *", rules: [], cron: "accepts", time: { minutes: seq(0, 59, 2) } },
  { text: "0-59 * * * *", rules: [], cron: "accepts", time: { minutes: ALL_MIN, domStar: true } },
  { text: "5-55/10 * * * *", rules: [], cron: "accepts", time: { minutes: seq(5, 55, 10) } },
  { text: "0-59/15 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 15, 30, 45] } },
  { text: "0,15,30,45 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 15, 30, 45] } },
  { text: "1,2,3-5,*/20 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 1, 2, 3, 4, 5, 20, 40] } },
  { text: "30,10,20 * * * *", rules: [], cron: "accepts", time: { minutes: [10, 20, 30] } },
  { text: "5,5,5 * * * *", rules: [], cron: "accepts", time: { minutes: [5] } },
  { text: "05 07 * * *", rules: [], cron: "accepts", time: { minutes: [5], hours: [7] } },
  { text: "00 00 01 01 *", rules: [], cron: "accepts", time: { daysOfMonth: [1], months: [1], domStar: false } },
  { text: "*/59 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 59] } },
  { text: "0-30/30 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 30] } },
  { text: "*/30 */12 * * *", rules: [], cron: "accepts", time: { minutes: [0, 30], hours: [0, 12] } },
  { text: "0 */23 * * *", rules: [], cron: "accepts", time: { hours: [0, 23] } },
  { text: "0 9-17 * * mon-fri", rules: [], cron: "accepts", time: { hours: seq(9, 17), daysOfWeek: seq(1, 5) } },
  { text: "0 8-18/2 * * *", rules: [], cron: "accepts", time: { hours: [8, 10, 12, 14, 16, 18] } },

  // ---- every field's boundaries, and one past each
  { text: "0 * * * *", rules: [], cron: "accepts", time: { minutes: [0] } },
  { text: "59 * * * *", rules: [], cron: "accepts", time: { minutes: [59] } },
  { text: "60 * * * *", rules: [E], at: [0], cron: "rejects", says: ["out of range", "0-59"] },
  { text: "* 0 * * *", rules: [], cron: "accepts", time: { hours: [0] } },
  { text: "* 23 * * *", rules: [], cron: "accepts", time: { hours: [23] } },
  { text: "* 24 * * *", rules: [E], at: [2], cron: "rejects", says: ["0-23", "midnight is hour 0"] },
  { text: "* * 1 * *", rules: [], cron: "accepts", time: { daysOfMonth: [1], domStar: false, dowStar: true } },
  { text: "* * 31 * *", rules: [], cron: "accepts", time: { daysOfMonth: [31] } },
  { text: "* * 0 * *", rules: [E], at: [4], cron: "rejects", says: ["1-31", "counts from 1"] },
  { text: "* * 32 * *", rules: [E], at: [4], cron: "rejects", says: ["1-31"] },
  { text: "* * * 1 *", rules: [], cron: "accepts", time: { months: [1] } },
  { text: "* * * 12 *", rules: [], cron: "accepts", time: { months: [12] } },
  { text: "* * * 0 *", rules: [E], at: [6], cron: "rejects", says: ["1-12 or jan-dec"] },
  { text: "* * * 13 *", rules: [E], at: [6], cron: "rejects" },
  { text: "* * * * 0", rules: [], cron: "accepts", time: { daysOfWeek: [0], dowStar: false } },
  { text: "* * * * 6", rules: [], cron: "accepts", time: { daysOfWeek: [6] } },
  { text: "* * * * 7", rules: [], cron: "accepts", time: { daysOfWeek: [0] } },
  { text: "* * * * 8", rules: [E], at: [8], cron: "rejects", says: ["0-7 or sun-sat"] },
  { text: "0-60 * * * *", rules: [E], at: [2], cron: "rejects" },
  { text: "* 0-23 * * *", rules: [], cron: "accepts", time: { hours: ALL_HOUR, domStar: true } },
  { text: "* 0-24 * * *", rules: [E], at: [4], cron: "rejects" },
  { text: "* * 1-31 * *", rules: [], cron: "accepts", time: { daysOfMonth: ALL_DOM, domStar: false } },
  { text: "* * 0-31 * *", rules: [E], at: [4], cron: "rejects" },
  { text: "* * 1-32 * *", rules: [E], at: [6], cron: "rejects" },
  { text: "* * * 1-12 *", rules: [], cron: "accepts", time: { months: ALL_MONTH } },
  { text: "* * * 1-13 *", rules: [E], at: [8], cron: "rejects" },
  { text: "* * * * 0-7", rules: [], cron: "accepts", time: { daysOfWeek: ALL_DOW, dowStar: false } },
  { text: "* * * * 0-8", rules: [E], at: [10], cron: "rejects" },
  { text: "* * * * 1-7", rules: [], cron: "accepts", time: { daysOfWeek: ALL_DOW } },
  { text: "* * * * 5-7", rules: [], cron: "accepts", time: { daysOfWeek: [0, 5, 6] } },
  { text: "* * * * 0,7", rules: [], cron: "accepts", time: { daysOfWeek: [0] } },
  { text: "5-64/30 * * * *", rules: [E], at: [2], cron: "rejects" },
  { text: "0,60 * * * *", rules: [E], at: [2], cron: "rejects" },
  { text: "1-5,70 * * * *", rules: [E], at: [4], cron: "rejects" },
  { text: "60 24 32 13 8", rules: [E, E, E, E, E], at: [0, 3, 6, 9, 12], cron: "rejects" },
  { text: "99999999999 * * * *", rules: [E], at: [0], cron: "rejects" },

  // ---- steps on every field
  { text: "* * */2 * *", rules: [], cron: "accepts", time: { daysOfMonth: seq(1, 31, 2), domStar: true } },
  { text: "* * */15 * *", rules: [], cron: "accepts", time: { daysOfMonth: [1, 16, 31] } },
  { text: "* * */30 * *", rules: [], cron: "accepts", time: { daysOfMonth: [1, 31] } },
  { text: "* * 1-31/7 * *", rules: [], cron: "accepts", time: { daysOfMonth: [1, 8, 15, 22, 29] } },
  { text: "* * * */3 *", rules: [], cron: "accepts", time: { months: [1, 4, 7, 10] } },
  { text: "* * * */6 *", rules: [], cron: "accepts", time: { months: [1, 7] } },
  { text: "* * * */11 *", rules: [], cron: "accepts", time: { months: [1, 12] } },
  { text: "* * * jan-dec/3 *", rules: [], cron: "accepts", time: { months: [1, 4, 7, 10] } },
  { text: "* * * * */2", rules: [], cron: "accepts", time: { daysOfWeek: [0, 2, 4, 6], dowStar: true } },
  { text: "* * * * */3", rules: [], cron: "accepts", time: { daysOfWeek: [0, 3, 6] } },
  { text: "* * * * */6", rules: [], cron: "accepts", time: { daysOfWeek: [0, 6] } },
  { text: "* * * * 1-7/3", rules: [], cron: "accepts", time: { daysOfWeek: [0, 1, 4] } },
  { text: "* * * * mon-fri/2", rules: [], cron: "accepts", time: { daysOfWeek: [1, 3, 5] } },
  { text: "* * * * 0-6/1", rules: [], cron: "accepts", time: { daysOfWeek: ALL_DOW } },

  // ---- names: three letters, any case, in ranges, lists and with numbers
  { text: "* * * jan *", rules: [], cron: "accepts", time: { months: [1] } },
  { text: "* * * JAN *", rules: [], cron: "accepts", time: { text: "* * * jan *", months: [1] } },
  { text: "* * * Jan *", rules: [], cron: "accepts", time: { months: [1] } },
  { text: "* * * jAn *", rules: [], cron: "accepts", time: { months: [1] } },
  { text: "* * * dec *", rules: [], cron: "accepts", time: { months: [12] } },
  { text: "* * * jan-mar *", rules: [], cron: "accepts", time: { months: [1, 2, 3] } },
  { text: "* * * jan,jul,dec *", rules: [], cron: "accepts", time: { months: [1, 7, 12] } },
  { text: "* * * mar-6 *", rules: [], cron: "accepts", time: { months: [3, 4, 5, 6] } },
  { text: "* * * 2-apr,Oct *", rules: [], cron: "accepts", time: { months: [2, 3, 4, 10] } },
  { text: "* * * * mon", rules: [], cron: "accepts", time: { daysOfWeek: [1] } },
  { text: "* * * * MON-FRI", rules: [], cron: "accepts", time: { text: "* * * * mon-fri", daysOfWeek: [1, 2, 3, 4, 5] } },
  // Written in lower case because under tr_TR "I" does not fold to "i" in cron's strcasecmp()
  // (test/system/cron/names-locale.test.ts); in the C locale cron reads every case.
  { text: "0 0 * * FRI", rules: [], cron: "accepts", time: { text: "0 0 * * fri", daysOfWeek: [5] } },
  { text: "0 0 * * fRI", rules: [], cron: "accepts", time: { text: "0 0 * * fri", daysOfWeek: [5] } },
  { text: "0\t0 1 Jan-MAR,Oct Sun,FRI-sat", rules: [OR], cron: "accepts",
    time: { text: "0 0 1 jan-mar,oct sun,fri-sat", months: [1, 2, 3, 10], daysOfWeek: [0, 5, 6] } },
  { text: "* * * * sun-sat", rules: [], cron: "accepts", time: { daysOfWeek: ALL_DOW } },
  { text: "* * * * sun,sat", rules: [], cron: "accepts", time: { daysOfWeek: [0, 6] } },
  { text: "* * * * Sun", rules: [], cron: "accepts", time: { daysOfWeek: [0] } },
  { text: "* * * * sat-7", rules: [], cron: "accepts", time: { daysOfWeek: [0, 6] } },
  { text: "* * * * SAT,sun", rules: [], cron: "accepts", time: { daysOfWeek: [0, 6] } },
  { text: "* * * * thu-sat", rules: [], cron: "accepts", time: { daysOfWeek: [4, 5, 6] } },
  { text: "* * * * 1-wed", rules: [], cron: "accepts", time: { daysOfWeek: [1, 2, 3] } },

  // ---- blanks and tabs between fields are normalised
  { text: "0  0 * *\t*", rules: [], cron: "accepts", time: { text: "0 0 * * *", minutes: [0], hours: [0] } },
  { text: "*\t*\t*\t*\t*", rules: [], cron: "accepts", time: { text: "* * * * *" } },
  { text: "0\t60 * *\t*", rules: [E], at: [2], cron: "rejects" },
  { text: "15   4  *  *   mon", rules: [], cron: "accepts", time: { text: "15 4 * * mon", daysOfWeek: [1] } },

  // ---- @ keywords, filled as Debian's entry.c does
  { text: "@reboot", rules: [REBOOT], cron: "accepts",
    time: { keyword: "@reboot", reboot: true, minutes: [], hours: [], daysOfMonth: [], months: [], daysOfWeek: [] },
    says: ["only once per boot", "not when the package is installed"] },
  { text: "@yearly", rules: [], cron: "accepts",
    time: { keyword: "@yearly", reboot: false, minutes: [0], hours: [0], daysOfMonth: [1], months: [1], daysOfWeek: ALL_DOW,
      domStar: false, dowStar: true } },
  { text: "@annually", rules: [], cron: "accepts",
    time: { keyword: "@annually", minutes: [0], hours: [0], daysOfMonth: [1], months: [1], dowStar: true } },
  { text: "@monthly", rules: [], cron: "accepts",
    time: { minutes: [0], hours: [0], daysOfMonth: [1], months: ALL_MONTH, daysOfWeek: ALL_DOW, domStar: false,
      dowStar: true } },
  { text: "@weekly", rules: [], cron: "accepts",
    time: { minutes: [0], hours: [0], daysOfMonth: ALL_DOM, months: ALL_MONTH, daysOfWeek: [0], domStar: true,
      dowStar: false } },
  { text: "@daily", rules: [], cron: "accepts",
    time: { text: "@daily", keyword: "@daily", minutes: [0], hours: [0], daysOfMonth: ALL_DOM, months: ALL_MONTH,
      daysOfWeek: ALL_DOW, domStar: false, dowStar: false } },
  { text: "@midnight", rules: [], cron: "accepts", time: { keyword: "@midnight", minutes: [0], hours: [0] } },
  { text: "@hourly", rules: [], cron: "accepts",
    time: { minutes: [0], hours: ALL_HOUR, daysOfMonth: ALL_DOM, months: ALL_MONTH, daysOfWeek: ALL_DOW,
      domStar: false, dowStar: false } },
  { text: "@Daily", rules: [E], at: [0], cron: "rejects", says: ["@ keywords are lower case", `write "@daily"`] },
  { text: "@DAILY", rules: [E], at: [0], cron: "rejects", says: [`write "@daily"`] },
  { text: "@Reboot", rules: [E], at: [0], cron: "rejects", says: [`write "@reboot"`] },
  { text: "@HOURLY", rules: [E], at: [0], cron: "rejects" },
  { text: "@every 5m", rules: [E], at: [0], cron: "rejects", says: ["not supported by cron", `"*/5 * * * *"`] },
  { text: "@every 1h", rules: [E], at: [0], cron: "rejects", says: [`"0 * * * *"`] },
  { text: "@every 6h", rules: [E], at: [0], cron: "rejects", says: [`"0 */6 * * *"`] },
  { text: "@every 90s", rules: [E], at: [0], cron: "rejects", says: ["five fields"] },
  { text: "@every", rules: [E], at: [0], cron: "rejects" },
  { text: "@foo", rules: [E], at: [0], cron: "rejects", says: ["not a cron keyword", "@daily"] },
  { text: "@", rules: [E], at: [0], cron: "rejects" },
  { text: "@daily 3", rules: [E], at: [7], cron: "accepts", says: ["nothing may follow an @ keyword", `"@daily"`] },
  { text: "@reboot now", rules: [E], at: [8], cron: "accepts" },
  { text: "@hourly * * * * *", rules: [E], at: [8], cron: "rejects" },
  { text: "@Weekly extra", rules: [E, E], at: [0, 8], cron: "rejects" },
  { text: "@ daily", rules: [E], at: [0], cron: "rejects", says: [`write "@daily"`] },
  { text: "@ foo", rules: [E, E], at: [0, 2], cron: "rejects" },
  { text: "@daily,@hourly", rules: [E], at: [0], cron: "rejects" },
  { text: "0 0 * * @daily", rules: [E], at: [8], cron: "rejects", says: ["replaces all five fields"] },

  // ---- a step needs a range (Debian's patch to get_range)
  { text: "1/20 * * * *", rules: [E], at: [0], cron: "rejects",
    says: [`"1/20": a step needs a range; write "1-59/20" or "*/20"`] },
  { text: "* 1/2 * * *", rules: [E], at: [2], cron: "rejects", says: [`"1-23/2"`] },
  { text: "* * 5/5 * *", rules: [E], at: [4], cron: "rejects" },
  { text: "* * * jan/2 *", rules: [E], at: [6], cron: "rejects", says: [`"jan-dec/2"`] },
  { text: "* * * * mon/2", rules: [E], at: [8], cron: "rejects", says: [`"mon-sat/2"`] },
  { text: "0/15 * * * *", rules: [E], at: [0], cron: "rejects", says: [`"0-59/15" or "*/15"`] },

  // ---- step 0, missing steps, names and junk as steps
  { text: "*/0 * * * *", rules: [E], at: [2], cron: "rejects", says: ["step 0"] },
  { text: "0-59/0 * * * *", rules: [E], at: [5], cron: "rejects" },
  { text: "* * * * */0", rules: [E], at: [10], cron: "rejects" },
  { text: "*/ * * * *", rules: [E], at: [1], cron: "rejects", says: ["a step needs a number"] },
  { text: "*/-5 * * * *", rules: [E], at: [1], cron: "rejects" },
  { text: "*/mon * * * *", rules: [E], at: [2], cron: "rejects", says: ["names cannot be steps"] },
  { text: "* * * */jan *", rules: [E], at: [8], cron: "rejects", says: ["names cannot be steps"] },
  { text: "* * * * */sun", rules: [E], at: [10], cron: "rejects", says: ["names cannot be steps"] },
  { text: "*/5m * * * *", rules: [E], at: [2], cron: "rejects" },

  // ---- steps larger than the field's range (59, 23, 30, 11, 7): never a second value, and
  // once the start plus the step passes 2147483647 cron's int counter wraps and it rejects
  { text: "*/59 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 59] } },
  { text: "*/60 * * * *", rules: [E], at: [2], cron: "accepts",
    says: [`"*/60": step 60 is larger than the minute field's range (0-59)`, "would match only minute 0", `write "0"`, "at most 59"] },
  { text: "*/61 * * * *", rules: [E], at: [2], cron: "accepts" },
  { text: "*/100 * * * *", rules: [E], at: [2], cron: "accepts" },
  { text: "0 */24 * * *", rules: [E], at: [4], cron: "accepts", says: ["hour field's range (0-23)", "at most 23"] },
  { text: "0 0 */31 * *", rules: [E], at: [6], cron: "accepts", says: ["day-of-month field's range (1-31)", `write "1"`, "at most 30"] },
  { text: "0 0 */32 * *", rules: [E], at: [6], cron: "accepts" },
  { text: "0 0 1 */12 *", rules: [E], at: [8], cron: "accepts", says: ["month field's range (1-12)", "at most 11"] },
  { text: "0 0 * * */8", rules: [E], at: [10], cron: "accepts", says: ["day-of-week field's range (0-7)", "at most 7"] },
  { text: "0 0 * * mon-fri/8", rules: [E], at: [16], cron: "accepts", says: [`write "mon"`] },
  { text: "0,*/60 * * * *", rules: [E], at: [4], cron: "accepts" },
  { text: "*/60 */24 * * *", rules: [E, E], at: [2, 7], cron: "accepts" },
  { text: "10-5/100 * * * *", rules: [E, E], at: [0, 5], cron: "accepts", says: ["reversed range"] },
  { text: "*/2147483647 * * * *", rules: [E], at: [2], cron: "accepts", says: ["would match only minute 0"] },
  { text: "*/2147483646 * * * *", rules: [E], at: [2], cron: "accepts" },
  { text: "* * */2147483647 * *", rules: [E], at: [6], cron: "rejects",
    says: ["1 + 2147483647 overflows cron's int counter", "rejects the line", `write "1"`] },
  { text: "* * */2147483646 * *", rules: [E], at: [6], cron: "accepts" },
  { text: "1-5/2147483647 * * * *", rules: [E], at: [4], cron: "rejects", says: [`write "1"`] },
  { text: "58-59/2147483600 * * * *", rules: [E], at: [6], cron: "rejects", says: ["58 + 2147483600 overflows"] },
  { text: "58-59/2147483589 * * * *", rules: [E], at: [6], cron: "accepts", says: ["would match only minute 58"] },
  { text: "58-59/2147483590 * * * *", rules: [E], at: [6], cron: "rejects" },
  { text: "* 23/2147483625 * * *", rules: [E], at: [2], cron: "rejects", says: ["a step needs a range"] },
  { text: "* 23-23/2147483624 * * *", rules: [E], at: [8], cron: "accepts" },
  { text: "* 23-23/2147483625 * * *", rules: [E], at: [8], cron: "rejects" },
  { text: "* * * */2147483646 *", rules: [E], at: [8], cron: "accepts" },
  { text: "* * * */2147483647 *", rules: [E], at: [8], cron: "rejects" },
  { text: "* * * * */2147483647", rules: [E], at: [10], cron: "accepts" },
  { text: "* * * * 7-7/2147483640", rules: [E], at: [12], cron: "accepts" },
  { text: "* * * * 7-7/2147483641", rules: [E], at: [12], cron: "rejects" },
  // atoi() keeps the low 32 bits: 2^31 reads as a negative step, 2^32 + 1 as step 1
  { text: "*/2147483648 * * * *", rules: [E], at: [2], cron: "rejects", says: ["reads 2147483648 as -2147483648"] },
  { text: "*/4294967296 * * * *", rules: [E], at: [2], cron: "rejects", says: ["reads 4294967296 as 0"] },
  { text: "*/4294967297 * * * *", rules: [E], at: [2], cron: "accepts", says: [`cron would read "*/1"`] },
  { text: "*/4294967356 * * * *", rules: [E], at: [2], cron: "accepts", says: ["would match only minute 0"] },
  { text: "*/" + "0".repeat(997) + "60 * * * *", rules: [E], at: [2], cron: "accepts", says: ["would match only minute 0"] },
  { text: "*/" + "0".repeat(998) + "60 * * * *", rules: [E], at: [2], cron: "rejects", says: ["more than 999 characters"] },
  { text: "*/" + "0".repeat(997) + "59 * * * *", rules: [], cron: "accepts", time: { minutes: [0, 59] } },
  // values wrap the same way: cron silently reads 4294967296 as 0
  { text: "4294967296 * * * *", rules: [E], at: [0], cron: "accepts", says: ["out of range", "silently read it as 0"] },
  { text: "4294967301 * * * *", rules: [E], at: [0], cron: "accepts", says: ["read it as 5"] },
  { text: "0-4294967296 * * * *", rules: [E], at: [2], cron: "accepts" },
  { text: "* * * * 4294967303", rules: [E], at: [8], cron: "accepts", says: ["read it as 7"] },
  { text: "9223372036854775807 * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "99999999999999999999 * * * *", rules: [E], at: [0], cron: "rejects" },

  // ---- empty list items
  { text: "1,,2 * * * *", rules: [E], at: [1], cron: "rejects", says: ["empty item", `write "1,2"`] },
  { text: "1, * * * *", rules: [E], at: [1], cron: "rejects" },
  { text: ",1 * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "* * * * ,", rules: [E], at: [8], cron: "rejects" },
  { text: "0 1,,,2 * * *", rules: [E, E], at: [3, 4], cron: "rejects" },
  { text: "* * 1,2, * *", rules: [E], at: [7], cron: "rejects" },

  // ---- trailing junk after a valid token: cron silently drops it
  { text: "1#2 * * * *", rules: [E], at: [1], cron: "accepts", says: [`"#"`, `read "1"`] },
  { text: "* * * * 5#3", rules: [E], at: [9], cron: "accepts", says: ["nth weekday"] },
  { text: "* * * * fri#1", rules: [E], at: [11], cron: "accepts" },
  { text: "5? * * * *", rules: [E], at: [1], cron: "accepts", says: [`write "5"`] },
  { text: "*5 * * * *", rules: [E], at: [1], cron: "accepts", says: [`write "*"`] },
  { text: "1-5-7 * * * *", rules: [E], at: [3], cron: "accepts" },
  { text: "*/5/2 * * * *", rules: [E], at: [3], cron: "accepts" },
  { text: "*-5 * * * *", rules: [E], at: [1], cron: "accepts" },
  { text: "0.5 * * * *", rules: [E], at: [1], cron: "accepts" },
  { text: "*/1.5 * * * *", rules: [E], at: [3], cron: "accepts" },
  { text: "0 0 * * 1;2", rules: [E], at: [9], cron: "accepts" },
  { text: "0 0 * * 1|2", rules: [E], at: [9], cron: "accepts" },
  { text: "0 0 1-5? * *", rules: [E], at: [7], cron: "accepts" },
  { text: "*L * * * *", rules: [E], at: [1], cron: "accepts" },

  // ---- Quartz / Jenkins syntax: L W ? # H
  { text: "0 0 L * *", rules: [E], at: [4], cron: "rejects", says: [`"L"`, "Quartz"] },
  { text: "0 0 LW * *", rules: [E], at: [4], cron: "rejects" },
  { text: "0 0 15W * *", rules: [E], at: [4], cron: "rejects", says: ["nearest weekday"] },
  { text: "0 0 W * *", rules: [E], at: [4], cron: "rejects" },
  { text: "0 0 * * 5L", rules: [E], at: [8], cron: "rejects" },
  { text: "0 0 L-3 * *", rules: [E], at: [4], cron: "rejects" },
  { text: "? * * * *", rules: [E], at: [0], cron: "rejects", says: [`write "*"`] },
  { text: "0 0 ? * mon", rules: [E], at: [4], cron: "rejects" },
  { text: "0 0 * * ?", rules: [E], at: [8], cron: "rejects" },
  { text: "0 0 * * #2", rules: [E], at: [8], cron: "rejects" },
  { text: "H * * * *", rules: [E], at: [0], cron: "rejects", says: ["Jenkins"] },
  { text: "H/15 * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "H(0-29) * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "0 H * * *", rules: [E], at: [2], cron: "rejects" },

  // ---- full names, names in the wrong field, words that are not numbers
  { text: "0 0 * * sunday", rules: [E], at: [8], cron: "rejects", says: [`"sunday": names are three letters; write "sun"`] },
  { text: "0 0 * * Monday", rules: [E], at: [8], cron: "rejects", says: [`write "mon"`] },
  { text: "0 0 * * tues", rules: [E], at: [8], cron: "rejects", says: [`write "tue"`] },
  { text: "0 0 * * thurs", rules: [E], at: [8], cron: "rejects", says: [`write "thu"`] },
  { text: "0 0 * * mon-friday", rules: [E], at: [12], cron: "rejects", says: [`write "fri"`] },
  { text: "0 0 1 january *", rules: [E], at: [6], cron: "rejects", says: [`write "jan"`] },
  { text: "0 0 1 Sept *", rules: [E], at: [6], cron: "rejects", says: [`write "sep"`] },
  { text: "0 0 1 DECEMBER *", rules: [E], at: [6], cron: "rejects", says: [`write "dec"`] },
  { text: "mon * * * *", rules: [E], at: [0], cron: "rejects", says: ["only in the month and day-of-week fields"] },
  { text: "* jan * * *", rules: [E], at: [2], cron: "rejects" },
  { text: "* * mon * *", rules: [E], at: [4], cron: "rejects" },
  { text: "* * * mon *", rules: [E], at: [6], cron: "rejects", says: ["weekday name in the month field"] },
  { text: "* * * * jan", rules: [E], at: [8], cron: "rejects", says: ["month name in the day-of-week field"] },
  { text: "abc * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "5m * * * *", rules: [E], at: [0], cron: "rejects", says: ["not a number"] },
  { text: "0 10pm * * *", rules: [E], at: [2], cron: "rejects" },
  { text: "-5 * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "5- * * * *", rules: [E], at: [1], cron: "rejects", says: ["a range needs an end"] },
  { text: "/5 * * * *", rules: [E], at: [0], cron: "rejects", says: [`write "*/5"`] },
  { text: "+5 * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "1-jan * * * *", rules: [E], at: [2], cron: "rejects" },

  // ---- reversed ranges: cron accepts them and matches nothing
  { text: "10-5 * * * *", rules: [E], at: [0], cron: "accepts",
    says: ["reversed range", `"5-10"`, `"10-59,0-5"`] },
  { text: "* 22-2 * * *", rules: [E], at: [2], cron: "accepts", says: [`"2-22"`, `"22-23,0-2"`] },
  { text: "* * 31-1 * *", rules: [E], at: [4], cron: "accepts" },
  { text: "* * * dec-jan *", rules: [E], at: [6], cron: "accepts", says: [`"jan-dec"`, `"dec,jan"`] },
  { text: "* * * nov-feb *", rules: [E], at: [6], cron: "accepts", says: [`"nov-dec,jan-feb"`] },
  { text: "* * * * sat-sun", rules: [E], at: [8], cron: "accepts", says: [`"sat-7"`] },
  { text: "* * * * fri-mon", rules: [E], at: [8], cron: "accepts", says: [`"fri-sat,sun-mon"`] },
  { text: "* * * * mon-sun", rules: [E], at: [8], cron: "accepts", says: [`"mon-7"`] },
  { text: "* * * * 6-0", rules: [E], at: [8], cron: "accepts", says: [`"6-7"`] },
  { text: "* * * * 5-1", rules: [E], at: [8], cron: "accepts", says: [`"5-7,1"`] },
  { text: "10-5/2 * * * *", rules: [E], at: [0], cron: "accepts" },
  { text: "0,10-5 * * * *", rules: [E], at: [2], cron: "accepts" },

  // ---- seconds and year fields, missing fields
  { text: "0 */5 * * * *", rules: [E], at: [0], cron: "rejects",
    says: ["seconds", "cron has five fields: minute hour day-of-month month day-of-week", `write "*/5 * * * *"`] },
  { text: "*/30 * * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "0 0 1 1 * 2030", rules: [E], at: [10], cron: "accepts",
    says: ["year", "cron has five fields: minute hour day-of-month month day-of-week"] },
  { text: "0 0 12 * * ? 2030", rules: [E, E, E], at: [0, 11, 13], cron: "accepts" },
  { text: "0 15 10 ? * MON-FRI", rules: [E, E], at: [0, 8], cron: "rejects" },
  { text: "* * * * * * * *", rules: [E], at: [10], cron: "rejects" },
  { text: "* * * *", rules: [E], at: [0], cron: "rejects", says: ["five fields", `"* * * * *"`] },
  { text: "0 3", rules: [E], at: [0], cron: "rejects" },
  { text: "*", rules: [E], at: [0], cron: "rejects" },
  { text: "", rules: [E], at: [0], cron: "rejects", says: ["empty"] },
  { text: "1".repeat(100) + " * * * *", rules: [E], at: [0], cron: "rejects" },
  { text: "0".repeat(98) + "5 * * * *", rules: [], cron: "accepts", time: { minutes: [5] } },
  // Debian's MAX_TEMPSTR is 1000: a number of 999 characters is read, one of 1000 is not
  { text: "0".repeat(998) + "5 * * * *", rules: [], cron: "accepts", time: { minutes: [5] } },
  { text: "* * " + "0".repeat(998) + "5 * *", rules: [], cron: "accepts", time: { daysOfMonth: [5] } },
  { text: "0".repeat(999) + "5 * * * *", rules: [E], at: [0], cron: "rejects", says: ["at most 999 characters"] },

  // ---- several errors in one time: all are reported
  { text: "1/2 * * * sunday", rules: [E, E], at: [0, 10], cron: "rejects" },
  { text: "60 * 0 jan-foo *", rules: [E, E, E], at: [0, 5, 11], cron: "rejects" },
  { text: "*/0 L ? 13 8", rules: [E, E, E, E, E], at: [2, 4, 6, 8, 11], cron: "rejects" },

  // ---- cron-time-once: a step within the field's range that reaches past its item's range
  { text: "0 0 * * */7", rules: [ONCE], cron: "accepts", time: { daysOfWeek: [0] }, says: ["Sunday"] },
  { text: "0 0 * * 0-7/7", rules: [ONCE], cron: "accepts", time: { daysOfWeek: [0] } },
  { text: "0-30/31 * * * *", rules: [ONCE], cron: "accepts", time: { minutes: [0] }, says: [`"0-30/31" matches only minute 0`] },
  { text: "10-20/15 * * * *", rules: [ONCE], cron: "accepts", time: { minutes: [10] }, says: [`write "10"`] },
  { text: "10-10/1 * * * *", rules: [ONCE], cron: "accepts", time: { minutes: [10] } },
  { text: "0 20-23/12 * * *", rules: [ONCE], cron: "accepts", time: { hours: [20] }, says: ["next day"] },
  { text: "0 0 25-31/10 * *", rules: [ONCE], cron: "accepts", time: { daysOfMonth: [25], domStar: false } },
  { text: "0 0 1 nov-dec/6 *", rules: [ONCE], cron: "accepts", time: { months: [11] } },
  { text: "0,50-59/30 * * * *", rules: [ONCE], cron: "accepts", time: { minutes: [0, 50] } },
  { text: "50-59/59 20-23/23 * * *", rules: [ONCE, ONCE], cron: "accepts" },

  // ---- cron-time-never: an AND day rule with no existing date (Feb 29 does exist)
  { text: "0 0 31 2 *", rules: [NEVER], cron: "accepts", says: ["never runs", "February"] },
  { text: "0 0 30 2 *", rules: [NEVER], cron: "accepts" },
  { text: "0 0 30,31 2 *", rules: [NEVER], cron: "accepts" },
  { text: "0 0 30-31 feb *", rules: [NEVER], cron: "accepts" },
  { text: "0 0 31 4,6,9,11 *", rules: [NEVER], cron: "accepts", says: ["April, June, September or November"] },
  { text: "0 0 31 apr,jun *", rules: [NEVER], cron: "accepts" },
  { text: "0 0 31 2 */1", rules: [NEVER], cron: "accepts" },
  { text: "0 0 31 2 */7", rules: [NEVER, ONCE], cron: "accepts" },
  { text: "0 0 29 2 *", rules: [], cron: "accepts", time: { daysOfMonth: [29], months: [2] } },
  { text: "0 0 31 2,3 *", rules: [], cron: "accepts" },
  { text: "0 0 31 4-6 *", rules: [], cron: "accepts" },
  { text: "0 0 31 */2 *", rules: [], cron: "accepts", time: { months: [1, 3, 5, 7, 9, 11] } },
  { text: "0 0 */30 2 *", rules: [], cron: "accepts", time: { daysOfMonth: [1, 31] } },
  // Both day fields restricted: cron ORs them, so the weekday makes it fire.
  { text: "0 0 31 2 sun", rules: [OR], cron: "accepts" },
  { text: "0 0 30 2 1-5", rules: [OR], cron: "accepts" },
  // DOM starts with "*": AND, and Feb 1 is a Sunday in some years.
  { text: "0 0 */30 2 sun", rules: [], cron: "accepts",
    time: { daysOfMonth: [1, 31], months: [2], daysOfWeek: [0], domStar: true, dowStar: false } },

  // ---- cron-day-or: both day fields restricted
  { text: "0 0 13 * fri", rules: [OR], cron: "accepts", time: { domStar: false, dowStar: false },
    says: ["OR", "cannot express AND", "in the script"] },
  { text: "0 0 13 * * ", rules: [], cron: "accepts", time: { text: "0 0 13 * *", domStar: false, dowStar: true } },
  { text: "0 0 1-31 * 1", rules: [OR], cron: "accepts", says: ["every day"] },
  { text: "0 0 1 * 0-6", rules: [OR], cron: "accepts", says: ["every day"] },
  { text: "0 0 1,15 * mon", rules: [OR], cron: "accepts" },
  { text: "0 0 1,* * mon", rules: [OR], cron: "accepts", time: { daysOfMonth: ALL_DOM, domStar: false } },
  { text: "59 23 31 12 7", rules: [OR], cron: "accepts", time: { daysOfWeek: [0] } },
  { text: "0 0 1 1 0", rules: [OR], cron: "accepts" },
  { text: "0 0 */2 * 1", rules: [], cron: "accepts", time: { domStar: true, dowStar: false } },
  { text: "0 0 1 * */2", rules: [], cron: "accepts", time: { domStar: false, dowStar: true } },
  { text: "0 0 1-7 * mon", rules: [OR], cron: "accepts" },
];

// ---- checks shared by the table test and the property test

const BOUNDS: Record<"minutes" | "hours" | "daysOfMonth" | "months" | "daysOfWeek", [number, number]> = {
  minutes: [0, 59],
  hours: [0, 23],
  daysOfMonth: [1, 31],
  months: [1, 12],
  daysOfWeek: [0, 6],
};

/** Invariants every result must keep, whatever the input. */
export function assertWellFormed(text: string, result: CronTimeResult): void {
  const hasError = result.problems.some((p) => p.severity === "error");
  assert.equal(result.time !== undefined, !hasError, `time is present iff there is no error: ${JSON.stringify(text)}`);
  for (const p of result.problems) {
    assert.ok(p.offset >= 0 && p.offset <= text.length, `offset ${p.offset} within ${JSON.stringify(text)}`);
    assert.ok(p.length >= 0 && p.offset + p.length <= text.length, `span ${p.offset}+${p.length} within input`);
    assert.ok(p.message.length > 0, "message is not empty");
    assert.equal(p.severity === "error", p.rule === "cron-time-invalid", `${p.rule} has severity ${p.severity}`);
  }
  const time = result.time;
  if (time === undefined) return;
  assert.ok(!/[ \t]{2}|\t/.test(time.text), "normalised text has single spaces");
  for (const [key, [low, high]] of Object.entries(BOUNDS) as [keyof typeof BOUNDS, [number, number]][]) {
    const list = time[key];
    for (let i = 0; i < list.length; i += 1) {
      const v = list[i] ?? NaN;
      assert.ok(Number.isInteger(v) && v >= low && v <= high, `${key} value ${v} in ${low}-${high}`);
      if (i > 0) assert.ok(v > (list[i - 1] ?? NaN), `${key} sorted and unique`);
    }
    if (!time.reboot) assert.ok(list.length > 0, `${key} is never empty`);
  }
}

/** Debian's verdict on `<time> /bin/true` as a user crontab. */
export function crontabVerdict(dir: string, time: string): "accepts" | "rejects" {
  const file = join(dir, "crontab");
  writeFileSync(file, `${time} /bin/true\n`);
  const run = spawnSync("crontab", ["-n", file], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  if (run.error !== undefined) throw run.error;
  return run.status === 0 ? "accepts" : "rejects";
}
