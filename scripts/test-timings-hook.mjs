// Loaded (--import) into every test-file process by `run-tests.mjs --timings`: at exit it appends
// the file's wall time and CPU time (its own and that of the children it reaped, from
// /proc/self/stat) to the file named by CRONMETA_TEST_TIMINGS, one JSON line per test file.
// The runner's own process carries no NODE_TEST_CONTEXT and records nothing.
import { appendFileSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { performance } from "node:perf_hooks";

const out = process.env.CRONMETA_TEST_TIMINGS;
const file = process.argv[1];
if (out && process.env.NODE_TEST_CONTEXT && file) {
  process.on("exit", () => {
    const own = process.cpuUsage();
    let childrenMs = 0;
    try {
      // Fields after the command name: state is field 3; cutime and cstime are fields 16 and 17,
      // in clock ticks (100 a second on Linux).
      const stat = readFileSync("/proc/self/stat", "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      childrenMs = (Number(fields[13]) + Number(fields[14])) * 10;
    } catch {
      // not Linux: children's CPU time unknown, own CPU time still reported
    }
    const line = {
      file: relative(process.cwd(), file),
      wallMs: Math.round(performance.now()),
      cpuMs: Math.round((own.user + own.system) / 1000 + childrenMs),
    };
    appendFileSync(out, JSON.stringify(line) + "\n");
  });
}
