import { atSection, type Rule } from "../rule.js";

// The script path is written unquoted on the cron line and in the `[ -x ... ]` guard.
const SAFE_PATH = /^(\/[A-Za-z0-9._+@=:,-]+)+$/;
/** A `.` or `..` segment (one test instead of splitting the path twice). */
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

export const scriptPathInvalid: Rule = {
  meta: {
    id: "script-path-invalid",
    description: "An installed script path that cannot be written safely on the cron line.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "The installed path (from debian/*.install, else `installDir` + the file name) is written unquoted on the cron line, so it may only contain letters, digits and `. _ + @ = : , -` between slashes, and no `..` component. Rename the script or its install directory.",
      bad: "# file: bin/nightly report.pl\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
      good: "# file: bin/nightly-report.pl\n<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const path = facts.scriptPath;
      if (!SAFE_PATH.test(path) || DOT_SEGMENT.test(path)) {
        report(atSection(facts, `installed path "${path}" cannot be written safely on a cron line; rename the script or its install directory`));
      }
    }
  },
};
