/**
 * The one way cronmeta replaces a file (cron files, reports, scripts that `import` edits):
 * a temp file in the target's directory (src/generate/temp-name.ts), written, synced and
 * renamed over the target, so that a reader sees the old file or the new one, never a part,
 * and a failure leaves no temp file behind.
 */
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { tempFileName } from "./temp-name.js";

export interface AtomicWriteOptions {
  /** The new file's mode. */
  mode: number;
  /** Set the mode exactly (the umask may narrow the mode open() is given); false: as the umask leaves it. */
  exactMode: boolean;
  /** Give the file this owner (only root can). */
  owner?: { uid: number; gid: number };
  /**
   * Called with the complete, synced temp file before the rename; `false` leaves the target
   * alone (the temp file is removed) and makes the write return false.
   */
  beforeRename?: (tempPath: string) => Promise<boolean | void> | boolean | void;
}

/** Replaces `target` with `content`; false when `beforeRename` declined. */
export async function writeFileAtomically(target: string, content: string, options: AtomicWriteOptions): Promise<boolean> {
  const temp = join(dirname(target), tempFileName(basename(target)));
  // "wx": O_CREAT|O_EXCL never follows a link planted at the temp path.
  const handle = await open(temp, "wx", options.mode);
  try {
    await handle.writeFile(content, "utf8");
    if (options.exactMode) await handle.chmod(options.mode);
    if (options.owner !== undefined) await handle.chown(options.owner.uid, options.owner.gid);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await removeTemp(temp);
    throw error;
  }
  await handle.close();
  try {
    if ((await options.beforeRename?.(temp)) === false) {
      await removeTemp(temp);
      return false;
    }
    await rename(temp, target);
    return true;
  } catch (error) {
    await removeTemp(temp);
    throw error;
  }
}

async function removeTemp(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
