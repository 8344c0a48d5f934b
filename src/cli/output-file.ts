/** Writes a report file (`--output-file`, `report --html`) so that readers see the old file or the new one, never a part. */
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { tempFileName } from "../generate/temp-name.js";

/** Writes `content` to `path` through a synced temp file in its directory and a rename. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), tempFileName(basename(path)));
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
