/**
 * `switchman --canary` (issue 18, docs/monitor.md "The canary"): the extra line gen puts in every
 * cron.d file, `* * * * * root switchman --canary --package PKG --build ID`, so that the monitor
 * knows that this host's cron is alive and has loaded that file at that build.
 *
 * The ZooKeeper write rate is one write per host per minute whatever the number of files:
 *
 * 1. every canary replaces one small file, `<state_dir>/<uid>/canary/<package>.json`
 *    (`{"v":1,"package","build","at"}`, atomically by rename): no ZooKeeper, no host name;
 * 2. the first canary of a minute on the host claims that minute (`.minute-<N>`, created with
 *    O_EXCL: exactly one process per host and minute wins), waits until the minute's canaries
 *    have written (3 s after the minute starts, at least 1 s) and, in ZooKeeper mode, writes the
 *    whole host's summary as one znode `<prefix>/canary/<host>` (persistent, about 100 bytes per
 *    file): when, which files at which build, and which packages' manifests are installed.
 *
 * So 30 hosts × 20 cron.d files make 30 writes a minute (0.5/s), and 19 of every 20 canaries end
 * after two file-system calls. The ZooKeeper client is loaded only by the minute's publisher.
 * A canary never prints on a normal minute (cron would mail it): trouble goes to switchman's log.
 *
 * The formats here are the one definition the monitor reads (src/monitor/canary.ts).
 */
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEBIAN_PACKAGE_NAME_RULE, isDebianPackageName } from "../syntax/debian.js";

/** Format version of the canary files and znodes. */
export const CANARY_VERSION = 1;

/** The directory under a user's state directory, and the child of `<prefix>` in ZooKeeper. */
export const CANARY_NAME = "canary";

/** Where dh_cronmeta installs the monitor manifests (src/generate/manifest.ts says the same). */
export const CANARY_MANIFEST_DIR = "/usr/share/cronmeta/manifests";

/** A build id as gen writes it: 16 hex digits of a SHA-256. */
export const BUILD_ID = /^[0-9a-f]{16}$/;

/** The publisher waits until this long after the minute began, so that the minute's canaries have written. */
export const SETTLE_MS = 3000;

/** ... and at least this long after its own start. */
export const MIN_SETTLE_MS = 1000;

/** Entries not refreshed for this long are left out of the host's summary (a file removed long ago). */
const FORGET_MS = 7 * 24 * 3600 * 1000;

/** One file's canary: the cron.d file of `package` ran at `at` with build `build`. */
export interface CanaryEntry {
  package: string;
  build: string;
  /** ISO 8601, UTC. */
  at: string;
}

/** A host's summary, `<prefix>/canary/<host>`. */
export interface HostCanary {
  v: number;
  host: string;
  /** When the summary was written (the minute's publisher). */
  at: string;
  /** Package → its cron.d file's last canary. */
  files: Record<string, { build: string; at: string }>;
  /** Package → the build of its manifest installed on this host; absent when the directory could not be read. */
  installed?: Record<string, { build: string; cronFile?: string }>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isIso = (value: unknown): value is string => typeof value === "string" && Number.isFinite(Date.parse(value));

function parseJson(source: string | Buffer): unknown {
  try {
    return JSON.parse(typeof source === "string" ? source : source.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A canary file; undefined when it is not one. */
export function parseCanaryEntry(source: string | Buffer): CanaryEntry | undefined {
  const data = parseJson(source);
  if (!isObject(data) || typeof data.v !== "number" || data.v < 1) return undefined;
  if (typeof data.package !== "string" || typeof data.build !== "string" || !isIso(data.at)) return undefined;
  return { package: data.package, build: data.build, at: data.at };
}

/** A host's summary from its znode; undefined when it is not one. */
export function parseHostCanary(source: string | Buffer | undefined): HostCanary | undefined {
  if (source === undefined) return undefined;
  const data = parseJson(source);
  if (!isObject(data) || typeof data.v !== "number" || data.v < 1 || typeof data.host !== "string" || !isIso(data.at) || !isObject(data.files)) return undefined;
  const files: HostCanary["files"] = {};
  for (const [pkg, entry] of Object.entries(data.files)) {
    if (!isObject(entry) || typeof entry.build !== "string" || !isIso(entry.at)) return undefined;
    files[pkg] = { build: entry.build, at: entry.at };
  }
  const summary: HostCanary = { v: data.v, host: data.host, at: data.at, files };
  if (data.installed !== undefined) {
    if (!isObject(data.installed)) return undefined;
    const installed: NonNullable<HostCanary["installed"]> = {};
    for (const [pkg, entry] of Object.entries(data.installed)) {
      if (!isObject(entry) || typeof entry.build !== "string") return undefined;
      installed[pkg] = typeof entry.cronFile === "string" ? { build: entry.build, cronFile: entry.cronFile } : { build: entry.build };
    }
    summary.installed = installed;
  }
  return summary;
}

/** The summary of the canary files `entries` (the newest per package), as of `at`. */
export function hostSummary(host: string, at: number, entries: readonly CanaryEntry[], installed?: HostCanary["installed"]): HostCanary {
  const files: HostCanary["files"] = {};
  for (const entry of [...entries].sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0))) {
    const known = files[entry.package];
    if (at - Date.parse(entry.at) > FORGET_MS) continue;
    if (known === undefined || known.at < entry.at) files[entry.package] = { build: entry.build, at: entry.at };
  }
  const summary: HostCanary = { v: CANARY_VERSION, host, at: new Date(at).toISOString(), files };
  if (installed !== undefined) summary.installed = installed;
  return summary;
}

/** The canary files of one canary directory (unreadable or foreign files are skipped). */
export async function readCanaryDir(dir: string): Promise<CanaryEntry[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json") && !n.startsWith("."));
  const entries = await Promise.all(names.map((n) => readFile(join(dir, n)).then(parseCanaryEntry, () => undefined)));
  return entries.filter((e): e is CanaryEntry => e !== undefined);
}

/** The manifests installed in `dir`: package → build (undefined when the directory cannot be read). */
export async function installedManifests(dir: string): Promise<HostCanary["installed"]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? {} : undefined;
  }
  const installed: NonNullable<HostCanary["installed"]> = {};
  for (const name of names) {
    const data = parseJson(await readFile(join(dir, name)).catch(() => ""));
    if (!isObject(data) || data.format !== "cronmeta-manifest" || typeof data.package !== "string" || typeof data.build !== "string") continue;
    installed[data.package] = typeof data.cronFile === "string" ? { build: data.build, cronFile: data.cronFile } : { build: data.build };
  }
  return installed;
}

/** What the canary's command line asks for. */
export interface CanaryInvocation {
  config: string;
  package: string;
  build: string;
  manifests: string;
}

/** `--canary [-c FILE] --package PKG --build ID [--manifests DIR]`; a message when it is not valid. */
export function parseCanaryArgs(argv: string[], defaultConfig: string): CanaryInvocation | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { canary: { type: "boolean" }, config: { type: "string", short: "c" }, package: { type: "string" }, build: { type: "string" }, manifests: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: `${(error as Error).message.split("\n")[0] ?? "invalid arguments"} (usage: switchman --canary [-c FILE] --package PKG --build ID)` };
  }
  if (values.package === undefined || !isDebianPackageName(values.package)) {
    return { error: `--canary needs --package PKG, a Debian package name (${DEBIAN_PACKAGE_NAME_RULE})` };
  }
  if (values.build === undefined || !BUILD_ID.test(values.build)) return { error: "--canary needs --build ID, the 16 hex digits gen wrote" };
  if (values.config === "") return { error: "--config must not be empty" };
  return { config: values.config ?? defaultConfig, package: values.package, build: values.build, manifests: values.manifests ?? CANARY_MANIFEST_DIR };
}

/** Seams for tests and the benchmark. */
export interface CanaryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: CanaryClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** What one canary did, for tests and the benchmark. */
export type CanaryOutcome = "off" | "noted" | "published" | "publish-failed";

/** Writes `path` atomically (a temporary name in the same directory, then rename). */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o644 });
  await rename(temp, path);
}

/**
 * Step 1 and the claim of step 2 (see the header): true when this canary is the minute's
 * publisher. `dir` is the user's canary directory.
 */
export async function noteCanary(dir: string, invocation: Pick<CanaryInvocation, "package" | "build">, now: number): Promise<boolean> {
  await mkdir(dir, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  const entry: CanaryEntry = { package: invocation.package, build: invocation.build, at: new Date(now).toISOString() };
  await writeAtomically(join(dir, `${invocation.package}.json`), `${JSON.stringify({ v: CANARY_VERSION, ...entry })}\n`);
  const minute = Math.floor(now / 60_000);
  try {
    await (await open(join(dir, `.minute-${minute}`), "wx", 0o644)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  // Earlier claims are of no use any more.
  for (const name of await readdir(dir)) {
    if (name.startsWith(".minute-") && name !== `.minute-${minute}`) await unlink(join(dir, name)).catch(() => undefined);
  }
  return true;
}

/** `switchman --canary …` (argv includes `--canary`): exit 0 except for a usage or config error (2). */
export async function runCanary(
  argv: string[],
  env: Record<string, string | undefined>,
  io: { stderr(text: string): void },
  clock: CanaryClock = realClock,
): Promise<{ status: number; outcome?: CanaryOutcome }> {
  const { DEFAULT_CONFIG_PATH, loadConfig, recordsConfig } = await import("./config.js");
  const { SwitchmanError } = await import("./coordinator.js");
  const invocation = parseCanaryArgs(argv, DEFAULT_CONFIG_PATH);
  if ("error" in invocation) {
    io.stderr(`switchman: ${invocation.error}\n`);
    return { status: 2 };
  }
  let config;
  try {
    config = loadConfig(resolve(invocation.config));
  } catch (error) {
    if (!(error instanceof SwitchmanError)) throw error;
    io.stderr(`switchman: ${error.message}\n`);
    return { status: error.exitCode };
  }
  const settings = recordsConfig(config);
  if (settings.stateDir === false) return { status: 0, outcome: "off" };
  const log = async (level: "warning" | "debug", message: string): Promise<void> => {
    const { Logger } = await import("./log.js");
    // Never on stderr: cron would mail it every minute. The log file (or syslog) has it.
    const logger = new Logger({ level: config.loglevel, pid: process.pid, stderr: () => undefined, ...(config.logfile ? { file: config.logfile } : {}) });
    logger.log(level, `canary ${invocation.package}: ${message}`);
    await logger.flush();
    logger.close();
  };
  const started = clock.now();
  let dir: string;
  let publisher: boolean;
  try {
    const { userStateDir } = await import("./records/state-dir.js");
    dir = join(await userStateDir(settings.stateDir), CANARY_NAME);
    publisher = await noteCanary(dir, invocation, started);
  } catch (error) {
    await log("warning", `cannot write the canary file: ${(error as Error).message}`);
    return { status: 0, outcome: "publish-failed" };
  }
  if (!publisher || config.mode !== "zookeeper") return { status: 0, outcome: "noted" };
  // Cron starts the minute's lines within about a second; a late start (a busy host) waits a little too.
  const wait = Math.max(Math.floor(started / 60_000) * 60_000 + SETTLE_MS - clock.now(), MIN_SETTLE_MS);
  await clock.sleep(wait);
  const { hostFqdn } = await import("./hostname.js");
  const [host, entries, installed] = await Promise.all([hostFqdn(env), readCanaryDir(dir), installedManifests(invocation.manifests)]);
  const summary = hostSummary(host, clock.now(), entries, installed);
  try {
    await publishSummary(config, summary, settings.recordTimeoutS * 1000);
  } catch (error) {
    await log("warning", `cannot write ${config.prefix}/${CANARY_NAME}/${host} to ZooKeeper: ${(error as Error).message}`);
    return { status: 0, outcome: "publish-failed" };
  }
  return { status: 0, outcome: "published" };
}

/** The znode of `host`'s summary. */
export function canaryPath(prefix: string, host: string): string {
  return `${prefix}/${CANARY_NAME}/${host}`;
}

/** One write (two or three the first time: the parent, then the node), each bounded by `timeoutMs`. */
async function publishSummary(config: { zkhosts: string; prefix: string; session_timeout: number; connect_timeout: number }, summary: HostCanary, timeoutMs: number): Promise<void> {
  const [{ ZkSession, ZkCallError }, zookeeper] = await Promise.all([import("./zookeeper/session.js"), import("node-zookeeper-client")]);
  const { CreateMode, Exception } = zookeeper.default;
  const session = await ZkSession.open(
    { zkhosts: config.zkhosts, sessionTimeoutMs: config.session_timeout * 1000, handshakeTimeoutMs: Math.min(3000, timeoutMs) },
    Math.min(config.connect_timeout * 1000, timeoutMs * 2),
  );
  const data = Buffer.from(JSON.stringify(summary));
  const path = canaryPath(config.prefix, summary.host);
  const code = (error: unknown): unknown => (error instanceof ZkCallError ? error.code : undefined);
  try {
    try {
      await session.setData(path, data, -1, timeoutMs);
    } catch (error) {
      if (code(error) !== Exception.NO_NODE) throw error;
      await session.create(`${config.prefix}/${CANARY_NAME}`, null, CreateMode.PERSISTENT, timeoutMs).catch((e: unknown) => {
        if (code(e) !== Exception.NODE_EXISTS) throw e;
      });
      await session.create(path, data, CreateMode.PERSISTENT, timeoutMs).catch(async (e: unknown) => {
        if (code(e) !== Exception.NODE_EXISTS) throw e;
        await session.setData(path, data, -1, timeoutMs);
      });
    }
  } finally {
    await session.close(1000);
  }
}
