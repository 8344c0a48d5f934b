// Temp projects with many H jobs, for the peak and determinism tests.
import { control, pod } from "../helpers/project.js";

/** Files of a project with `count` jobs of time `time` in package `demo-cron`, 20 per script, plus `extra` files. */
export function manyJobs(count: number, time: string, config: Record<string, unknown> = {}): Record<string, string> {
  const files: Record<string, string> = {
    "debian/control": control("demo", "demo-cron"),
    "debian/demo-cron.install": "bin/* usr/share/demo/bin\n",
    "cronmeta.config.json": `${JSON.stringify({ stampedeThreshold: 1000, ...config })}\n`,
  };
  for (let start = 0; start < count; start += 20) {
    const sections = [];
    for (let i = start; i < Math.min(count, start + 20); i++) sections.push(["package: demo-cron", `time: ${time}`, `params: --part ${i}`]);
    files[`bin/worker-${String(start / 20).padStart(2, "0")}.pl`] = pod(...sections);
  }
  return files;
}
