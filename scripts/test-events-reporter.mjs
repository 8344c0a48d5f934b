// A node:test reporter for run-tests.mjs's shared processes: one JSON line per top-level test
// (its file and time), per failed test, and per count of the run's summary.
import { relative } from "node:path";

const COUNT = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/;

export default async function* eventsReporter(source) {
  for await (const event of source) {
    const data = event.data ?? {};
    const file = data.file === undefined ? undefined : relative(process.cwd(), data.file);
    if ((event.type === "test:pass" || event.type === "test:fail") && data.nesting === 0) {
      yield `${JSON.stringify({ type: event.type === "test:pass" ? "pass" : "fail", file, name: data.name, ms: data.details?.duration_ms ?? 0 })}\n`;
    }
    if (event.type === "test:fail" && data.details?.type !== "suite") {
      yield `${JSON.stringify({ type: "failure", file, name: data.name })}\n`;
    }
    if (event.type === "test:diagnostic" && data.nesting === 0) {
      const count = COUNT.exec(data.message ?? "");
      if (count) yield `${JSON.stringify({ type: "count", name: count[1], value: Number(count[2]) })}\n`;
    }
  }
}
