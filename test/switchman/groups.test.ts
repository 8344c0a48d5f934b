import { test } from "node:test";
import assert from "node:assert/strict";
import { hostInGroup, parsePrefixData, resolveGroup } from "../../src/switchman/groups.js";
import { SwitchmanError } from "../../src/switchman/coordinator.js";

const sorted = (set: Set<string>): string[] => [...set].sort();

test("resolveGroup: a host, a list, nested groups", () => {
  const groups = { a: "h1", b: ["h2", "a"], c: ["b", "h3"] };
  assert.deepEqual(sorted(resolveGroup(groups, "a").hosts), ["h1"]);
  assert.deepEqual(sorted(resolveGroup(groups, "c").hosts), ["h1", "h2", "h3"]);
  assert.equal(resolveGroup(groups, "c").found, true);
});

test("resolveGroup: cycles are safe", () => {
  const groups = { x: ["y", "hx"], y: ["x", "hy"], self: ["self", "hs"] };
  assert.deepEqual(sorted(resolveGroup(groups, "x").hosts), ["hx", "hy"]);
  assert.deepEqual(sorted(resolveGroup(groups, "self").hosts), ["hs"]);
});

test("resolveGroup: a group name shadows a host of the same name", () => {
  const groups = { g: ["box1", "box2"], box1: "box9" };
  assert.deepEqual(sorted(resolveGroup(groups, "g").hosts), ["box2", "box9"]);
});

test("resolveGroup: missing group is not found; inherited object keys are not groups", () => {
  assert.deepEqual(resolveGroup({ a: "h" }, "b"), { found: false, hosts: new Set() });
  assert.equal(resolveGroup({ a: "h" }, "constructor").found, false);
  assert.equal(resolveGroup({ a: "toString" }, "a").hosts.has("toString"), true);
});

test("hostInGroup: exact comparison, missing group throws exit 2", () => {
  const groups = { g: ["box1.example.com"] };
  assert.equal(hostInGroup(groups, "g", "box1.example.com"), true);
  assert.equal(hostInGroup(groups, "g", "box1"), false);
  assert.equal(hostInGroup(groups, "g", "BOX1.example.com"), false);
  assert.throws(() => hostInGroup(groups, "nope", "box1"), (e: unknown) => e instanceof SwitchmanError && e.exitCode === 2 && /group nope is not defined/.test(e.message));
});

test("parsePrefixData: empty means no groups; valid shape parses", () => {
  assert.deepEqual(parsePrefixData(""), { groups: {}, resources: [] });
  assert.deepEqual(parsePrefixData("  \n"), { groups: {}, resources: [] });
  assert.deepEqual(parsePrefixData('{"groups":{"g":"h"},"resources":["db"]}'), { groups: { g: "h" }, resources: ["db"] });
  assert.deepEqual(parsePrefixData("{}"), { groups: {}, resources: [] });
});

test("parsePrefixData: invalid JSON or shape is an exit-2 error naming the problem", () => {
  const cases: [string, RegExp][] = [
    ["{", /not valid JSON/],
    ["[]", /must be a JSON object/],
    ['{"groups":[]}', /groups: must be an object/],
    ['{"groups":{"g":5}}', /groups\.g: must be a host or group name, or a list of these \(non-empty strings\)/],
    ['{"groups":{"":"h"}}', /groups: invalid group name "" \(a group name must not be empty\)/],
    ['{"groups":{"g":["h",""]}}', /groups\.g:/],
    ['{"resources":{}}', /resources: must be a list/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parsePrefixData(text), (e: unknown) => e instanceof SwitchmanError && e.exitCode === 2 && message.test(e.message), text);
  }
});
