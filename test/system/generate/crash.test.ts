// Atomic writes under a real crash: the compiled cronmeta SIGKILLs itself right after the
// temp file is written and synced, before the rename (test hook CRONMETA_TEST_KILL_AFTER_TEMP_WRITE,
// src/cli/commands/gen.ts). The old file must be intact and the next run must clean up.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runExecutable } from "../../helpers/cli.js";
import { builtBin, cronmetaBin } from "../../helpers/paths.js";
import { control, pod, withProject } from "../../helpers/project.js";

const files = {
  "debian/control": control("demo", "scripts1"),
  "debian/demo.install": "bin/* usr/share/demo/bin\n",
  "bin/queue.pl": pod(["package: scripts1", "time: */2 * * * *"]),
};

function crashingGen(root: string) {
  builtBin(cronmetaBin);
  return spawnSync(cronmetaBin, ["gen"], {
    cwd: root,
    env: { PATH: process.env.PATH, CRONMETA_TEST_KILL_AFTER_TEMP_WRITE: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

async function hidden(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith("."));
}

describe("atomic write (real process, SIGKILL between temp write and rename)", () => {
  it("leaves the old file intact and the next run removes the leftover temp file", async () => {
    await withProject(files, async (root) => {
      const debian = join(root, "debian");
      assert.equal(runExecutable(["gen"], root).code, 0);
      const oldText = await readFile(join(debian, "scripts1.cron.d"), "utf8");
      await writeFile(join(root, "bin/queue.pl"), pod(["package: scripts1", "time: */7 * * * *"]));

      const crash = crashingGen(root);
      assert.equal(crash.signal, "SIGKILL", `expected the hook to kill the process: ${crash.stderr}`);
      assert.equal(await readFile(join(debian, "scripts1.cron.d"), "utf8"), oldText, "old file intact");
      const [temp, ...more] = await hidden(debian);
      assert.deepEqual(more, []);
      assert.match(temp ?? "", new RegExp(`^\\.scripts1\\.cron\\.d\\.cronmeta-tmp-${crash.pid}-[0-9a-f]{8}$`));
      // The crash came after a complete temp file: only the rename was missing.
      // (the job's line, then the canary line that ends every file that runs switchman)
      assert.match(await readFile(join(debian, temp ?? ""), "utf8"), /\n\*\/7 \* \* \* \* root .*\n\n# cronmeta canary: .*\n\* \* \* \* \* root .* --canary --package scripts1 --build [0-9a-f]{16}\n$/);

      const next = runExecutable(["gen"], root);
      assert.equal(next.code, 0, next.stderr);
      assert.match(next.stderr, new RegExp(`^removed debian/\\.scripts1\\.cron\\.d\\.cronmeta-tmp-${crash.pid}-[0-9a-f]{8} \\(left by an interrupted run\\)\nupdated debian/scripts1\\.cron\\.d\n`));
      assert.deepEqual(await hidden(debian), []);
      assert.match(await readFile(join(debian, "scripts1.cron.d"), "utf8"), /\n\*\/7 \* \* \* \* root /);
    });
  });

  it("never leaves a partial new file", async () => {
    await withProject(files, async (root) => {
      const crash = crashingGen(root);
      assert.equal(crash.signal, "SIGKILL");
      assert.ok(!existsSync(join(root, "debian/scripts1.cron.d")));
      assert.equal((await hidden(join(root, "debian"))).length, 1);
      assert.equal(runExecutable(["gen"], root).code, 0);
      assert.deepEqual(await hidden(join(root, "debian")), []);
      assert.ok(existsSync(join(root, "debian/scripts1.cron.d")));
    });
  });
});
