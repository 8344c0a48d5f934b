// debian/control relation fields, as the switchman-dependency-missing rule reads them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseControl, relationNames } from "../../src/debian/control.js";

describe("debian/control Depends", () => {
  it("belongs to its paragraph, whatever the field order; continuation lines join; comments are skipped", () => {
    const info = parseControl(
      [
        "Source: demo",
        "Build-Depends: debhelper-compat (= 13)",
        "",
        "Depends: ${misc:Depends},",
        "# a comment inside the field",
        "         ${cronmeta:Depends},",
        "\tfoo (>= 1) | bar",
        "Package: first",
        "Pre-Depends: ${misc:Pre-Depends}",
        "",
        "",
        "Package: second",
        "Architecture: all",
        "Description: no relations",
        " Depends: not a field",
      ].join("\n"),
    );
    assert.equal(info.source, "demo");
    assert.deepEqual(info.packages, [
      {
        name: "first",
        line: 8,
        depends: { value: "${misc:Depends}, ${cronmeta:Depends}, foo (>= 1) | bar", line: 4, column: 10 },
        preDepends: { value: "${misc:Pre-Depends}", line: 9, column: 14 },
      },
      { name: "second", line: 12 },
    ]);
  });

  it("relation names drop versions, architectures, profiles and :arch; substvars stay", () => {
    assert.deepEqual(relationNames("${cronmeta:Depends}, switchman:any (>= 0.1) [amd64] <!nocheck> | cron-daemon, ,perl"), [
      ["${cronmeta:Depends}"],
      ["switchman", "cron-daemon"],
      ["perl"],
    ]);
    assert.deepEqual(relationNames(""), []);
  });
});
