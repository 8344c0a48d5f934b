// Stock Debian root file systems for the install tests: built once by make-rootfs.sh
// (mmdebstrap from Debian's archive, cached as a tar), unpacked into a scratch directory per
// run, and entered only through a private mount and UTS namespace (unshare), so /proc, /dev
// and the host name set for the chroot vanish with the namespace whatever happens to the test;
// `sweepMounts` in `after` unmounts anything that is left all the same.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { join } from "node:path";
import { repoRoot } from "../../helpers/paths.js";

/** The Debian releases the packages are tested on, with the nodejs they ship. */
export const RELEASES = ["bookworm", "trixie"] as const;
export type Release = (typeof RELEASES)[number];

const MAKE_ROOTFS = join(repoRoot, "test", "system", "install", "make-rootfs.sh");

/** Fails (never skips) when a tool the install test needs is missing, naming its Debian package. */
export function requireInstallTools(): void {
  assert.equal(process.getuid?.(), 0, "the install test needs root (mmdebstrap --mode=root, chroot, mount namespaces)");
  const tools: Record<string, string> = {
    mmdebstrap: "mmdebstrap",
    unshare: "util-linux",
    setpriv: "util-linux",
    mount: "mount",
    chroot: "coreutils",
    tar: "tar",
    "dpkg-buildpackage": "dpkg-dev",
    "dpkg-deb": "dpkg",
    dh: "debhelper",
    java: "zookeeper (default-jre-headless)",
  };
  for (const [tool, pkg] of Object.entries(tools)) {
    const found = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"].some((dir) => existsSync(join(dir, tool)));
    assert.ok(found, `${tool} not found: install Debian package ${pkg} (apt-get install ${pkg.split(" ")[0]})`);
  }
}

/**
 * The cached root file system of `release` (built now if missing: about 30 s of downloads).
 * A release that cannot be built fails the test with make-rootfs.sh's reason.
 */
export async function rootfsTar(release: Release): Promise<string> {
  const child = spawn("sh", [MAKE_ROOTFS, release], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0, `Debian ${release} root file system could not be built:\n${stderr.slice(-4000)}`);
  const tar = stdout.trim().split("\n").at(-1) ?? "";
  assert.ok(existsSync(tar), `make-rootfs.sh printed no tar file: ${stdout}`);
  return tar;
}

/** Unpacks `tar` into `root` (which must not exist). */
export function unpack(tar: string, root: string): void {
  mkdirSync(root, { recursive: true });
  const result = spawnSync("tar", ["-C", root, "--numeric-owner", "-xpf", tar], { encoding: "utf8" });
  assert.equal(result.status, 0, `tar -x ${tar}: ${result.stderr}`);
}

/** How to enter a root: its host name, its syslog socket, whether it has a network. */
export interface Enter {
  root: string;
  /** Host name inside the UTS namespace (switchman's `hostname --fqdn`). */
  hostname: string;
  /** A Unix socket bound over the root's /dev/log. */
  syslogSocket?: string;
  /** Without network (a network namespace with nothing in it), as apt must work here. */
  offline?: boolean;
}

/** The namespace script: /proc, a private /dev (the usual devices, and `log`), the host name, then `command` in the chroot. */
function script(enter: Enter, command: string[]): string {
  const r = enter.root;
  const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  return [
    "set -eu",
    `mount -t proc proc ${quote(`${r}/proc`)}`,
    `mount -t tmpfs -o mode=0755,size=1m tmpfs ${quote(`${r}/dev`)}`,
    ...["null", "zero", "full", "random", "urandom", "tty"].map((n) => `touch ${quote(`${r}/dev/${n}`)} && mount --bind /dev/${n} ${quote(`${r}/dev/${n}`)}`),
    `ln -s /proc/self/fd ${quote(`${r}/dev/fd`)}`,
    ...(enter.syslogSocket === undefined ? [] : [`touch ${quote(`${r}/dev/log`)} && mount --bind ${quote(enter.syslogSocket)} ${quote(`${r}/dev/log`)}`]),
    `hostname ${quote(enter.hostname)}`,
    `exec chroot ${quote(r)} ${command.map(quote).join(" ")}`,
  ].join("\n");
}

/** The command line that runs `command` inside the root; the kernel kills it if this process dies. */
function argv(enter: Enter, command: string[]): string[] {
  return [
    "--pdeathsig",
    "KILL",
    "unshare",
    "--mount",
    "--uts",
    ...(enter.offline === true ? ["--net"] : []),
    "--propagation",
    "private",
    "--fork",
    "--kill-child",
    "sh",
    "-c",
    script(enter, command),
  ];
}

const CHROOT_ENV = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8", DEBIAN_FRONTEND: "noninteractive", HOME: "/root" };

/** Runs `command` in the root to its end. */
export async function runIn(enter: Enter, command: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn("setpriv", argv(enter, command), { stdio: ["ignore", "pipe", "pipe"], env: CHROOT_ENV });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { status, stdout, stderr };
}

/** Like runIn, failing the test with the output unless it exits 0. */
export async function runInOk(enter: Enter, command: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await runIn(enter, command);
  assert.equal(result.status, 0, `in ${enter.root}: ${command.join(" ")} exited ${result.status}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

/** A long-running process in the root (cron), stopped with `stop()`. */
export function startIn(enter: Enter, command: string[]): { child: ChildProcess; stderr: () => string; stop: () => Promise<void> } {
  const child = spawn("setpriv", argv(enter, command), { stdio: ["ignore", "ignore", "pipe"], env: CHROOT_ENV, detached: true });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // gone
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };
  return { child, stderr: () => stderr, stop };
}

/** A syslog receiver: a Unix stream socket (glibc's syslog() and logger(1) fall back to one), messages without `<PRI>`. */
export async function syslogListener(path: string): Promise<{ lines: string[]; close: () => Promise<void> }> {
  const lines: string[] = [];
  const server: Server = createServer((socket) => {
    let pending = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      pending += chunk;
      const parts = pending.split(/\0|\n/);
      pending = parts.pop() ?? "";
      for (const part of parts) if (part !== "") lines.push(part.replace(/^<\d+>/, ""));
    });
    // logger(1) sends one message per connection, not always terminated: the end ends it.
    socket.on("end", () => {
      if (pending !== "") lines.push(pending.replace(/^<\d+>/, ""));
      pending = "";
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  // Like /dev/log: every user may write to it (connecting to a Unix socket needs write permission).
  chmodSync(path, 0o666);
  return { lines, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Unmounts whatever is still mounted under `root` (a namespace always takes its mounts along; this is the safety net). */
export function sweepMounts(root: string): void {
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => point !== undefined && (point === root || point.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) spawnSync("umount", ["-l", point]);
}

/** Paths whose presence dpkg, apt and the test's own scratch files change; everything else is compared. */
const BOOKKEEPING = [/^\/proc(\/|$)/, /^\/dev(\/|$)/, /^\/sys(\/|$)/, /^\/tmp\//, /^\/var\/lib\/dpkg\//, /^\/var\/lib\/apt\//, /^\/var\/cache\/apt\//, /^\/var\/cache\/debconf\//, /^\/var\/log\/apt\//, /^\/var\/log\/(dpkg|alternatives)\.log$/, /^\/run\/crond\.(pid|reboot)$/, /^\/debs(\/|$)/];

/** Every path in the root (type and path), without the bookkeeping of dpkg, apt and cron. */
export function fileList(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const path = `${rel}/${name}`;
      if (BOOKKEEPING.some((re) => re.test(path))) continue;
      const stat = lstatSync(join(root, path));
      out.push(`${stat.isDirectory() ? "d" : stat.isSymbolicLink() ? "l" : "f"} ${path}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk("");
  return out.sort();
}

/** Writes `text` into the root at `path` (absolute inside the root) with `mode`. */
export function writeIn(root: string, path: string, text: string, mode = 0o644): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text, { mode });
}

/** Removes an unpacked root (after its namespaces are gone and nothing is mounted in it). */
export function removeRoot(root: string): void {
  sweepMounts(root);
  rmSync(root, { recursive: true, force: true });
}
