/**
 * Local mode (SPEC 8.4): one box, no ZooKeeper. Groups come from the config file and are
 * matched against this host's FQDN; locks are kernel flocks on `<lockdir>/<lockname>`,
 * which the kernel releases whenever the holder dies, so nothing can take a held lock away
 * and there is nothing to watch while CMD runs (the config file's groups are read once, at
 * start, as App::switchman reads its config once).
 */
import type { AcquireRequest, Coordinator, Decision, LossReport } from "../coordinator.js";
import { hostInGroup, type Groups } from "../groups.js";
import { describeHolder, releaseLock, tryLock, type HeldLock } from "./flock.js";

/** What local mode needs from the configuration. */
export interface LocalCoordinatorOptions {
  groups: Groups;
  lockdir: string;
  /** PATH for the flock(1) helper. */
  env: Record<string, string | undefined>;
}

/** A Coordinator backed by the config file's groups and flock(2). */
export function createLocalCoordinator(options: LocalCoordinatorOptions): Coordinator {
  let held: HeldLock | undefined;
  return {
    async acquire(request: AcquireRequest): Promise<Decision> {
      // Group first: a host outside the group creates nothing, not even a lock file.
      if (request.group !== undefined && !hostInGroup(options.groups, request.group, request.host)) {
        return { run: false, reason: "not-in-group", detail: `host ${request.host} is not in group ${request.group}` };
      }
      if (request.lockname === undefined) return { run: true };
      const lock = await tryLock(options.lockdir, request.lockname, options.env);
      if (lock === undefined) {
        return { run: false, reason: "lock-held", detail: `lock ${options.lockdir}/${request.lockname} is held by another process` };
      }
      held = lock;
      describeHolder(lock, `${request.host} ${request.pid}`);
      return { run: true };
    },
    watch(_onLost: (loss: LossReport) => void): void {
      // A flock cannot be lost while its holder lives.
    },
    async close(): Promise<void> {
      if (held === undefined) return;
      const lock = held;
      held = undefined;
      releaseLock(lock);
    },
  };
}
