/**
 * A loopback TCP proxy that a test controls, to make network faults between one client and one
 * server without root, packet filters or network namespaces:
 *
 * - `forward`: bytes pass both ways;
 * - `hold-down` / `hold-up` / `hold`: the server's answers (down), the client's requests (up)
 *   or both are held back while every socket stays open. This is what a silent partition does
 *   to TCP: segments are dropped, the kernel retransmits them, and nothing reaches the other
 *   side until the path heals, when everything held arrives in order (the proxy stops reading,
 *   so the data waits in socket buffers and TCP's window closes, as it would). Closes are held
 *   too: a peer behind a partition does not see a FIN either;
 * - `refuse`: new connections are closed at once (a member that is down); open ones are kept.
 *
 * New connections get the mode in force (their TCP handshake completes, as when a packet
 * filter drops only data segments); `reset()` drops every open connection (both sides closed).
 */
import net from "node:net";

/** What the proxy does with bytes and connections. */
export type ProxyMode = "forward" | "hold-down" | "hold-up" | "hold" | "refuse";

interface Side {
  socket: net.Socket;
  /** The socket ended or closed while its direction was held: tell the other side on release. */
  closedWhileHeld: boolean;
}

interface Pair {
  client: Side;
  server: Side;
}

/** A running proxy from `address` to its target. */
export class TcpProxy {
  private modeNow: ProxyMode = "forward";
  private readonly pairs = new Set<Pair>();
  private acceptedCount = 0;
  private upBytes = 0;
  private downBytes = 0;

  private constructor(
    private readonly listener: net.Server,
    /** The port the proxy listens on (127.0.0.1). */
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards to `target` (`host:port` or an object). */
  static async start(target: string | { host: string; port: number }, mode: ProxyMode = "forward"): Promise<TcpProxy> {
    const to = typeof target === "string" ? parseTarget(target) : target;
    const listener = net.createServer();
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(0, "127.0.0.1", () => resolve());
    });
    const proxy = new TcpProxy(listener, (listener.address() as net.AddressInfo).port, to);
    proxy.modeNow = mode;
    listener.on("connection", (socket: net.Socket) => proxy.accept(socket));
    return proxy;
  }

  /** `127.0.0.1:<port>`, for a connect string. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get mode(): ProxyMode {
    return this.modeNow;
  }

  /** Connections accepted so far (refused ones included). */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** Connections open now. */
  get open(): number {
    return this.pairs.size;
  }

  /** Bytes delivered client → server and server → client so far. */
  get bytes(): { up: number; down: number } {
    return { up: this.upBytes, down: this.downBytes };
  }

  /** Switches the mode for open and new connections; releasing a direction delivers what it held, in order. */
  setMode(mode: ProxyMode): void {
    this.modeNow = mode;
    for (const pair of this.pairs) this.apply(pair);
  }

  /** Drops every open connection (both sides closed at once), as a crash or a reset would. */
  reset(): void {
    for (const pair of [...this.pairs]) this.destroy(pair);
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.reset();
    await new Promise((resolve) => this.listener.close(resolve));
  }

  private holds(direction: "up" | "down"): boolean {
    return this.modeNow === "hold" || this.modeNow === `hold-${direction}`;
  }

  private accept(client: net.Socket): void {
    this.acceptedCount++;
    client.on("error", () => undefined);
    if (this.modeNow === "refuse") {
      client.destroy();
      return;
    }
    const server = net.connect(this.target.port, this.target.host);
    server.on("error", () => undefined);
    server.setNoDelay(true);
    client.setNoDelay(true);
    const pair: Pair = { client: { socket: client, closedWhileHeld: false }, server: { socket: server, closedWhileHeld: false } };
    this.pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      this.upBytes += chunk.length;
      server.write(chunk);
    });
    server.on("data", (chunk: Buffer) => {
      this.downBytes += chunk.length;
      client.write(chunk);
    });
    const closed = (from: Side, direction: "up" | "down"): void => {
      if (!this.pairs.has(pair)) return;
      if (this.holds(direction)) from.closedWhileHeld = true;
      else this.destroy(pair);
    };
    client.on("close", () => closed(pair.client, "up"));
    server.on("close", () => closed(pair.server, "down"));
    this.apply(pair);
  }

  private apply(pair: Pair): void {
    for (const [side, direction] of [
      [pair.client, "up"],
      [pair.server, "down"],
    ] as const) {
      if (this.holds(direction)) {
        side.socket.pause();
      } else {
        side.socket.resume();
        if (side.closedWhileHeld) {
          // What was held is delivered first: end() writes after the data already queued.
          const other = side === pair.client ? pair.server.socket : pair.client.socket;
          other.end(() => this.destroy(pair));
          setTimeout(() => this.destroy(pair), 200).unref();
        }
      }
    }
  }

  private destroy(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.socket.destroy();
    pair.server.socket.destroy();
  }
}

function parseTarget(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { host, port: Number(address.slice(colon + 1)) };
}
