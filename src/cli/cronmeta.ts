#!/usr/bin/env node
// The cronmeta executable: everything happens in main(), which returns the exit code.
import { main } from "./main.js";
import { processIo } from "./io.js";

// `cronmeta lint | head`: a reader that went away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

// No top-level await: the shipped executable is a CommonJS bundle (scripts/postbuild.mjs).
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: say so in one line rather than a stack trace (CRONMETA_DEBUG shows it).
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cronmeta: internal error: ${message}\n`);
    if (process.env.CRONMETA_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
    process.exitCode = 2;
  },
);
