#!/usr/bin/node
/**
 * Exports last month's statistics to a file named after the month.
 * The `%` in the parameters is escaped by cronmeta (cron would turn it into a newline).
 *
 * @crontab
 *   package: my-project-scripts3
 *   time: 0 2 1 * *
 *   params: --name stats-%Y-%m.csv
 */
const nameArg = process.argv.indexOf("--name");
const pattern = nameArg >= 0 ? process.argv[nameArg + 1] : "stats-%Y-%m.csv";
const now = new Date();
const month = String(now.getUTCMonth() + 1).padStart(2, "0");
const name = pattern.replace("%Y", String(now.getUTCFullYear())).replace("%m", month);
if (process.stdout.isTTY) console.log(`exporting ${name}`);
