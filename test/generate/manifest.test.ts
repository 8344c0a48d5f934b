// The monitor manifests (issue 18, docs/monitor.md): written by gen beside every cron.d file with
// the same atomic, stale and marker rules; deterministic; grace and alert-after from METADATA or
// config, validated by lint.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { generate } from "../../src/generate/generate.js";
import { isGeneratedManifest, manifestPackage, MANIFEST_VERSION, type Manifest } from "../../src/generate/manifest.js";
import { control, pod, withProject } from "../helpers/project.js";

const S1 = "package: scripts1";
const S2 = "package: scripts2";

function project(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "debian/control": control("demo", "scripts1", "scripts2"),
    "debian/demo.install": "bin/* usr/share/demo/bin\n",
    "bin/queue.pl": pod([S1, "time: */7 * * * *", "params: --mod 2", "grace: 2m", "alert-after: 3", "timeout: 1h"], [S1, "time: H 4 * * *", "lock: no"]),
    "bin/report.sh": pod([S2, "time: 30 3 * * sun", "description: Weekly report"]),
    ...extra,
  };
}

async function manifest(root: string, path: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(root, path), "utf8")) as Manifest;
}

describe("monitor manifests", () => {
  it("source mode: debian/<package>.cronmeta.json with every job's schedule, identity, limits and the cron.d file's build id", async () => {
    await withProject(project({ "cronmeta.config.json": JSON.stringify({ timezone: "Europe/Berlin", grace: "10m" }) }), async (root) => {
      const result = await generate({ root });
      assert.equal(result.errorCount, 0, JSON.stringify(result.diagnostics));
      const names = (await readdir(join(root, "debian"))).filter((n) => n.includes(".cron")).sort();
      assert.deepEqual(names, ["scripts1.cron.d", "scripts1.cronmeta.json", "scripts2.cron.d", "scripts2.cronmeta.json"]);
      const m = await manifest(root, "debian/scripts1.cronmeta.json");
      const cron = await readFile(join(root, "debian/scripts1.cron.d"), "utf8");
      assert.equal(m.version, MANIFEST_VERSION);
      assert.equal(m.format, "cronmeta-manifest");
      assert.equal(m.package, "scripts1");
      // The build id is of the cron.d file without its canary line and with 16 zeros for the
      // value of its CRONMETA_BUILD line, both of which name it.
      const [withoutCanary, canary] = cron.split("\n# cronmeta canary");
      assert.match(withoutCanary ?? "", new RegExp(`\nCRONMETA_BUILD=${m.build}\n`));
      const placeheld = (withoutCanary ?? "").replace(`\nCRONMETA_BUILD=${m.build}\n`, `\nCRONMETA_BUILD=${"0".repeat(16)}\n`);
      assert.equal(m.build, createHash("sha256").update(placeheld).digest("hex").slice(0, 16));
      assert.match(canary ?? "", new RegExp(`\\n\\* \\* \\* \\* \\* root \\[ -x /usr/bin/switchman \\] && /usr/bin/switchman --config /etc/switchman.conf --canary --package scripts1 --build ${m.build}\\n$`));
      assert.equal(m.canary, true);
      assert.equal(m.cronFile, "/etc/cron.d/scripts1");
      assert.equal(m.timezone, "Europe/Berlin");
      assert.equal(m.switchman, true);
      assert.equal(m.jobs.length, 2);
      const [queue, hashed] = m.jobs;
      assert.deepEqual(queue, {
        lockname: "queue.pl-mod-2",
        lock: true,
        group: "scripts1",
        user: "root",
        time: "*/7 * * * *",
        script: "/usr/share/demo/bin/queue.pl",
        params: "--mod 2",
        source: "bin/queue.pl:6",
        timeout_s: 3600,
        grace_s: 120,
        alert_after: 3,
      });
      // H resolved exactly as on the cron line; config grace and alertAfter as defaults.
      assert.equal(hashed?.timeSource, "H 4 * * *");
      assert.match(cron, new RegExp(`\\n${hashed?.time.replace(/\*/g, "\\*")} root `));
      assert.equal(hashed?.grace_s, 600);
      assert.equal(hashed?.alert_after, 1);
      assert.equal(hashed?.lock, false);
      const text = await readFile(join(root, "debian/scripts1.cronmeta.json"), "utf8");
      assert.ok(isGeneratedManifest(text));
      assert.equal(manifestPackage(text), "scripts1");
    });
  });

  it("is byte-identical across rebuilds of the same input, and the second run leaves it alone", async () => {
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      await withProject(project(), async (root) => {
        await generate({ root });
        outputs.push(await readFile(join(root, "debian/scripts1.cronmeta.json"), "utf8"));
        const again = await generate({ root });
        assert.deepEqual(again.report?.written, []);
      });
    }
    assert.equal(outputs[0], outputs[1]);
  });

  it("a manifest whose package lost its jobs is stale and removed; a hand-written one is never touched", async () => {
    await withProject(project(), async (root) => {
      await generate({ root });
      await writeFile(join(root, "bin/report.sh"), "#!/bin/sh\n");
      const r = await generate({ root });
      assert.deepEqual(r.report?.removed.map((f) => f.displayPath).sort(), ["debian/scripts2.cron.d", "debian/scripts2.cronmeta.json"]);
      await writeFile(join(root, "debian/scripts1.cronmeta.json"), '{"jobs": []}\n');
      const refused = await generate({ root });
      assert.deepEqual(refused.diagnostics.map((d) => `${d.file} ${d.rule}`), ["debian/scripts1.cronmeta.json output-not-generated"]);
      assert.equal(await readFile(join(root, "debian/scripts1.cronmeta.json"), "utf8"), '{"jobs": []}\n');
      await writeFile(join(root, "debian/other.cronmeta.json"), '{"mine": true}\n');
      await writeFile(join(root, "debian/scripts1.cronmeta.json"), "");
    });
  });

  it("tree mode: debian/<package>/usr/share/cronmeta/manifests/<package>.json; dir mode: <name>.cronmeta.json beside the file", async () => {
    await withProject(project(), async (root) => {
      await generate({ root, mode: "tree" });
      const m = await manifest(root, "debian/scripts1/usr/share/cronmeta/manifests/scripts1.json");
      assert.equal(m.package, "scripts1");
      await generate({ root, mode: "dir", out: join(root, "out") });
      assert.deepEqual((await readdir(join(root, "out"))).sort(), ["scripts1", "scripts1.cronmeta.json", "scripts2", "scripts2.cronmeta.json"]);
    });
  });

  it("config manifest: false writes none", async () => {
    await withProject(project({ "cronmeta.config.json": JSON.stringify({ manifest: false }) }), async (root) => {
      await generate({ root });
      assert.deepEqual((await readdir(join(root, "debian"))).filter((n) => n.endsWith(".json")), []);
    });
  });

  it("lint: grace must be a duration and alert-after a count, each with a valid suggestion", async () => {
    await withProject(project({ "bin/bad.sh": pod([S2, "time: 0 1 * * *", "grace: 10 minutes", "alert-after: 3 times"], [S2, "time: 0 2 * * *", "alert-after: 0"]) }), async (root) => {
      const r = await generate({ root });
      const messages = r.diagnostics.filter((d) => d.rule === "metadata-value-invalid").map((d) => `${d.line}:${d.column} ${d.message}`);
      assert.deepEqual(messages, [
        '9:12 grace "10 minutes" is not a whole number and a unit s, m or h (for example 90s, 30m, 2h), at most 8760h; write "10m"',
        '10:18 alert-after "3 times" is not a whole number of consecutive failures from 1 to 1000; write "3"',
        '15:18 alert-after "0" is not a whole number of consecutive failures from 1 to 1000',
      ]);
      assert.equal(r.report, undefined);
    });
  });
});
