// This host's name (SPEC 8.5): SWITCHMAN_HOSTNAME, else `hostname --fqdn`, else os.hostname(),
// never waiting longer than the timeout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { hostFqdn } from "../../../src/switchman/hostname.js";

test("SWITCHMAN_HOSTNAME overrides", async () => {
  assert.equal(await hostFqdn({ SWITCHMAN_HOSTNAME: "box7.example.com" }), "box7.example.com");
});

test("without the override: what `hostname --fqdn` says (Debian package hostname)", async () => {
  let expected: string;
  try {
    expected = execFileSync("hostname", ["--fqdn"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`hostname --fqdn failed (install the Debian package hostname): ${(error as Error).message}`);
  }
  assert.equal(await hostFqdn({ PATH: process.env.PATH }), expected);
});

// A resolver that hangs cannot be produced on demand: a `hostname` that sleeps stands in for it.
test("a hanging `hostname --fqdn` falls back to os.hostname() within the timeout", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchman-hostname-"));
  try {
    const fake = join(dir, "hostname");
    writeFileSync(fake, "#!/bin/sh\nexec sleep 30\n");
    chmodSync(fake, 0o755);
    const started = Date.now();
    assert.equal(await hostFqdn({ PATH: `${dir}:/usr/bin:/bin` }, 300), hostname());
    assert.ok(Date.now() - started < 5000);
    writeFileSync(fake, "#!/bin/sh\necho 'not a host name'\n");
    assert.equal(await hostFqdn({ PATH: `${dir}:/usr/bin:/bin` }, 2000), hostname(), "implausible output is not used");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
