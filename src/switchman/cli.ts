#!/usr/bin/env node
// The switchman executable: everything happens in main(), which returns the exit code.
// No top-level await: the shipped executable is a CommonJS bundle (scripts/postbuild.mjs).
import { main } from "./main.js";

/**
 * process.stdout/stderr are made on first use (a pipe's is a net.Socket, which loads node:net):
 * a skip that prints nothing never pays for them. A closed stream (EPIPE) must not crash
 * switchman while it supervises CMD, so each gets its error handler as it is made.
 */
function stream(name: "stdout" | "stderr"): NodeJS.WriteStream {
  const s = process[name];
  if (s.listenerCount("error") === 0) s.on("error", () => {});
  return s;
}

function exitWith(code: number): never {
  // Exit now: a client library's sockets or timers must not keep switchman (and its lock) alive.
  process.exit(code);
}

main(process.argv.slice(2), process.env, {
  stdout: (text) => stream("stdout").write(text),
  stderr: (text) => stream("stderr").write(text),
}).then(exitWith, (error: unknown) => {
  // A bug: one line (SWITCHMAN_DEBUG shows the stack). CMD, if started, dies with us (pdeathsig).
  stream("stderr").write(`switchman: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.SWITCHMAN_DEBUG) stream("stderr").write(`${error instanceof Error ? error.stack : ""}\n`);
  exitWith(70);
});
