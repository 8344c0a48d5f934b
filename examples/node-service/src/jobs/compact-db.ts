#!/usr/bin/env tsx
/**
 * Compacts the embedded database on Sunday night, and vacuums it on the first of the month.
 *
 * @crontab
 *   time: 15 3 * * sun
 * @crontab
 *   time: 15 4 1 * *
 *   params: --vacuum
 */
const vacuum: boolean = process.argv.includes("--vacuum");
if (process.stdout.isTTY) console.log(vacuum ? "vacuuming" : "compacting");
