// Job time limits (src/syntax/duration.ts): METADATA `timeout` and switchman's `--timeout`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DURATION_MAX_S, durationProblem, durationSuggestion, formatDuration, parseDuration } from "../../src/syntax/duration.js";

test("durations: a whole number and one unit s, m or h", () => {
  const cases: [string, number][] = [["1s", 1], ["90s", 90], ["30m", 1800], ["2h", 7200], ["8760h", DURATION_MAX_S], ["525600m", DURATION_MAX_S]];
  for (const [text, seconds] of cases) assert.equal(parseDuration(text), seconds, text);
  for (const bad of ["", "0s", "01h", "2", "2 h", "2H", "1.5h", "1h30m", "-1s", "2d", "h", " 2h", "2h ", "8761h", "99999999999h"]) {
    assert.equal(parseDuration(bad), undefined, bad);
    assert.notEqual(durationProblem(bad), undefined, bad);
  }
  assert.equal(durationProblem("8761h"), "is longer than 365 days");
  assert.match(durationProblem("2 hours") ?? "", /^is not a whole number and a unit s, m or h/);
});

test("formatDuration picks the largest whole unit, and round-trips", () => {
  assert.equal(formatDuration(7200), "2h");
  assert.equal(formatDuration(5400), "90m");
  assert.equal(formatDuration(61), "61s");
  for (const seconds of [1, 59, 60, 3599, 3600, 86400, DURATION_MAX_S]) assert.equal(parseDuration(formatDuration(seconds)), seconds);
});

test("suggestions for invalid durations are themselves valid", () => {
  const cases: [string, string | undefined][] = [
    ["2 hours", "2h"],
    ["120", "2m"],
    ["45", "45s"],
    ["1.5h", "90m"],
    ["1h30m", "90m"],
    ["1h 30m", "90m"],
    ["2H", "2h"],
    ["1d", "24h"],
    ["45 min", "45m"],
    ["0", undefined],
    ["forever", undefined],
    ["0.5s", undefined],
    ["400d", undefined],
  ];
  for (const [text, suggestion] of cases) {
    assert.equal(durationSuggestion(text), suggestion, text);
    if (suggestion !== undefined) assert.notEqual(parseDuration(suggestion), undefined, suggestion);
  }
});
