// Loaded (--import) into every test process by `run-tests.mjs --timings`: at exit it appends the
// process's wall time and CPU time (its own and that of the children it reaped, from
// /proc/self/stat) to the file named by CRONMETA_TEST_TIMINGS, one JSON line per test file run
// alone (node --test sets NODE_TEST_CONTEXT in its children) or per shared process
// (CRONMETA_TEST_SHARD). node --test's own parent process carries neither and records nothing.
import { appendFileSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { performance } from "node:perf_hooks";

const out = process.env.CRONMETA_TEST_TIMINGS;
const shard = process.env.CRONMETA_TEST_SHARD;
const file = process.argv[1];
// Not inherited by the processes a test starts: they are part of this one's CPU time.
delete process.env.CRONMETA_TEST_TIMINGS;
delete process.env.CRONMETA_TEST_SHARD;
if (out && (shard !== undefined || (process.env.NODE_TEST_CONTEXT && file))) {
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
      ...(shard !== undefined ? { shard: Number(shard) } : { file: relative(process.cwd(), file ?? "") }),
      wallMs: Math.round(performance.now()),
      cpuMs: Math.round((own.user + own.system) / 1000 + childrenMs),
    };
    appendFileSync(out, JSON.stringify(line) + "\n");
  });
}
