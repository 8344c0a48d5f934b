// Fails when a golden file is stale: run `npm run update-goldens` (scripts/update-goldens.mjs),
// review the diff, commit. With UPDATE_GOLDENS=1 this test rewrites the goldens first.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goldenCases, MODES, produce, readExpected, writeExpected } from "./goldens.js";

const update = process.env.UPDATE_GOLDENS === "1";
const cases = goldenCases();

describe("gen goldens", () => {
  it("has the fixtures and the example", () => {
    assert.ok(cases.length >= 6, `only ${cases.length} golden cases`);
    assert.ok(cases.some((c) => c.name === "my-project"), "examples/my-project is missing");
  });

  for (const testCase of cases) {
    for (const mode of MODES) {
      it(`${testCase.name} --mode ${mode}`, async () => {
        const actual = await produce(testCase, mode);
        if (update) await writeExpected(testCase, mode, actual);
        const expected = await readExpected(testCase, mode);
        const hint = "stale golden: run `npm run update-goldens` and review the diff";
        assert.deepEqual([...actual.files.keys()].sort(), [...expected.files.keys()].sort(), hint);
        for (const [path, content] of actual.files) assert.equal(content, expected.files.get(path), `${path}: ${hint}`);
        assert.equal(actual.diagnostics, expected.diagnostics, `diagnostics: ${hint}`);
      });
    }
  }
});
