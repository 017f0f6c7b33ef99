import dgram from 'node:dgram';
import net from 'node:net';
import type { DecodedPacket } from 'dns-packet';
import { log } from '../../lib/logger';
import type { DnsNames } from './dns-names';
import { decide, rcodeReply, truncate, type QueryContext } from './dns-records';
import { forwardQuery, u16 } from './dns-forward';

/*
 * Design: Docker answers on 127.0.0.11 inside each container's namespace, which takes a
 * listener or NAT rules per container. berth serves instead on each user-defined network's
 * gateway address (UDP and TCP port 53, in berthd's own process), and a container's
 * resolv.conf names that gateway. One listener per network serves all its containers; the
 * querying container is told apart by its source address, which picks its names (links) and
 * its upstreams (--dns, else the host's resolvers, read by berthd in the host's namespace, so
 * loopback resolvers such as 127.0.0.53 work).
 */

export interface DnsServerOptions {
  names: DnsNames;
  /** The servers a client's other names are forwarded to, in order; none: NXDOMAIN. */
  upstreams(networkId: string, client: string): string[] | Promise<string[]>;
  /** 53 unless a test asks otherwise. */
  port?: number;
  /** How long one upstream has to answer before the next is tried. */
  timeoutMs?: number;
}

interface Listener { networkId: string; udp: dgram.Socket; tcp: net.Server; conns: Set<net.Socket>; closed?: boolean }

/** Idle TCP connections are closed after this long, as resolvers do. */
const TCP_IDLE_MS = 10_000;

export class DnsServer {
  private readonly listeners = new Map<string, Listener>();
  private readonly turns = new Map<string, number>();

  constructor(private readonly o: DnsServerOptions) {}

  /**
   * Answers queries for `networkId` on `address` (UDP and TCP); the address must exist on an
   * interface. Serving an address already served is a no-op unless the network differs,
   * in which case the listener is re-pointed. Resolves to the port (the one UDP got when
   * the options ask for port 0); rejects with the bind error (EADDRINUSE...).
   */
  async serve(address: string, networkId: string): Promise<number> {
    const existing = this.listeners.get(address);
    if (existing) { existing.networkId = networkId; return existing.udp.address().port; }
    let port = this.o.port ?? 53;
    const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    const tcp = net.createServer();
    const l: Listener = { networkId, udp, tcp, conns: new Set() };
    udp.on('message', (msg, rinfo) => void this.onUdp(l, msg, rinfo));
    tcp.on('connection', (c) => this.onTcp(l, c));
    try {
      await new Promise<void>((resolve, reject) => { udp.once('error', reject); udp.bind(port, address, () => { udp.off('error', reject); resolve(); }); });
      port = udp.address().port;
      await new Promise<void>((resolve, reject) => { tcp.once('error', reject); tcp.listen(port, address, () => { tcp.off('error', reject); resolve(); }); });
    } catch (e) {
      try { udp.close(); } catch { /* not bound */ }
      tcp.close();
      throw e;
    }
    udp.on('error', (e) => log.warn('dns: udp socket error', { address, error: String(e) }));
    tcp.on('error', (e) => log.warn('dns: tcp server error', { address, error: String(e) }));
    this.listeners.set(address, l);
    return port;
  }

  /** Stops answering on `address`; a no-op if it is not served. */
  async stop(address: string): Promise<void> {
    const l = this.listeners.get(address);
    if (!l) return;
    this.listeners.delete(address);
    l.closed = true;
    for (const c of l.conns) c.destroy();
    await Promise.all([
      new Promise<void>((r) => l.udp.close(() => r())),
      new Promise<void>((r) => l.tcp.close(() => r())),
    ]);
  }

  /** The addresses served now. */
  addresses(): string[] { return [...this.listeners.keys()]; }

  async close(): Promise<void> {
    await Promise.all(this.addresses().map((a) => this.stop(a)));
  }

  private async onUdp(l: Listener, msg: Buffer, from: dgram.RemoteInfo): Promise<void> {
    const reply = await this.answer(l.networkId, msg, from.address, false).catch((e) => { log.warn('dns: query failed', { error: String(e) }); return undefined; });
    if (reply && !l.closed) l.udp.send(reply, from.port, from.address);
  }

  /** TCP: 2-byte length-prefixed messages, answered in turn, any number per connection. */
  private onTcp(l: Listener, c: net.Socket): void {
    l.conns.add(c);
    c.setTimeout(TCP_IDLE_MS, () => c.destroy());
    c.on('close', () => l.conns.delete(c));
    c.on('error', () => c.destroy());
    let buf = Buffer.alloc(0);
    let chain = Promise.resolve();
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        chain = chain.then(async () => {
          const reply = await this.answer(l.networkId, msg, c.remoteAddress ?? '', true).catch(() => undefined);
          if (reply && !c.destroyed) c.write(Buffer.concat([u16(reply.length), reply]));
        });
      }
    });
  }

  /** The reply to one query, or undefined to send nothing. */
  private async answer(networkId: string, msg: Buffer, client: string, tcp: boolean): Promise<Buffer | undefined> {
    client = client.replace(/^::ffff:/, '');
    const ctx: QueryContext = { networkId, client, names: this.o.names, rotation: (n, count) => this.rotation(`${networkId}/${n}`, count) };
    const d = decide(msg, ctx);
    if (!d) return undefined;
    if ('reply' in d) return tcp ? d.reply : truncate(d.reply, d.udpLimit);
    return this.forward(d.forward, msg, networkId, client, tcp);
  }

  private async forward(q: DecodedPacket, raw: Buffer, networkId: string, client: string, tcp: boolean): Promise<Buffer> {
    const servers = await this.o.upstreams(networkId, client);
    if (!servers.length) return rcodeReply(q, 'NXDOMAIN');
    const reply = await forwardQuery(raw, servers, { tcp, timeoutMs: this.o.timeoutMs ?? 3000 });
    return reply ?? rcodeReply(q, 'SERVFAIL');
  }

  private rotation(key: string, count: number): number {
    if (this.turns.size > 10_000) this.turns.clear();
    const n = this.turns.get(key) ?? 0;
    this.turns.set(key, n + 1);
    return n % count;
  }
}
