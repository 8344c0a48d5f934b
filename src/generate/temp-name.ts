/**
 * Names of the temp files of atomic writes: `.<name>.cronmeta-tmp-<pid>-<8 hex>`, in the
 * target's own directory so that rename(2) is atomic. The leading dot and the dots inside
 * make cron skip them even in /etc/cron.d (cron(8): names with dots are ignored), and the
 * pid lets the next run tell a crashed writer's leftover from a live one.
 */
import { randomBytes } from "node:crypto";

/** Matches a temp file name; group 1 is the writer's pid. */
export const TEMP_FILE = /^\..+\.cronmeta-tmp-(\d+)-[0-9a-f]{8}$/;

/** A fresh temp file name for `name`, written by this process. */
export function tempFileName(name: string): string {
  return `.${name}.cronmeta-tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
}
