// The real-ZooKeeper test harness itself: servers serve, freeze and thaw, and never outlive
// the tests (stop(), and PDEATHSIG when the test process is killed outright).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startStandalone, TestZk } from "../../../helpers/zookeeper.js";
import { alive, waitFor } from "../../../helpers/switchman.js";

describe("ZooKeeper test harness", () => {
  it("a standalone server serves, goes silent when frozen, serves again when thawed, and is gone after stop()", async () => {
    const zk = await startStandalone();
    const server = zk.servers[0];
    assert.ok(server?.pid);
    const pid = server.pid;
    try {
      assert.equal(await server.mode(), "standalone");
      const client = await TestZk.connect(zk.connectString);
      await client.createPath("/harness/check", "x");
      assert.equal((await client.get("/harness/check"))?.data, "x");
      await client.close();
      server.freeze();
      assert.equal(await server.mode(500), undefined, "a frozen server answers nothing");
      server.thaw();
      assert.equal(await server.mode(), "standalone");
    } finally {
      await zk.stop();
    }
    assert.equal(alive(pid), false, "no java left after stop()");
  });

  it("servers die with the test process even when it is killed with SIGKILL", async () => {
    // A child process starts a server through the harness, prints its pid and waits to be killed.
    const helpers = fileURLToPath(new URL("../../../helpers/zookeeper.js", import.meta.url));
    const script = `const { startStandalone } = await import(${JSON.stringify(helpers)});
      const zk = await startStandalone();
      process.stdout.write(String(zk.servers[0].pid) + "\\n");
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
      const javaPid = await waitFor("the server pid", () => (/^\d+\n/.test(out) ? Number(out.trim()) : undefined), 60_000, 50);
      assert.equal(alive(javaPid), true);
      child.kill("SIGKILL");
      await waitFor("java to die with its parent", () => (alive(javaPid) ? undefined : true), 5000, 20);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
