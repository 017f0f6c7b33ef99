import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDns, type DnsContainer, type DnsNetwork } from './dns-service';

// Two user networks served on loopback addresses of their own, one internal, plus the default bridge.
const nets: DnsNetwork[] = [
  { id: 'front', name: 'front', gateway: '127.0.0.81', internal: false, userDefined: true },
  { id: 'back', name: 'back', gateway: '127.0.0.82', internal: true, userDefined: true },
  { id: 'bridge', name: 'bridge', gateway: '127.0.0.83', internal: false, userDefined: false },
];
const containers: DnsContainer[] = [
  { id: 'a'.repeat(64), name: 'web', hostname: 'web-h', dns: [], endpoints: [
    { networkId: 'front', ip: '127.0.0.91', aliases: ['www'], links: ['db:database'] },
    { networkId: 'back', ip: '127.0.0.92', aliases: [], links: [] },
  ] },
  { id: 'b'.repeat(64), name: 'db', hostname: 'db-h', dns: [], endpoints: [{ networkId: 'back', ip: '10.5.0.3', aliases: [], links: [] }] },
  { id: 'c'.repeat(64), name: 'old', hostname: 'old', dns: [], endpoints: [{ networkId: 'bridge', ip: '172.17.0.9', aliases: [], links: [] }] },
];
let dir = '';
let dns: EmbeddedDns;
after(async () => { await dns?.close(); if (dir) await rm(dir, { recursive: true, force: true }); });

async function resolverFor(address: string, networkId: string): Promise<Resolver> {
  const port = await dns.server.serve(address, networkId);
  const r = new Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`${address}:${port}`]);
  return r;
}

test('serverFor serves user networks only and names the first one\'s gateway', async () => {
  dir = await mkdtemp(join(tmpdir(), 'dns-service-'));
  await writeFile(join(dir, 'resolv.conf'), '# no resolvers: unknown names are NXDOMAIN\n');
  dns = new EmbeddedDns({ network: (id) => nets.find((n) => n.id === id), containers: () => containers, hostResolvConf: join(dir, 'resolv.conf'), port: 0 });
  assert.equal(await dns.serverFor(['bridge']), undefined);
  assert.equal(await dns.serverFor(['bridge', 'front', 'back']), '127.0.0.81');
  assert.deepEqual(dns.server.addresses().sort(), ['127.0.0.81', '127.0.0.82']);
});

test('a query is answered from every network of the querying container, its links too', async () => {
  // The resolver's source address is 127.0.0.1, which no container has: names of the listener's network only.
  const front = await resolverFor('127.0.0.81', 'front');
  assert.deepEqual(await front.resolve4('www'), ['127.0.0.91']);
  await assert.rejects(front.resolve4('db'), { code: 'ENOTFOUND' }, 'db is on another network');
  await assert.rejects(front.resolve4('old'), { code: 'ENOTFOUND' }, 'the default bridge has no names');
  const names = (dns as unknown as { names(): { lookup(n: string, name: string, c: string): string[] } }).names();
  assert.deepEqual(names.lookup('front', 'db', '127.0.0.91'), ['10.5.0.3'], 'web is on back too');
  assert.deepEqual(names.lookup('front', 'database', '127.0.0.91'), [], 'a link alias is for the link\'s network');
  assert.deepEqual(names.lookup('back', 'web', '10.5.0.3'), ['127.0.0.92']);
});

test('other names: the host\'s resolvers, none on an internal network', async () => {
  const upstreams = (dns as unknown as { upstreams(n: string, c: string): Promise<string[]> }).upstreams.bind(dns);
  assert.deepEqual(await upstreams('front', '127.0.0.91'), []);
  await writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.99\n');
  assert.deepEqual(await upstreams('front', '127.0.0.91'), ['127.0.0.99']);
  assert.deepEqual(await upstreams('back', '10.5.0.3'), []);
  containers[0].dns = ['9.9.9.9'];
  assert.deepEqual(await upstreams('front', '127.0.0.91'), ['9.9.9.9'], 'a container\'s --dns');
  const back = await resolverFor('127.0.0.82', 'back');
  await assert.rejects(back.resolve4('example.com'), { code: 'ENOTFOUND' });
});

test('sweep stops serving networks that are gone', async () => {
  nets.splice(nets.findIndex((n) => n.id === 'back'), 1);
  await dns.sweep();
  assert.deepEqual(dns.server.addresses(), ['127.0.0.81']);
});
