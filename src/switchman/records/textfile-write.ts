/**
 * Writes a job's Prometheus textfile (textfile.ts) into node_exporter's textfile directory,
 * atomically: the text goes to a temporary file in the same directory whose name does not end
 * in `.prom` (the collector reads only `*.prom`), which is then renamed over the job's file. A
 * scrape sees the old file or the new one, never a part of either.
 */
import { join } from "node:path";
import { asyncFs, type Fs } from "./fs.js";
import { randomHex } from "./random-id.js";
import { recordFileName } from "./record.js";

/** The job's file in the textfile directory: `switchman-<uid>-<lockname>.prom`. */
export function textfileName(uid: number, lockname: string): string {
  return `switchman-${uid}-${recordFileName(lockname)}.prom`;
}

/** Replaces `<dir>/<name>` with `text` atomically (mode 0644: node_exporter runs as its own user). */
export async function writeTextfileAtomically(dir: string, name: string, text: string, fs: Fs = asyncFs): Promise<void> {
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${process.pid}-${randomHex(4)}.tmp`);
  try {
    await fs.writeFile(temp, text, 0o644, "wx");
    await fs.rename(temp, target);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined); // never created, or renamed already
    throw error;
  }
}
