/**
 * Local mode (SPEC 8.4): one box, no ZooKeeper. Groups come from the config file and are
 * matched against this host's FQDN; locks are kernel flocks on `<lockdir>/<uid>/<lockname>`
 * (one private directory per job user, see lockdir.ts), which the kernel releases whenever the
 * holder dies, so nothing can take a held lock away.
 * What can change while CMD runs is the group: like the ZooKeeper back end watches the
 * prefix data, local mode watches the config file and reports a loss when this host is no
 * longer in the group or the file no longer yields valid groups.
 */
import { readFileSync, statSync } from "node:fs";
import { SwitchmanError, type AcquireRequest, type Coordinator, type Decision, type LossReport } from "../coordinator.js";
import { hostInGroup, type Groups } from "../groups.js";
import { describeHolder, lockPath, readReplaceRequest, releaseLock, replaceRequestPath, tryLock, type HeldLock } from "./flock.js";
import type { HeldLocalLease } from "./leases.js";

/** How often the config file is checked for changes while CMD runs, ms. */
export const CONFIG_POLL_MS = 1000;

/** What local mode needs from the configuration. */
export interface LocalCoordinatorOptions {
  groups: Groups;
  lockdir: string;
  /** PATH for the flock(1) helper. */
  env: Record<string, string | undefined>;
  /** The config file to watch for group changes, and how to read its groups (throws SwitchmanError when invalid). */
  reload?: { path: string; groups: () => Groups };
  /** Debug lines of the lease wait (issue 16). */
  log?: (level: "debug" | "info" | "warning" | "critical", message: string) => void;
}

/** What changes when the file is edited or replaced: inode, size and modification time. */
function fileIdentity(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? ""}`;
  }
}

function holderOf(path: string): string {
  try {
    const text = readFileSync(path, "utf8").trim().slice(0, 300);
    return text === "" ? "" : ` (${text})`;
  } catch {
    return "";
  }
}

/** A Coordinator backed by the config file's groups and flock(2). */
export function createLocalCoordinator(options: LocalCoordinatorOptions): Coordinator {
  let held: HeldLock | undefined;
  let leases: HeldLocalLease[] = [];
  let releaseLease: ((lease: HeldLocalLease) => void) | undefined;
  let request: AcquireRequest | undefined;
  let stopWatching: (() => void) | undefined;
  /** Aborted by close(): a lease wait ends at once. */
  const stopping = new AbortController();
  return {
    async acquire(req: AcquireRequest): Promise<Decision> {
      request = req;
      // Group first: a host outside the group creates nothing, not even a lock file.
      if (req.group !== undefined && !hostInGroup(options.groups, req.group, req.host)) {
        return { run: false, reason: "not-in-group", detail: `host ${req.host} is not in group ${req.group}` };
      }
      const waitUntil = req.waitS === undefined ? undefined : (req.startedAt ?? performance.now()) + req.waitS * 1000;
      if (req.lockname !== undefined) {
        let lock = await tryLock(options.lockdir, req.lockname, options.env);
        if (lock === undefined && req.replace === true) {
          // Loaded only with --concurrency replace.
          const { replaceLocalHolder } = await import("./replace.js");
          lock = await replaceLocalHolder({ lockdir: options.lockdir, name: req.lockname, env: options.env, wait: { until: waitUntil, signal: stopping.signal }, log: options.log ?? (() => undefined) });
          if (lock === undefined) {
            if (stopping.signal.aborted) throw new SwitchmanError("switchman is stopping", 75);
            return { run: false, reason: "wait-timeout", detail: `the holder of ${lockPath(options.lockdir, req.lockname)} did not end within --wait` };
          }
        }
        if (lock === undefined) {
          const path = lockPath(options.lockdir, req.lockname);
          return { run: false, reason: "lock-held", detail: `lock ${path} is held by another process${holderOf(path)}` };
        }
        held = lock;
        describeHolder(lock, `${req.host} ${req.pid}`);
      }
      if (req.leases !== undefined && req.leases.list.length > 0) {
        // Loaded only for a run with leases (issue 16): the skip path never pays for it.
        const { acquireLocalLeases, releaseLocalLease } = await import("./leases.js");
        releaseLease = releaseLocalLease;
        const outcome = await acquireLocalLeases({
          lockdir: options.lockdir,
          leases: req.leases.list,
          holder: `${req.host} ${req.pid}`,
          waitUntil,
          signal: stopping.signal,
          env: options.env,
          log: options.log ?? (() => undefined),
        });
        if (!outcome.held) return { run: false, reason: "wait-timeout", detail: `${outcome.waited} (--wait ${req.waitS ?? "-"} s)` };
        leases = outcome.leases;
      }
      return { run: true };
    },
    watch(onLost: (loss: LossReport) => void): void {
      const group = request?.group;
      const host = request?.host;
      const reload = options.reload;
      if (group === undefined || host === undefined || reload === undefined) return;
      const check = (): void => {
        let loss: LossReport | undefined;
        try {
          if (!hostInGroup(reload.groups(), group, host)) loss = { reason: "group-changed", detail: `host ${host} is no longer in group ${group}` };
        } catch (error) {
          const message = error instanceof SwitchmanError ? error.message : String(error);
          loss = { reason: "group-changed", detail: `the groups of ${reload.path} can no longer be read: ${message}` };
        }
        if (loss !== undefined) {
          stopWatching?.();
          onLost(loss);
        }
      };
      // Polling stat(2) by path also sees an editor's atomic rename. The baseline is taken now,
      // synchronously, and the file checked once more: an edit made since start-up is not missed.
      let last = fileIdentity(reload.path);
      const timer = setInterval(() => {
        const now = fileIdentity(reload.path);
        if (now === last) return;
        last = now;
        check();
      }, CONFIG_POLL_MS);
      timer.unref();
      stopWatching = () => {
        clearInterval(timer);
        stopWatching = undefined;
      };
      queueMicrotask(check);
    },
    lossForSignal(signal: NodeJS.Signals): LossReport | undefined {
      if (signal !== "SIGTERM" || request?.replace !== true || request.lockname === undefined || held === undefined) return undefined;
      const path = replaceRequestPath(options.lockdir, request.lockname);
      // No request: a SIGTERM from someone else. Only a request that names this switchman
      // counts: one left by a dead asker for an earlier holder is not ours.
      const asked = readReplaceRequest(path);
      if (asked?.holder !== request.pid) return undefined;
      return { reason: "replaced", detail: `a newer run (switchman ${asked.asker}) asks to replace this one (${path})` };
    },
    lockFd(): number | undefined {
      return held?.fd;
    },
    leaseFds(): number[] {
      return leases.map((lease) => lease.fd);
    },
    async close(): Promise<void> {
      stopping.abort();
      stopWatching?.();
      for (const lease of leases) releaseLease?.(lease);
      leases = [];
      if (held === undefined) return;
      const lock = held;
      held = undefined;
      releaseLock(lock);
    },
  };
}
