#!/usr/bin/env node
// The cronmeta executable: everything happens in main(), which returns the exit code.
import { main } from "./main.js";
import { processIo, standardError } from "./io.js";

// No top-level await: the shipped executable is a CommonJS bundle (scripts/postbuild.mjs).
// Output goes through io.ts's writers, which end the process quietly when the reader went away
// (`cronmeta lint | head`) and make process.stdout/stderr only when write(2) cannot do.
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: say so in one line rather than a stack trace (CRONMETA_DEBUG shows it).
    const message = error instanceof Error ? error.message : String(error);
    standardError.write(`cronmeta: internal error: ${message}\n`);
    if (process.env.CRONMETA_DEBUG) standardError.write(`${error instanceof Error ? error.stack : ""}\n`);
    process.exitCode = 2;
  },
);
