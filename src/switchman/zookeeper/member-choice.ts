/**
 * Which member a session's next connection goes to, once the session exists (issue 11).
 *
 * The leader expires a session `t` after it last heard of it, where `t` is the timeout granted
 * by the member that reported it last, and every connect request is such a report: a member
 * that grants less (a lower maxSessionTimeout, as a rolling configuration change leaves it for
 * hours) moves the expiry earlier, whether or not its answer ever reaches the client. So the
 * safety budget can rest only on members known to grant at least the floor it assumes, and a
 * reconnect goes only to a member that has just shown it does: the members are asked in random
 * order (a throwaway session each, grant-probe.ts), the next one as soon as the one before has
 * failed or HEDGE_MS has passed without its answer, and the first whose answer grants at least
 * the floor gets the connection, at once. So a failover usually costs one throwaway session, and
 * silent members delay it by HEDGE_MS each, not by a whole probe timeout. Members that grant less
 * are never used; members that do not answer are asked again in the next round.
 *
 * The first connection, made before the session exists, keeps the client library's own choice:
 * its answer is what sets the floor (ZkSession), and nothing is at stake before it.
 */
import type { ConnectionManagerInternals } from "node-zookeeper-client";
import type { ZkServerAddress } from "../../syntax/zkhosts.js";
import { probeGrant } from "./grant-probe.js";
import type { LogFunction } from "../log.js";

/** Random pause between two rounds in which no member could be used, at most, ms (the client's own spinDelay). */
const ROUND_PAUSE_MS = 200;
/** The next member is asked when the one before has not answered within this long, ms. */
const HEDGE_MS = 150;

/** How the members are chosen. */
export interface MemberChoiceOptions {
  servers: ZkServerAddress[];
  /** A member that has not answered within this long is left for this round, ms. */
  probeTimeoutMs: number;
  log: LogFunction;
  /** The probe; a fake one in unit tests. */
  probe?: typeof probeGrant;
  /** The order in which a round asks the members; default a fresh random order (a fleet spreads over them). */
  order?: (servers: ZkServerAddress[]) => ZkServerAddress[];
}

function shuffled(servers: ZkServerAddress[]): ZkServerAddress[] {
  const out = [...servers];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as ZkServerAddress, out[i] as ZkServerAddress];
  }
  return out;
}

/** `host:port`, IPv6 in brackets, as in zkhosts. */
export function memberName(server: { host: string; port: number | string }): string {
  return server.host.includes(":") ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** Chooses the member of every reconnect; see the module comment. */
export class MemberChoice {
  private floor: number | undefined;
  private stopped = false;
  /** Members already reported as granting too little, with what they granted (one warning each). */
  private readonly short = new Map<string, number>();
  private readonly probe: typeof probeGrant;

  constructor(private readonly options: MemberChoiceOptions) {
    this.probe = options.probe ?? probeGrant;
  }

  /**
   * Takes over the connection manager's choice of server (lib/ConnectionManager.js calls
   * findNextServer before every connect attempt, and only then). Before {@link setFloor}, its
   * own choice stands.
   */
  install(manager: ConnectionManagerInternals): void {
    const own = manager.findNextServer.bind(manager);
    manager.findNextServer = (callback) => {
      const floor = this.floor;
      if (floor === undefined) {
        own(callback);
        return;
      }
      void this.choose(manager.sessionTimeout, floor).then((server) => {
        if (server !== undefined && !this.stopped) callback(server);
      });
    };
  }

  /** From now on a reconnect goes only to a member that grants at least `floorMs`. */
  setFloor(floorMs: number): void {
    this.floor = floorMs;
  }

  /** No more choices (the session is closed or expired); a round under way leads nowhere. */
  stop(): void {
    this.stopped = true;
  }

  /** Rounds over all members until one grants at least `floorMs` when asked for `requestMs`. */
  private async choose(requestMs: number, floorMs: number): Promise<ZkServerAddress | undefined> {
    while (!this.stopped) {
      const chosen = await this.round(requestMs, floorMs);
      if (chosen !== undefined) return chosen;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ROUND_PAUSE_MS).unref());
    }
    return undefined;
  }

  /** One round over the members, hedged (see the module comment); undefined when none qualified. */
  private round(requestMs: number, floorMs: number): Promise<ZkServerAddress | undefined> {
    const order = (this.options.order ?? shuffled)(this.options.servers);
    return new Promise((resolve) => {
      let next = 0;
      let pending = 0;
      let settled = false;
      const settle = (server: ZkServerAddress | undefined): void => {
        if (settled) return;
        settled = true;
        resolve(server);
      };
      const ask = (): void => {
        if (settled) return;
        if (this.stopped || next >= order.length) {
          if (pending === 0) settle(undefined);
          return;
        }
        const server = order[next++] as ZkServerAddress;
        pending++;
        const hedge = setTimeout(ask, HEDGE_MS);
        void this.probe(server, requestMs, this.options.probeTimeoutMs).then((grantedMs) => {
          pending--;
          clearTimeout(hedge);
          if (settled) return;
          if (!this.stopped && grantedMs !== undefined && grantedMs >= floorMs) {
            this.options.log("debug", `ZooKeeper member ${memberName(server)} grants ${grantedMs / 1000} s: reconnecting there`);
            settle(server);
            return;
          }
          if (!this.stopped && grantedMs !== undefined) this.tooShort(server, grantedMs, floorMs);
          ask(); // this one failed: the next one now, without waiting for the hedge
        });
      };
      ask();
    });
  }

  private tooShort(server: ZkServerAddress, grantedMs: number, floorMs: number): void {
    const name = memberName(server);
    if (this.short.get(name) === grantedMs) return;
    this.short.set(name, grantedMs);
    this.options.log(
      "warning",
      `ZooKeeper member ${name} grants only ${grantedMs / 1000} s sessions, less than the ${floorMs / 1000} s ` +
        "the safety budget rests on: switchman does not reconnect there (every member must allow session_timeout: " +
        "check its maxSessionTimeout and minSessionTimeout)",
    );
  }
}
