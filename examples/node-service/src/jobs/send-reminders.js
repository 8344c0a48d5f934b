#!/usr/bin/env node
/**
 * Sends the reminder e-mails that are due. Runs on the single application host,
 * so no switchman: config `"switchman": false` writes the bare command.
 *
 * @crontab
 *   time: *\/5 * * * *
 *   description: Due reminders, every five minutes
 */
const due = [];
if (process.stdout.isTTY) console.log(`${due.length} reminders due`);
