/**
 * `zkhosts`, the ZooKeeper connect string of switchman's config: `host:port[,host:port...]`,
 * where host is a DNS name, an IPv4 address or an IPv6 address in brackets (`[::1]:2181`), and
 * port is 1-65535. No chroot suffix (`host:port/path`): switchman's namespace is `prefix`, as in
 * App::switchman ("zk chroot is not supported"). The config schema and the ZooKeeper session
 * both parse with this module, so a config that loads is a config that connects.
 */
/**
 * An IPv6 address, by the WHATWG URL parser (a global): node:net's isIPv6 would load node:net
 * and its streams on every switchman start, which validates its config with this module. On
 * the characters IPV6_PORT lets through the two agree (2,000,000 random strings compared).
 */
function isIPv6(host: string): boolean {
  try {
    new URL(`http://[${host}]/`);
    return true;
  } catch {
    return false;
  }
}

/** One server of the connect string. `host` is a name or an address, IPv6 without brackets. */
export interface ZkServerAddress {
  host: string;
  port: number;
}

/** The message for anything that is not a connect string. */
export const ZKHOSTS_MESSAGE = 'must be a ZooKeeper connect string "host:port,host:port" (host a name, an IPv4 address or [IPv6]; ports 1-65535)';

/** The message for a chroot suffix. */
export const ZKHOSTS_CHROOT_MESSAGE = "must not carry a chroot (`/path`): put the path into `prefix`";

const NAME_PORT = /^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([1-9][0-9]{0,4})$/;
const IPV6_PORT = /^\[([0-9A-Fa-f:.]+)\]:([1-9][0-9]{0,4})$/;

function server(text: string): ZkServerAddress | undefined {
  const named = NAME_PORT.exec(text);
  const bracketed = named ? undefined : IPV6_PORT.exec(text);
  const match = named ?? bracketed;
  if (!match) return undefined;
  const host = match[1] as string;
  const port = Number(match[2]);
  if (port > 65535 || (bracketed && !isIPv6(host))) return undefined;
  return { host, port };
}

/** The servers of `text` in their written order, or undefined when it is not a valid zkhosts. */
export function parseZkhosts(text: string): ZkServerAddress[] | undefined {
  if (text.includes("/")) return undefined;
  const servers: ZkServerAddress[] = [];
  for (const part of text.split(",")) {
    const parsed = server(part);
    if (parsed === undefined) return undefined;
    servers.push(parsed);
  }
  return servers;
}

/** Why `text` is not a valid zkhosts (a phrase starting "must"), or undefined when it is. */
export function zkhostsProblem(text: string): string | undefined {
  if (text.includes("/")) return ZKHOSTS_CHROOT_MESSAGE;
  return parseZkhosts(text) === undefined ? ZKHOSTS_MESSAGE : undefined;
}
