import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { Resolver } from 'node:dns/promises';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';

/** dns-packet decodes the rcode too; its typings leave it out. */
type Reply = DecodedPacket & { rcode: string };
const dataOf = (p: DecodedPacket, i = 0) => (p.answers![i] as { data: unknown }).data;
import { DnsServer } from './dns-server';
import { dnsNamesFrom, type DnsNetworkView } from './dns-names';

// Real sockets on loopback addresses of their own; the names come from a fake view.
const ADDR = '127.0.0.77';
const UPSTREAM = '127.0.0.78';
const NET = 'n1';
const view: DnsNetworkView = {
  networkName: 'mynet',
  endpoints: [
    { containerId: 'a'.repeat(64), name: 'c1', ip: '10.9.0.2', aliases: ['web'] },
    { containerId: 'b'.repeat(64), name: 'c2', ip: '10.9.0.3', aliases: ['web'] },
    ...Array.from({ length: 60 }, (_, i) => ({ containerId: `${i}`.padStart(64, 'f'), name: `many${i}`, ip: `10.9.1.${i + 1}`, aliases: ['crowd'] })),
  ],
};

let upstreams: string[] = [];
let port = 0;
let upstreamPort = 0;
let upstreamSeen = 0;
let upstreamTcpSeen = 0;
const server = new DnsServer({ names: dnsNamesFrom((id) => (id === NET ? view : undefined)), upstreams: () => upstreams, port: 0, timeoutMs: 300 });
const upstream = dgram.createSocket('udp4');
const upstreamTcp = net.createServer();

/** The fake upstream's answer: example.test is 192.0.2.7, everything else NXDOMAIN. */
function upstreamReply(msg: Buffer): Buffer {
  upstreamSeen++;
  const q = dnsPacket.decode(msg);
  const known = q.questions![0].name === 'example.test';
  return dnsPacket.encode({
    type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), questions: q.questions,
    answers: known ? [{ type: 'A', name: 'example.test', ttl: 5, data: '192.0.2.7' }] : [],
  });
}

before(async () => {
  port = await server.serve(ADDR, NET);
  upstream.on('message', (msg, r) => upstream.send(upstreamReply(msg), r.port, r.address));
  await new Promise<void>((r) => upstream.bind(0, UPSTREAM, () => r()));
  upstreamPort = upstream.address().port;
  upstreamTcp.on('connection', (c) => c.on('data', (d) => { upstreamTcpSeen++; c.end(frame(upstreamReply(d.subarray(2)))); }));
  await new Promise<void>((r) => upstreamTcp.listen(upstreamPort, UPSTREAM, () => r()));
});
after(async () => { await server.close(); upstream.close(); upstreamTcp.close(); });

function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/** Queries over one TCP connection, all written at once; the replies in order. */
async function tcpQueries(names: string[]): Promise<Reply[]> {
  const sock = net.connect(port, ADDR);
  const replies: Reply[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      sock.on('error', reject);
      setTimeout(() => reject(new Error('no TCP reply')), 2000);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          replies.push(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))) as Reply);
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (replies.length === names.length) resolve();
      });
      sock.write(Buffer.concat(names.map((name, i) => frame(dnsPacket.encode({ type: 'query', id: i + 1, questions: [{ type: 'A', name }] })))));
    });
  } finally { sock.destroy(); }
  return replies;
}

function resolver(): Resolver {
  const r = new Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`${ADDR}:${port}`]);
  return r;
}

async function udpQuery(name: string, type: 'A' | 'AAAA' | 'PTR' | 'MX', extra: Partial<dnsPacket.Packet> = {}): Promise<{ p: Reply; bytes: number }> {
  const sock = dgram.createSocket('udp4');
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      sock.on('message', resolve);
      setTimeout(() => reject(new Error(`no reply for ${name}`)), 2000);
      sock.send(dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }], ...extra }), port, ADDR);
    });
    return { p: dnsPacket.decode(reply) as Reply, bytes: reply.length };
  } finally { sock.close(); }
}

test('A records for names and aliases, over UDP through a real resolver', async () => {
  assert.deepEqual(await resolver().resolve4('c1'), ['10.9.0.2']);
  assert.deepEqual(await resolver().resolve4('C2.mynet'), ['10.9.0.3']);
  assert.deepEqual((await resolver().resolve4('web')).sort(), ['10.9.0.2', '10.9.0.3']);
});

test('a shared alias rotates its order across queries', async () => {
  const firsts = new Set<string>();
  for (let i = 0; i < 4; i++) firsts.add(dataOf((await udpQuery('web', 'A')).p) as string);
  assert.deepEqual([...firsts].sort(), ['10.9.0.2', '10.9.0.3']);
});

test('AAAA of a known name is NOERROR with no answer; PTR names the container', async () => {
  const { p } = await udpQuery('c1', 'AAAA');
  assert.equal(p.rcode, 'NOERROR');
  assert.equal(p.answers!.length, 0);
  assert.equal(p.id, 4242);
  assert.ok(p.flag_rd && p.flag_ra && !p.flag_aa);
  assert.deepEqual(await resolver().reverse('10.9.0.3'), ['c2.mynet']);
});

test('unknown names are NXDOMAIN without upstreams', async () => {
  upstreams = [];
  const { p } = await udpQuery('nothere', 'A');
  assert.equal(p.rcode, 'NXDOMAIN');
  await assert.rejects(resolver().resolve4('nothere'), { code: 'ENOTFOUND' });
});

test('other names are forwarded to the upstream, over UDP and TCP', async () => {
  upstreams = [`${UPSTREAM}:${upstreamPort}`];
  const seen = upstreamSeen;
  assert.deepEqual(await resolver().resolve4('example.test'), ['192.0.2.7']);
  assert.equal((await udpQuery('other.test', 'A')).p.rcode, 'NXDOMAIN');
  const [overTcp] = await tcpQueries(['example.test']);
  assert.equal(dataOf(overTcp), '192.0.2.7');
  assert.equal(upstreamSeen, seen + 3);
  assert.equal(upstreamTcpSeen, 1, 'a TCP query is forwarded over TCP');
  // MX for a container's name is not ours either.
  assert.equal((await udpQuery('c1', 'MX')).p.rcode, 'NXDOMAIN');
});

test('a dead upstream is skipped; none answering is SERVFAIL', async () => {
  upstreams = ['127.0.0.79:9', `${UPSTREAM}:${upstreamPort}`];
  assert.deepEqual(await resolver().resolve4('example.test'), ['192.0.2.7']);
  upstreams = ['127.0.0.79:9'];
  assert.equal((await udpQuery('example.test', 'A')).p.rcode, 'SERVFAIL');
});

test('a large answer is truncated over UDP and whole over TCP', async () => {
  const { p, bytes } = await udpQuery('crowd', 'A');
  assert.ok(p.flag_tc, 'TC set');
  assert.ok(bytes <= 512 && p.answers!.length < 60);
  const big = await udpQuery('crowd', 'A', { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as dnsPacket.Answer] });
  assert.equal(big.p.answers!.length, 60);
  assert.ok(!big.p.flag_tc);
  // c-ares retries over TCP when TC is set: all 60 come back.
  assert.equal((await resolver().resolve4('crowd')).length, 60);
});

test('TCP: several length-prefixed queries on one connection', async () => {
  const replies = await tcpQueries(['c1', 'c2']);
  assert.deepEqual(replies.map((r) => [r.id, dataOf(r)]), [[1, '10.9.0.2'], [2, '10.9.0.3']]);
});

test('garbage gets FORMERR; stop frees the address', async () => {
  const sock = dgram.createSocket('udp4');
  const reply = await new Promise<Buffer>((resolve) => { sock.on('message', resolve); sock.send(Buffer.from([0x12, 0x34, 0xff]), port, ADDR); });
  sock.close();
  assert.equal(reply.readUInt16BE(0), 0x1234);
  assert.equal(reply.readUInt16BE(2) & 0xf, 1);
  const other = new DnsServer({ names: dnsNamesFrom(() => undefined), upstreams: () => [], port });
  await assert.rejects(other.serve(ADDR, NET), { code: 'EADDRINUSE' });
  assert.equal(await server.serve(ADDR, NET), port, 'serving again is a no-op');
  await server.stop(ADDR);
  assert.deepEqual(server.addresses(), []);
  assert.equal(await other.serve(ADDR, NET), port);
  await other.close();
  port = await server.serve(ADDR, NET);
});
