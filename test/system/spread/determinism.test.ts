// Issue 19's determinism check: 100 rebuilds, each from a differently ordered copy of the
// project, give byte-identical cron.d files in both spread modes (test/spread/determinism.cases.ts).
// System tier: 200 projects written, linted and rendered are a big loop (about 8 s of CPU).
import { defineDeterminismCases } from "../../spread/determinism.cases.js";

defineDeterminismCases(100);
