/**
 * What a ZooKeeper member grants a session right now, asked before switchman lets its own
 * session reconnect there (issue 11).
 *
 * A member clamps the timeout a client asks for into its own [minSessionTimeout,
 * maxSessionTimeout] and, on a reconnect, hands that figure to the leader, which from then on
 * expires the session that long after it last heard of it: earlier than before when the member
 * grants less. The client learns the figure only from the member's answer, which may never
 * arrive (a path that drops that member's packets). So the figure is asked first, with a
 * throwaway session: a connect request with session id 0 and the timeout the reconnect will
 * ask, the answer read, the throwaway session closed at once. The encoding is the client
 * library's own (lib/jute); the socket is ours, so that a probe is one attempt with its own
 * timeout, never retried.
 */
import net from "node:net";
import jute from "node-zookeeper-client/lib/jute/index.js";
import type { ZkServerAddress } from "../../syntax/zkhosts.js";

/** After the answer, how long the throwaway session's close may take before the socket is dropped, ms. */
const CLOSE_WAIT_MS = 1000;

/**
 * The session timeout `server` grants when asked for `requestMs`, in ms; undefined when it does
 * not answer within `timeoutMs` (down, silent, not serving, or it refused the session).
 */
export function probeGrant(server: ZkServerAddress, requestMs: number, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const socket = net.connect({ host: server.host, port: server.port });
    const finish = (grantedMs: number | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(grantedMs);
    };
    const timer = setTimeout(() => {
      finish(undefined);
      socket.destroy();
    }, timeoutMs);
    timer.unref();
    socket.setNoDelay(true);
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
    socket.on("connect", () => {
      const request = new jute.protocol.ConnectRequest(jute.PROTOCOL_VERSION, Buffer.alloc(8), requestMs, Buffer.alloc(8), Buffer.alloc(16));
      socket.write(new jute.Request(null, request).toBuffer());
    });
    socket.on("data", (chunk: Buffer) => {
      if (settled) return;
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      const response = new jute.protocol.ConnectResponse();
      response.deserialize(received, 4);
      // A timeout of 0 is the server's "no session" (lib/ConnectionManager.js reads it as expired).
      const grantedMs = response.timeOut > 0 ? response.timeOut : undefined;
      finish(grantedMs);
      if (grantedMs === undefined) {
        socket.destroy();
        return;
      }
      // Closed at once rather than left to expire on the ensemble.
      socket.end(new jute.Request(new jute.protocol.RequestHeader(1, jute.OP_CODES.CLOSE_SESSION), null).toBuffer());
      setTimeout(() => socket.destroy(), CLOSE_WAIT_MS).unref();
    });
  });
}
