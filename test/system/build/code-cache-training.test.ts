// The build's training of switchman's code caches (scripts/postbuild.mjs): a local skip, then a
// ZooKeeper skip against scripts/zookeeper-training-server.mjs on loopback; and in a network
// namespace whose loopback is down (a package build with no network), the local skip alone,
// with a note, not a failed build. Real builds of a copy of dist/ (tsc's output), real network
// namespaces (unshare -n, as root).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../helpers/paths.js";

const POSTBUILD = join(repoRoot, "scripts", "postbuild.mjs");
const CACHES = ["bundle.cjs.cache", "zookeeper-client.cjs.cache"];

/** Runs the build's bundling step on `dist` (a copy of tsc's output), under `prefix` (e.g. unshare -n). */
function postbuild(dist: string, prefix: string[] = [], options: string[] = []): { status: number | null; stderr: string } {
  const [command, ...args] = [...prefix, process.execPath, POSTBUILD, dist, ...options];
  const run = spawnSync(command as string, args, { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NODE_EXTRA_CA_CERTS: "" } });
  return { status: run.status, stderr: `${run.stderr}${run.error?.message ?? ""}` };
}

describe("switchman's code-cache training", () => {
  let work = "";
  before(() => {
    if (!existsSync("/usr/bin/unshare")) throw new Error("/usr/bin/unshare is missing: install Debian package util-linux");
    if (!existsSync(join(repoRoot, "dist", "switchman", "cli.js"))) throw new Error("dist/ is missing: run npm run build first");
    work = mkdtempSync(join(tmpdir(), "cronmeta-training-test-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const copy = (name: string): string => {
    const dist = join(work, name);
    cpSync(join(repoRoot, "dist"), dist, { recursive: true });
    for (const cache of CACHES) rmSync(join(dist, "switchman", cache), { force: true });
    return dist;
  };
  const size = (dist: string, cache: string): number => statSync(join(dist, "switchman", cache)).size;

  it("trains on a ZooKeeper skip with loopback, and on the local skip alone (with a note) without it", () => {
    const withPeer = copy("with-peer");
    const built = postbuild(withPeer);
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stderr, "");
    const alone = copy("without-loopback");
    // A new network namespace: its loopback is down (listening works there, connecting does not).
    const isolated = postbuild(alone, ["unshare", "-n"]);
    assert.equal(isolated.status, 0, isolated.stderr);
    assert.match(isolated.stderr, /^cli\.cjs's code cache: no training peer \(connect ENETUNREACH .*\); training without it\n$/);
    for (const cache of CACHES) {
      // Both make every cache; the ZooKeeper skip's hold the session's code on top (the client's
      // beyond its module body, the back end's in the bundle's).
      assert.ok(size(alone, cache) > 0, cache);
      assert.ok(size(withPeer, cache) > size(alone, cache) + 10_000, `${cache}: ${size(withPeer, cache)} vs ${size(alone, cache)} bytes`);
    }
    // Either build's switchman runs a skip from its caches.
    const config = join(work, "local.json");
    writeFileSync(config, JSON.stringify({ lockdir: work, state_dir: false, textfile_dir: false, groups: { other: "elsewhere.invalid" } }));
    for (const dist of [withPeer, alone]) {
      const skip = spawnSync(process.execPath, [join(dist, "switchman", "cli.cjs"), "--config", config, "--group", "other", "--lockname", "t", "--", "/bin/false"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, SWITCHMAN_HOSTNAME: "test.invalid" },
      });
      assert.equal(skip.status, 0, skip.stderr);
    }
  });

  it("builds the same caches twice, in two directories, for one installed path (a reproducible package)", () => {
    // V8 keeps the file name a cache was made under: debian/rules names the installed one.
    const installed = ["--installed-dist", "switchman=/usr/share/switchman/dist"];
    const [one, two] = [copy("one"), copy("two")];
    for (const dist of [one, two]) {
      const built = postbuild(dist, [], installed);
      assert.equal(built.status, 0, built.stderr);
    }
    for (const cache of CACHES) {
      assert.ok(readFileSync(join(one, "switchman", cache)).equals(readFileSync(join(two, "switchman", cache))), `${cache} differs between two builds`);
    }
  });
});
