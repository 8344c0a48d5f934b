/** Where each package's cron.d file goes, per `--mode` (SPEC 4.1). */
import { posix } from "node:path";
import type { OutputMode } from "../types.js";
import { cronFileName } from "../debian/cron-file-name.js";

/** Output path of one package's file, and the name it has under /etc/cron.d. */
export interface OutputPath {
  /** Relative to the root (modes source and tree) or to `--out` (mode dir), with `/`. */
  path: string;
  /** The file name under /etc/cron.d. */
  name: string;
}

/** `debianDir` from config, normalised (`./debian/` → `debian`). */
export function normaliseDebianDir(debianDir: string): string {
  const normal = posix.normalize(debianDir.replace(/\\/g, "/")).replace(/\/+$/, "");
  return normal === "" ? "." : normal;
}

/**
 * source: `<debianDir>/<package>.cron.d`, installed by dh_installcron as /etc/cron.d/<package>;
 * tree: `<debianDir>/<package>/etc/cron.d/<name>`; dir: `<name>`, where `<name>` maps
 * every character cron would refuse to `-`.
 */
export function outputPath(pkg: string, mode: OutputMode, debianDir: string): OutputPath {
  const dir = normaliseDebianDir(debianDir);
  switch (mode) {
    case "source":
      return { path: posix.join(dir, `${pkg}.cron.d`), name: pkg };
    case "tree": {
      const name = cronFileName(pkg);
      return { path: posix.join(dir, pkg, "etc", "cron.d", name), name };
    }
    case "dir": {
      const name = cronFileName(pkg);
      return { path: name, name };
    }
  }
}

/** The command written in each file's header to say how to regenerate it. */
export function regenerateCommand(mode: OutputMode): string {
  switch (mode) {
    case "source":
      return "cronmeta gen";
    case "tree":
      return "cronmeta gen --mode tree";
    case "dir":
      return "cronmeta gen --mode dir --out DIR";
  }
}
