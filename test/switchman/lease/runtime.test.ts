// The pure parts of switchman's lease run time (issue 16): the TOTAL rule, lease node names,
// the global order, and which local holder `replace` may signal.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fits, leaseOrder } from "../../../src/switchman/lease/types.js";
import { isReplaceableHolder } from "../../../src/switchman/local/replace.js";
import { parseLeaseName } from "../../../src/switchman/zookeeper/semaphore.js";

test("fits: the smallest TOTAL among holders and newcomer is the limit", () => {
  assert.equal(fits([], { count: 3, total: 3 }), true);
  assert.equal(fits([{ count: 1, total: 3 }, { count: 1, total: 3 }], { count: 1, total: 3 }), true);
  assert.equal(fits([{ count: 1, total: 3 }, { count: 1, total: 3 }, { count: 1, total: 3 }], { count: 1, total: 3 }), false);
  assert.equal(fits([{ count: 1, total: 2 }], { count: 1, total: 10 }), true, "1 + 1 <= min(2, 10)");
  assert.equal(fits([{ count: 1, total: 2 }, { count: 1, total: 10 }], { count: 1, total: 10 }), false, "3 > 2: the holder with TOTAL 2 is never exceeded");
  assert.equal(fits([{ count: 1, total: 5 }], { count: 1, total: 1 }), false, "the newcomer's own TOTAL 1");
  assert.equal(fits([{ count: -4, total: 5 }], { count: 5, total: 5 }), true, "a negative COUNT counts as 0, never as free units");
  assert.equal(fits([{ count: -4, total: 5 }], { count: 6, total: 5 }), false);
  assert.equal(fits([{ count: Number.MAX_SAFE_INTEGER, total: 0 }], { count: 1, total: 5 }), false, "an unreadable holder blocks");
});

test("parseLeaseName: App::switchman's <count>_<total>_<seq>", () => {
  assert.deepEqual(parseLeaseName("1_3_0000000007"), { count: 1, total: 3 });
  assert.deepEqual(parseLeaseName("-2_8_0000000000"), { count: -2, total: 8 });
  assert.equal(parseLeaseName("acquire-0000000001"), undefined);
  assert.equal(parseLeaseName("1_x_0000000001"), undefined);
  assert.equal(parseLeaseName("99999999999999999999_3_0000000001"), undefined);
});

test("leaseOrder: one global order, by resource name", () => {
  const order = leaseOrder([
    { resource: "net", count: 1, total: 1 },
    { resource: "db", count: 1, total: 1 },
    { resource: "box1.example.org_cpu", count: 1, total: 2 },
  ]).map((l) => l.resource);
  assert.deepEqual(order, ["box1.example.org_cpu", "db", "net"]);
});

test("isReplaceableHolder: only a switchman of this lock name with --concurrency replace", () => {
  const node = ["node", "/usr/share/switchman/cli.js"];
  assert.equal(isReplaceableHolder([...node, "--concurrency", "replace", "--lockname", "nightly", "--", "/bin/job"], "nightly"), true);
  assert.equal(isReplaceableHolder([...node, "--concurrency=replace", "--", "/usr/bin/nightly", "x"], "nightly"), true, "default lock name: CMD's base name");
  assert.equal(isReplaceableHolder([...node, "--lockname", "nightly", "--", "/bin/job"], "nightly"), false, "no replace policy");
  assert.equal(isReplaceableHolder([...node, "--concurrency", "replace", "--lockname", "other", "--", "/bin/job"], "nightly"), false, "another lock");
  assert.equal(isReplaceableHolder(["sleep", "--concurrency", "replace", "--lockname", "nightly"], "nightly"), false, "not switchman");
  assert.equal(isReplaceableHolder([...node, "--", "/bin/job", "--concurrency", "replace", "--lockname", "nightly"], "nightly"), false, "CMD's arguments are not switchman's");
});
