/** Writes a report file (`--output-file`, `report --html`) so that readers see the old file or the new one, never a part. */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomically as replaceFile } from "../generate/atomic-write.js";

/** Writes `content` to `path` (mode 0644 under the umask), creating its directory. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await replaceFile(path, content, { mode: 0o644, exactMode: false });
}
