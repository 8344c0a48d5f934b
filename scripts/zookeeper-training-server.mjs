// For the build only (scripts/postbuild.mjs): the loopback peer that switchman's code-cache
// training run talks to in ZooKeeper mode, so that the caches hold the code of a ZooKeeper skip
// (session, prefix read, close) as well as a local one. A Debian build has no ZooKeeper server to
// train against (and must not start one), and this answers exactly the requests a skip makes:
// ConnectRequest, getData of the prefix node, ping, closeSession. Any other request gets
// UNIMPLEMENTED, which switchman reports on stderr, and the build fails (postbuild.mjs checks
// the training run's stderr): a changed skip path cannot train silently on half a session.
// It tests nothing; the ZooKeeper tests run against Debian's zookeeper.
//
// Prints the port it listens on (127.0.0.1), then serves until killed. argv[2]: the prefix
// node's data (switchman's groups JSON), argv[3]: its path.
import { Buffer } from "node:buffer";
import { createServer } from "node:net";

const prefixData = Buffer.from(process.argv[2] ?? "{}");
const prefixPath = process.argv[3] ?? "/";
const OP = { getData: 4, ping: 11, closeSession: -11 };
const UNIMPLEMENTED = -6;
const PING_XID = -2;

/** A jute frame: 4-byte big-endian length, then the record. */
function frame(...parts) {
  const body = Buffer.concat(parts);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length);
  return Buffer.concat([length, body]);
}
const int = (n) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const long = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const buffer = (b) => Buffer.concat([int(b.length), b]);
const replyHeader = (xid, err = 0) => Buffer.concat([int(xid), long(1), int(err)]);
/** Stat: czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren, pzxid. */
const stat = (dataLength) => Buffer.concat([long(1), long(1), long(0), long(0), int(0), int(0), int(0), long(0), int(dataLength), int(0), long(1)]);

const server = createServer((socket) => {
  let pending = Buffer.alloc(0);
  let connected = false;
  socket.on("error", () => socket.destroy());
  socket.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const record = pending.subarray(4, 4 + pending.readInt32BE(0));
      pending = pending.subarray(4 + record.length);
      if (!connected) {
        // ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd.
        connected = true;
        socket.write(frame(int(0), int(record.readInt32BE(12)), long(1), buffer(Buffer.alloc(16))));
        continue;
      }
      const xid = record.readInt32BE(0);
      const type = record.readInt32BE(4);
      if (xid === PING_XID && type === OP.ping) socket.write(frame(replyHeader(PING_XID)));
      else if (type === OP.getData && record.toString("utf8", 12, 12 + record.readInt32BE(8)) === prefixPath) socket.write(frame(replyHeader(xid), buffer(prefixData), stat(prefixData.length)));
      else if (type === OP.closeSession) socket.end(frame(replyHeader(xid)));
      else socket.write(frame(replyHeader(xid, UNIMPLEMENTED)));
    }
  });
});
server.on("error", (error) => {
  process.stderr.write(`zookeeper-training-server: ${error.message}\n`);
  process.exit(1);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
