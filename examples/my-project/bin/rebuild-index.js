#!/usr/bin/node
/**
 * Rebuilds the search index: a quick incremental pass every ten minutes and a
 * full rebuild on Sunday night.
 *
 * @crontab
 *   package: my-project-scripts2
 *   time: *\/10 * * * *
 *   params: --incremental
 * @crontab
 *   package: my-project-scripts2
 *   time: 30 3 * * sun
 *   params: --full
 */
"use strict";

const full = process.argv.includes("--full");
const mode = full ? "full" : "incremental";
if (process.stdout.isTTY) console.log(`rebuilding the index (${mode})`);
