#!/usr/bin/env node
/**
 * Refreshes the partner feeds, every twenty minutes during the day.
 *
 * @crontab
 *   package: acme-reports
 *   time: *\/20 6-22 * * *
 *   user: acme
 */
const started = Date.now();
if (process.stdout.isTTY) console.log(`refreshing feeds (started ${new Date(started).toISOString()})`);
