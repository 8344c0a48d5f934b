#!/usr/bin/env node
// The switchman executable: everything happens in main(), which returns the exit code.
import { main } from "./main.js";

// A closed stderr (EPIPE) must not crash switchman while it supervises CMD.
process.stderr.on("error", () => {});
process.stdout.on("error", () => {});

let code: number;
try {
  code = await main(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  // A bug: one line (SWITCHMAN_DEBUG shows the stack). CMD, if started, dies with us (pdeathsig).
  process.stderr.write(`switchman: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.SWITCHMAN_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
  code = 70;
}
// Exit now: a client library's sockets or timers must not keep switchman (and its lock) alive.
process.exit(code);
