// Shared plumbing of the Debian integration tests: real dpkg-buildpackage, dpkg-deb and
// lintian runs in temp directories, with cronmeta's add-on and CLI taken from this checkout.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { builtBin, cronmetaBin, repoRoot } from "../../helpers/paths.js";

/** Result of a finished command. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell) and returns its status and output. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like {@link run}, but fails the test with the output when the command does not exit 0. */
export function runOk(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunResult {
  const result = run(command, args, options);
  assert.equal(
    result.status,
    0,
    `${command} ${args.join(" ")} exited ${result.status}\n--- stdout ---\n${result.stdout.slice(-8000)}\n--- stderr ---\n${result.stderr.slice(-8000)}`,
  );
  return result;
}

function onPath(command: string, path: string | undefined): boolean {
  return (path ?? "").split(delimiter).some((dir) => {
    if (dir === "") return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Fails (never skips) when a system tool is missing, naming the Debian package that ships it. */
export function requireTools(tools: Record<string, string>): void {
  for (const [command, debianPackage] of Object.entries(tools)) {
    assert.ok(onPath(command, process.env.PATH), `${command} not found: install Debian package ${debianPackage} (apt-get install ${debianPackage})`);
  }
}

/** The tools every Debian build test needs, with the packages that ship them. */
/** The cron packages of examples/my-project. */
export const CRON_PACKAGES = ["my-project-scripts1", "my-project-scripts2", "my-project-scripts3"];

export const BUILD_TOOLS = {
  "dpkg-buildpackage": "dpkg-dev",
  "dpkg-checkbuilddeps": "dpkg-dev",
  "dpkg-deb": "dpkg",
  dh: "debhelper",
  lintian: "lintian",
  pod2man: "perl",
};

/** Fails unless `npm run build` produced the compiled cronmeta executable. */
export function requireBuiltCli(): void {
  builtBin(cronmetaBin);
}

/**
 * A directory holding a `cronmeta` executable that runs this checkout's compiled CLI with the
 * current node, so debian/rules and dh_cronmeta find "cronmeta" on PATH without any install.
 */
export function makeCronmetaShim(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const shim = join(dir, "cronmeta");
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${cronmetaBin}' "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

/**
 * Environment for a package build that uses the add-on from this repository without
 * installing it: dh finds Debian::Debhelper::Sequence::cronmeta through PERL5LIB, and
 * dh_cronmeta, dh_cronmeta_clean and the cronmeta shim through PATH.
 */
export function addonEnv(shimDir: string): NodeJS.ProcessEnv {
  const debhelperDir = join(repoRoot, "debhelper");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [shimDir, debhelperDir, process.env.PATH ?? "/usr/bin:/bin"].join(delimiter),
    PERL5LIB: [debhelperDir, process.env.PERL5LIB].filter((p) => p !== undefined && p !== "").join(delimiter),
    // Reproducible, quiet, non-interactive builds.
    SOURCE_DATE_EPOCH: "1796000000",
    DEB_BUILD_OPTIONS: "nocheck",
    LC_ALL: "C.UTF-8",
  };
  delete env.DH_VERBOSE;
  delete env.MAKEFLAGS;
  delete env.MAKELEVEL;
  delete env.CRONMETA;
  delete env.DH_CRONMETA_MODE;
  return env;
}

/**
 * Copies examples/my-project to `dest` (which must not exist), without what a `cronmeta gen`
 * or a package build in the checkout may have left there (the paths of its .gitignore).
 */
export function copyExample(dest: string): string {
  const source = join(repoRoot, "examples", "my-project");
  const leftover = /^debian\/(?:[^/]+\.cron\.d|\.debhelper|debhelper-build-stamp|files|[^/]+\.substvars|my-project(?:-scripts\d+)?)$/;
  cpSync(source, dest, {
    recursive: true,
    filter: (path) => !leftover.test(relative(source, path).split(sep).join("/")),
  });
  return dest;
}

/** One entry of `dpkg-deb -c`. */
export interface DebEntry {
  /** e.g. `-rw-r--r--`, `drwxr-xr-x`, `lrwxrwxrwx` */
  mode: string;
  owner: string;
  /** Path without the leading `.`, e.g. `/etc/cron.d/foo`; directories end with `/`. */
  path: string;
  /** Symlink target, if any. */
  target?: string;
}

/** Lists a .deb's data archive with `dpkg-deb -c`. */
export function debContents(deb: string): DebEntry[] {
  const out = runOk("dpkg-deb", ["-c", deb], { cwd: repoRoot }).stdout;
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      // -rw-r--r-- root/root      1234 2026-11-28 06:00 ./etc/cron.d/foo [-> target]
      const match = /^(\S+)\s+(\S+)\s+\d+\s+\S+\s+\S+\s+\.(\/.*?)(?: -> (.*))?$/.exec(line);
      assert.ok(match, `unexpected dpkg-deb -c line: ${line}`);
      const entry: DebEntry = { mode: match[1]!, owner: match[2]!, path: match[3]! };
      if (match[4] !== undefined) entry.target = match[4];
      return entry;
    });
}

/** One lintian tag line (`E: pkg: tag [context]` or `E: pkg: tag context`). */
export interface LintianTag {
  severity: string;
  package: string;
  tag: string;
  context: string;
  line: string;
}

/** Runs lintian (errors, warnings and info) on a .changes file and parses its tags. */
export function lintian(changes: string, cwd: string): { tags: LintianTag[]; output: string } {
  const result = run("lintian", ["--display-info", "--no-tag-display-limit", changes], { cwd });
  // lintian exits 1 when it emitted error tags, 2 on a failure of its own.
  assert.ok(result.status === 0 || result.status === 1, `lintian failed (${result.status}):\n${result.stderr}`);
  const tags = result.stdout
    .split("\n")
    .map((line) => /^([EWIPXCO]): ([^:\s]+)(?: \w+)?: (\S+)\s*(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ severity: m[1]!, package: m[2]!, tag: m[3]!, context: m[4]!, line: m[0] }));
  return { tags, output: result.stdout };
}

/** The .deb files dpkg-buildpackage left in `dir`, by package name. */
export function builtDebs(dir: string): Map<string, string> {
  const debs = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const match = /^([a-z0-9][a-z0-9.+-]+)_[^_]+_[a-z0-9]+\.deb$/.exec(name);
    if (match) debs.set(match[1]!, join(dir, name));
  }
  return debs;
}

/** The one .changes file in `dir`. */
export function changesFile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith(".changes"));
  assert.equal(files.length, 1, `expected one .changes file in ${dir}, found: ${files.join(", ")}`);
  return join(dir, files[0]!);
}

/** Copies the files git would see (tracked or not ignored) into `dest`; node_modules is linked. */
export function copyWorkingTree(dest: string): void {
  const listed = runOk("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot }).stdout;
  for (const file of listed.split("\0").filter((f) => f !== "")) {
    const from = join(repoRoot, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(from, join(dest, file), { verbatimSymlinks: true });
  }
  // The package build reads node_modules (tsc, production modules) but never writes to it.
  symlinkSync(join(repoRoot, "node_modules"), join(dest, "node_modules"));
}

/** The two binary packages built from this repository's debian/. */
export const OWN_PACKAGES = ["cronmeta", "switchman"];

/**
 * Builds this repository's packages with dpkg-buildpackage from a copy of the working tree in
 * `work` (build products never land in the checkout). Returns the .debs by package name and
 * the build's output.
 */
export function buildOwnPackages(work: string): { debs: Map<string, string>; log: string; source: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C.UTF-8", DEB_BUILD_OPTIONS: "nocheck" };
  delete env.MAKEFLAGS;
  delete env.MAKELEVEL;
  delete env.DH_VERBOSE;
  const source = join(work, "cronmeta");
  copyWorkingTree(source);
  runOk("dpkg-checkbuilddeps", [], { cwd: source, env });
  const build = runOk("dpkg-buildpackage", ["-us", "-uc", "-b"], { cwd: source, env });
  const debs = builtDebs(work);
  assert.deepEqual([...debs.keys()].sort(), OWN_PACKAGES, "dpkg-buildpackage built other packages than expected");
  return { debs, log: build.stdout + build.stderr, source };
}
