import { atValue, type Rule } from "../rule.js";
import { CONTROL_CHARACTER, codePointLabel } from "../../syntax/control.js";
import { ALERT_AFTER_RULE, DURATION_RULE, durationProblem, durationSuggestion, parseAlertAfter } from "../../syntax/duration.js";
import { CONCURRENCY_POLICIES, CONCURRENCY_RULE, isConcurrency } from "../../syntax/concurrency.js";
import { closest } from "../../jobs/keys.js";

/** Words people write for a policy, and the policy they mean. */
const CONCURRENCY_WORDS: Readonly<Record<string, string>> = { skip: "forbid", no: "forbid", never: "forbid", yes: "allow", parallel: "allow", overlap: "allow", kill: "replace", restart: "replace" };

export const metadataValueInvalid: Rule = {
  meta: {
    id: "metadata-value-invalid",
    description: "A `lock` other than yes/no, a `concurrency` other than forbid/allow/replace, a `lockname` without a lock, a `timeout`, `wait` or `grace` that is not a duration, an `alert-after` that is not a count, or a control character in a value.",
    defaultSeverity: "error",
    fatal: true,
    docs: {
      details:
        "`lock` is `yes` (the default) or `no`. " +
        `\`concurrency\` is ${CONCURRENCY_RULE}. ` +
        "A `lockname` together with `lock: no` or `concurrency: allow` contradicts itself. " +
        `\`wait\`, the longest a run waits for its lock or its leases (switchman's \`--wait\`), is ${DURATION_RULE}. ` +
        `\`timeout\` is the job's time limit, written on the cron line as switchman's \`--timeout\`: ${DURATION_RULE}; ` +
        "switchman stops the job when it runs longer (SIGTERM to its process group, SIGKILL after `termination_timeout`) and exits 124. " +
        "It needs the switchman wrapper (config `switchman` not `false`). " +
        `\`grace\` (how long after its slot a start still counts as on time, for \`cronmeta monitor\`) is a duration too; ` +
        `\`alert-after\` (consecutive failures before the monitor alerts) is ${ALERT_AFTER_RULE}. ` +
        "No value may contain a control character (it could break the cron.d line or the comment above it).",
      bad: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lock: false\n    timeout: 2 hours\n</crontab>\n<crontab>\n    package: my-project-scripts1\n    time: 0 4 * * *\n    concurrency: skip\n    wait: 10 minutes\n</crontab>",
      good: "<crontab>\n    package: my-project-scripts1\n    time: 0 3 * * *\n    lock: no\n    timeout: 2h\n</crontab>\n<crontab>\n    package: my-project-scripts1\n    time: 0 4 * * *\n    concurrency: forbid\n    wait: 10m\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const lock = facts.values.lock;
      if (lock !== undefined && facts.lock === undefined) {
        report(atValue(facts, lock, `lock must be "yes" or "no", not "${lock.value}"`));
      }
      const concurrency = facts.values.concurrency;
      if (concurrency !== undefined && !isConcurrency(concurrency.value)) {
        const word = concurrency.value.trim().toLowerCase();
        const suggestion = isConcurrency(word) ? word : (CONCURRENCY_WORDS[word] ?? closest(word, CONCURRENCY_POLICIES));
        report(atValue(facts, concurrency, `concurrency must be ${CONCURRENCY_RULE}, not "${concurrency.value}"${suggestion === undefined ? "" : `; write "${suggestion}"`}`));
      }
      const lockname = facts.values.lockname;
      if (lockname !== undefined && facts.lock === false) {
        const why = facts.values.lock?.value === "no" ? '"lock: no"' : '"concurrency: allow"';
        report(atValue(facts, lockname, `lockname has no effect with ${why} (no lock is taken); remove one of them`));
      }
      const wait = facts.values.wait;
      if (wait !== undefined) {
        const problem = durationProblem(wait.value);
        if (problem !== undefined) {
          const suggestion = durationSuggestion(wait.value);
          report(atValue(facts, wait, `wait "${wait.value}" ${problem}${suggestion === undefined ? "" : `; write "${suggestion}"`}`));
        }
      }
      const timeout = facts.values.timeout;
      if (timeout !== undefined) {
        const problem = durationProblem(timeout.value);
        if (problem !== undefined) {
          const suggestion = durationSuggestion(timeout.value);
          report(atValue(facts, timeout, `timeout "${timeout.value}" ${problem}${suggestion === undefined ? "" : `; write "${suggestion}"`}`));
        } else if (context.config.switchman === false) {
          report(atValue(facts, timeout, 'timeout needs the switchman wrapper, which stops the job at its limit, but config "switchman" is false: remove timeout or turn switchman on'));
        }
      }
      const grace = facts.values.grace;
      if (grace !== undefined) {
        const problem = durationProblem(grace.value);
        if (problem !== undefined) {
          const suggestion = durationSuggestion(grace.value);
          report(atValue(facts, grace, `grace "${grace.value}" ${problem}${suggestion === undefined ? "" : `; write "${suggestion}"`}`));
        }
      }
      const alertAfter = facts.values["alert-after"];
      if (alertAfter !== undefined && parseAlertAfter(alertAfter.value) === undefined) {
        const whole = /^\s*0*([1-9][0-9]*)\s*(?:times?|failures?)?\s*$/i.exec(alertAfter.value)?.[1];
        const suggestion = whole !== undefined && parseAlertAfter(whole) !== undefined ? whole : undefined;
        report(atValue(facts, alertAfter, `alert-after "${alertAfter.value}" is not ${ALERT_AFTER_RULE}${suggestion === undefined ? "" : `; write "${suggestion}"`}`));
      }
      for (const entry of Object.values(facts.values)) {
        if (entry.key === "time" || entry.key === "params") continue; // their own rules say more
        // Values end up on a cron.d line or the comment above it, and must stay on that line.
        const bad = CONTROL_CHARACTER.exec(entry.value);
        if (bad) {
          report(atValue(facts, entry, `${entry.key} contains a control character (${codePointLabel(bad[0])})`, bad.index, 1));
        }
      }
    }
  },
};
