import { IGNORES_FILE, type CheckRule } from "../rule.js";

/**
 * load_user() reads settings and jobs while LineNumber < MAX_TAB_LINES + NHEADER_LINES + 2
 * (10000 + 3 + 2) and ignores the file when a setting or job ends at or past that line.
 */
export const LAST_READ_LINE = 10_003;

/** 10003 -> "10,003". Not toLocaleString("en"): that loads ICU's number formats, about 15 ms and 7 MB of every cronmeta start (issue 14). */
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ",");

export const crontabTooManyLines: CheckRule = {
  meta: {
    id: "crontab-too-many-lines",
    description: `A setting or job after line ${thousands(LAST_READ_LINE)}: cron ignores the whole file.`,
    defaultSeverity: "error",
    fatal: false,
    docs: {
      details: `Debian's cron refuses crontabs longer than 10,000 lines ("crontab must not be longer than 10000 lines, this crontab file will be ignored"); to be exact, it ignores the file when a setting or job line ends after line ${thousands(LAST_READ_LINE)} (comments and blank lines after that are harmless). Split the jobs over several files in /etc/cron.d. (Checked by \`cronmeta check\`.)`,
      bad: `# /etc/cron.d/everything: ${thousands(LAST_READ_LINE + 1)} lines\n…\n0 3 * * * root /usr/local/bin/last-job`,
      good: "# /etc/cron.d/reports and /etc/cron.d/cleanup: a few thousand lines each",
    },
  },
  check(file, report) {
    const entry = file.text.entries.find((e) => e.line > LAST_READ_LINE);
    if (entry === undefined) return;
    report({ line: entry.line, column: entry.start + 1, message: `this ${entry.kind === "env" ? "setting" : "job"} is on line ${entry.line}; cron reads no line after ${LAST_READ_LINE} and ${IGNORES_FILE} ("crontab must not be longer than 10000 lines"): split the file` });
  },
};
