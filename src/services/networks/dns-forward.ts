import dgram from 'node:dgram';
import net from 'node:net';
import { isIP } from 'node:net';

/** `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353` as a host and port (53 by default). */
export function parseServer(s: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1], port: Number(v6[2] ?? 53) };
  if (isIP(s) === 6) return { host: s, port: 53 };
  const [host, port] = s.split(':');
  return { host, port: Number(port ?? 53) };
}

/**
 * Sends a raw query to each server in turn until one answers within `timeoutMs`, over the
 * transport the client used (UDP or TCP). Resolves to the raw reply, or undefined when none
 * answered. Each UDP attempt has its own socket and source port, and only a reply with the
 * query's ID is taken.
 */
export async function forwardQuery(query: Buffer, servers: string[], o: { tcp: boolean; timeoutMs: number }): Promise<Buffer | undefined> {
  for (const s of servers) {
    const server = parseServer(s);
    const reply = await (o.tcp ? viaTcp : viaUdp)(query, server, o.timeoutMs).catch(() => undefined);
    if (reply) return reply;
  }
  return undefined;
}

function viaUdp(query: Buffer, to: { host: string; port: number }, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(isIP(to.host) === 6 ? 'udp6' : 'udp4');
    const done = (b?: Buffer) => { clearTimeout(timer); sock.close(); resolve(b); };
    const timer = setTimeout(() => done(), timeoutMs);
    sock.on('error', () => done());
    sock.on('message', (msg) => { if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg); });
    sock.send(query, to.port, to.host);
  });
}

function viaTcp(query: Buffer, to: { host: string; port: number }, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect(to.port, to.host);
    let buf = Buffer.alloc(0);
    const done = (b?: Buffer) => { clearTimeout(timer); sock.destroy(); resolve(b); };
    const timer = setTimeout(() => done(), timeoutMs);
    sock.on('error', () => done());
    sock.on('close', () => done());
    sock.on('connect', () => sock.write(Buffer.concat([u16(query.length), query])));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
  });
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
