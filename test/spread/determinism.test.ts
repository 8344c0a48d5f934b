// A few rebuilds, each from a differently ordered copy of the project, give byte-identical
// cron.d files in both spread modes (the quick check; the 100-rebuild one is
// test/system/spread/determinism.test.ts). Three orders already differ from the first in
// directory order, inodes and timestamps, which is all a rebuild can change.
import { defineDeterminismCases } from "./determinism.cases.js";

defineDeterminismCases(3);
