import { atValue, type Rule } from "../rule.js";

export const cronHashDst: Rule = {
  meta: {
    id: "cron-hash-dst",
    description: "An `H` hour whose every choice lies in hours that daylight saving skips or repeats in config `timezone`.",
    defaultSeverity: "warning",
    fatal: false,
    docs: {
      details:
        "An `H` hour never lands in a local hour that a daylight-saving change skips or repeats in the zone of config `timezone` (in Europe/Berlin 02:00-02:59), because on those days Debian's cron starts such a job late (spring) or only once (autumn), and its expected start would be wrong. When every hour the range allows is such an hour (`H(2-2)`, or a step that always meets one), H has to use it, and this rule says so with a wider range that avoids them. Without config `timezone` no hour is avoided and this rule has nothing to report.",
      bad: "# config: \"timezone\": \"Europe/Berlin\"\n<crontab>\n    package: my-project-scripts1\n    time: H H(2-2) * * *\n</crontab>",
      good: "# config: \"timezone\": \"Europe/Berlin\"\n<crontab>\n    package: my-project-scripts1\n    time: H H(2-3) * * *\n</crontab>",
    },
  },
  check(context, report) {
    for (const facts of context.sections) {
      const entry = facts.values.time;
      if (entry === undefined || facts.spread === undefined || facts.time?.time === undefined) continue;
      for (const w of facts.spread.final.dstWarnings) report(atValue(facts, entry, w.message, w.offset, w.length));
    }
  },
};
