#!/usr/bin/ts-node
/**
 * Pulls the current price list from the supplier's API.
 *
 * @crontab
 *   package: my-project-scripts3
 *   time: 5 * * * *
 * @crontab
 *   package: my-project-scripts3
 *   time: 45 23 * * *
 *   params: --full-catalogue
 */
interface SyncOptions {
  fullCatalogue: boolean;
}

function parseOptions(argv: string[]): SyncOptions {
  return { fullCatalogue: argv.includes("--full-catalogue") };
}

const options = parseOptions(process.argv.slice(2));
if (process.stdout.isTTY) console.log(options.fullCatalogue ? "syncing the catalogue" : "syncing prices");
