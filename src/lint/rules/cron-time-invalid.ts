import type { Rule } from "../rule.js";
import { reportTimeProblems } from "./time-problem.js";

export const cronTimeInvalid: Rule = {
  meta: {
    id: "cron-time-invalid",
    description: "A time that Debian's cron would reject or read differently.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details: "`time` is five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week 0-7 or sun-sat, 0 and 7 being Sunday) made of `*`, `*/STEP`, `N`, `A-B`, `A-B/STEP` and comma lists, or one of `@reboot @yearly @annually @monthly @weekly @daily @midnight @hourly` in lower case. Seconds or year fields, `L W ? #`, `H` other than the H forms of docs/spread.md (and malformed H forms such as `H(70-80)` or `H/0`), `@every`, full day or month names, a step after a single value (`1/20`), step 0, a step larger than its field's range (`*/60` minutes, `*/24` hours, `*/31` days, `*/12` months, `*/8` weekdays), out-of-range values, empty list items, trailing junk and reversed ranges are errors: cron rejects such a line (and Debian's cron then ignores the whole cron.d file) or silently reads something else. The message says what to write instead; see docs/time-grammar.md.",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * MON-FRI#2\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * mon-fri\n</crontab>",
    },
  },
  check(context, report) {
    reportTimeProblems(context, "cron-time-invalid", report);
  },
};
