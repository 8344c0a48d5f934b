// The table of H resolutions: a time with H forms, the job's identity (package and lock name),
// the zone of config `timezone` ("" for none) and the plain Debian time gen writes. The exact
// outputs pin the hash (docs/spread.md): a change to them moves jobs on every fleet that
// upgrades, so it must be deliberate. test/spread/spread.test.ts checks them with Debian's
// grammar, test/system/spread/crontab-h.test.ts with Debian's own `crontab -n`.

/** One row: input, package, lock name, zone, output. */
export type Resolution = readonly [input: string, pkg: string, lockname: string, zone: string, output: string];

export const RESOLUTIONS: readonly Resolution[] = [
  ["H * * * *", "shop-cron", "rotate-logs.sh", "", "0 * * * *"],
  ["H * * * *", "shop-cron", "rotate-logs.sh-full", "", "37 * * * *"],
  ["H * * * *", "shop-reports", "rotate-logs.sh", "", "25 * * * *"],
  ["H H * * *", "shop-cron", "purge-cache.sh", "", "29 3 * * *"],
  ["H H * * *", "shop-cron", "purge-cache.sh", "Europe/Berlin", "29 3 * * *"],
  ["H H(0-5) * * *", "shop-cron", "backup.sh", "", "11 2 * * *"],
  ["H H(0-5) * * *", "shop-cron", "backup.sh", "Europe/Berlin", "11 3 * * *"],
  ["H H(0-5) * * *", "shop-cron", "backup.sh", "America/New_York", "11 3 * * *"],
  ["H H(1-3) * * *", "shop-cron", "backup.sh", "Europe/London", "11 3 * * *"],
  ["H/15 * * * *", "shop-cron", "sync-orders.pl", "", "2-59/15 * * * *"],
  ["H(0-29)/10 * * * *", "shop-cron", "sync-orders.pl", "", "2-29/10 * * * *"],
  ["H H/6 * * *", "shop-cron", "reindex.js", "", "3 3-23/6 * * *"],
  ["H H/6 * * *", "shop-cron", "reindex.js", "Europe/Berlin", "3 3-23/6 * * *"],
  ["H(0-29),H(30-59) * * * *", "shop-cron", "poll.sh", "", "20,50 * * * *"],
  ["H 9-17 * * mon-fri", "shop-cron", "digest.py", "", "16 9-17 * * mon-fri"],
  ["H H H * *", "shop-cron", "monthly-export.mjs", "", "28 6 19 * *"],
  ["H H H(1-7) * *", "shop-cron", "first-week.sh", "", "58 8 7 * *"],
  ["H H * * H", "shop-cron", "weekly-report.py", "", "45 2 * * 1"],
  ["H H(6-8) * * H(mon-fri)", "shop-cron", "warm-cache.pl", "", "30 6 * * 2"],
  ["H 3 * * 0", "shop-cron", "rebuild-index.js", "", "56 3 * * 0"],
  ["H,30 */2 * * *", "shop-cron", "ping.sh", "", "23,30 */2 * * *"],
  ["H/20 H(8-18) * jan,jul *", "shop-cron", "season.sh", "", "18-59/20 9 * jan,jul *"],
  ["H\tH  * * *", "shop-cron", "tabs.sh", "", "22 21 * * *"],
  ["H/60 * * * *", "shop-cron", "once.sh", "", "16 * * * *"],
  ["H H(2-2) * * *", "shop-cron", "night.sh", "Europe/Berlin", "32 2 * * *"],
];

/** Malformed H forms: the time, the 0-based offset and length of the error, and the replacement the message offers. */
export const MALFORMED: ReadonlyArray<readonly [time: string, offset: number, length: number, fix: string]> = [
  ["H(70-80) * * * *", 0, 8, "H"],
  ["H(50-80) * * * *", 0, 8, "H(50-59)"],
  ["H/0 * * * *", 0, 3, "H"],
  ["0 H(2-2)/0 * * *", 2, 8, "H(2-2)"],
  ["H H * H *", 6, 1, "1"],
  ["h * * * *", 0, 1, "H"],
  ["h/15 * * * *", 0, 4, "H/15"],
  ["H5 * * * *", 0, 2, "H"],
  ["H-5 * * * *", 0, 3, "H(0-29)"],
  ["H(30-10) * * * *", 0, 8, "H(10-30)"],
  ["H(1) * * * *", 0, 4, "H(0-29)"],
  ["H(a-b) * * * *", 0, 6, "H(0-59)"],
  ["H/x * * * *", 0, 3, "H/15"],
  ["H H H(1-31) * *", 4, 7, "H"],
  ["H H H/2 * *", 4, 3, "H"],
  ["H H * * H/2", 8, 3, "H"],
  ["H H * * H(0-7)", 8, 6, "H(0-6)"],
  ["H H(20-30) * * *", 2, 8, "H(20-23)"],
  ["30 H,H(25-26) * * *", 5, 8, "H"],
];
