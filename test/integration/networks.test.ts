import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';

const d = new TestDaemon('net');
before(() => d.start());
after(() => d.stop());

/** Subnets of this run: 10.<x>.<n>.0/24, x from the pid so parallel runs do not collide. */
const X = 150 + (process.pid % 90);
const subnet = (n: number) => `10.${X}.${n}.0/24`;
const addr = (n: number, host: number) => `10.${X}.${n}.${host}`;

async function ok(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** busybox httpd serving `body` on port 80. */
const httpd = (body: string) => ['sh', '-c', `echo ${body} > /tmp/index.html; exec httpd -f -p 80 -h /tmp`];

/** wget from a container: the page, or undefined when it cannot connect within 3 s. */
async function fetchFrom(container: string, ip: string): Promise<string | undefined> {
  const r = await d.cli(['exec', container, 'timeout', '3', 'wget', '-qO-', `http://${ip}/`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** What berth made for this daemon on the host: links on its bridges, bridges, namespaces, rules. */
async function footprint(bridges: string[]) {
  const links = (await run('ip', ['-o', 'link'])).stdout.split('\n').filter(Boolean);
  const onBridges = links.filter((l) => bridges.some((b) => l.includes(` master ${b} `))).length;
  const present = links.filter((l) => bridges.some((b) => l.split(': ')[1]?.split('@')[0] === b)).length;
  const netns = (await readdir(join(d.execRoot, 'netns')).catch(() => [])).length;
  let nftRules = 0;
  for (const chain of ['net-postrouting', 'net-forward']) {
    const text = (await run('nft', ['list', 'chain', 'ip', `berth-${d.bridge}`, chain])).stdout;
    nftRules += text.split('\n').filter((l) => /^\s+(ip |iifname|oifname|ct )/.test(l)).length;
  }
  const forward = (await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.includes(`"berth:berth-${d.bridge}"`)).length;
  return { onBridges, present, netns, nftRules, forward };
}

/** The Linux bridges of the daemon's bridge networks. */
async function userBridges(): Promise<string[]> {
  const list = (await d.api('GET', '/networks')).json as { Options: Record<string, string>; Id: string; Name: string }[];
  return list.filter((n) => n.Name !== 'host' && n.Name !== 'none').map((n) => n.Options['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`).sort();
}

test('predefined networks: ls, inspect in Docker\'s shape, and their refusals', async () => {
  const ls = await ok(['network', 'ls']);
  assert.match(ls, /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE\n/);
  assert.deepEqual(ls.trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(1)), [['bridge', 'bridge', 'local'], ['host', 'host', 'local'], ['none', 'null', 'local']]);
  const [b] = JSON.parse(await ok(['network', 'inspect', 'bridge']));
  assert.deepEqual(Object.keys(b), ['Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels']);
  assert.equal(b.Options['com.docker.network.bridge.name'], d.bridge);
  assert.equal(b.IPAM.Options, null);
  assert.match(b.IPAM.Config[0].Subnet, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
  // By short ID too, with the same ID after a daemon restart.
  assert.equal((await d.api('GET', `/networks/${b.Id.slice(0, 12)}`)).json.Name, 'bridge');
  await d.kill();
  await d.start();
  assert.equal((await d.api('GET', '/networks/bridge')).json.Id, b.Id);
  const del = await d.api('DELETE', '/networks/host');
  assert.deepEqual([del.status, del.json.message], [403, 'host is a pre-defined network and cannot be removed']);
  const create = await d.api('POST', '/networks/create', { Name: 'none' });
  assert.deepEqual([create.status, create.json.message], [403, 'operation is not permitted on predefined none network ']);
  const missing = await d.api('GET', '/networks/nosuchnet');
  assert.deepEqual([missing.status, missing.json.message], [404, 'network nosuchnet not found']);
  const rm = await d.cli(['network', 'rm', 'nosuchnet']);
  assert.equal(rm.code, 1);
  assert.equal(rm.stderr, 'Error response from daemon: network nosuchnet not found\nexit status 1\n');
});

test('containers on one network reach each other; across networks they cannot; internal ones have no way out', async () => {
  await ok(['network', 'create', '--subnet', subnet(1), 'neta']);
  await ok(['network', 'create', '--subnet', subnet(2), 'netb']);
  await ok(['network', 'create', '--internal', '--subnet', subnet(3), 'neti']);
  await ok(['run', '-d', '--name', 'weba', '--network', 'neta', '--ip', addr(1, 10), '--network-alias', 'web', 'busybox', ...httpd('hello-a')]);
  await ok(['run', '-d', '--name', 'webi', '--network', 'neti', 'busybox', ...httpd('hello-i')]);
  await ok(['run', '-d', '--name', 'ca', '--network', 'neta', 'busybox', 'sleep', '300']);
  await ok(['run', '-d', '--name', 'cb', '--network', 'netb', 'busybox', 'sleep', '300']);
  await ok(['run', '-d', '--name', 'ci', '--network', 'neti', 'busybox', 'sleep', '300']);
  assert.equal(await fetchFrom('ca', addr(1, 10)), 'hello-a');
  assert.equal(await fetchFrom('cb', addr(1, 10)), undefined);
  assert.equal(await fetchFrom('ci', addr(3, 2)), 'hello-i');
  assert.equal(await fetchFrom('ci', addr(1, 10)), undefined);
  // No default route on an internal network; one through the gateway on the others.
  assert.doesNotMatch(await ok(['exec', 'ci', 'ip', 'route']), /default/);
  assert.match(await ok(['exec', 'ca', 'ip', 'route']), new RegExp(`default via ${addr(1, 1).replace(/\./g, '\\.')} dev eth0`));

  const [a] = JSON.parse(await ok(['network', 'inspect', 'neta']));
  assert.deepEqual(a.IPAM, { Driver: 'default', Options: {}, Config: [{ Subnet: subnet(1) }] });
  const weba = Object.entries(a.Containers as Record<string, { Name: string; IPv4Address: string; MacAddress: string }>).find(([, c]) => c.Name === 'weba')!;
  assert.equal(weba[1].IPv4Address, `${addr(1, 10)}/24`);
  assert.equal(weba[1].MacAddress, `02:42:0a:${X.toString(16)}:01:0a`);
  const net = JSON.parse(await ok(['inspect', '-f', '{{json .NetworkSettings.Networks.neta}}', 'weba']));
  assert.equal(net.IPAddress, addr(1, 10));
  assert.equal(net.Gateway, addr(1, 1));
  assert.deepEqual(net.IPAMConfig, { IPv4Address: addr(1, 10) });
  assert.equal(net.NetworkID, a.Id);
  assert.deepEqual(net.Aliases, ['web']);
  assert.deepEqual(net.DNSNames, ['weba', 'web', weba[0].slice(0, 12)]);
  // Older clients see the short ID among the aliases, as Docker 20.10 shows it.
  const old = await d.api('GET', '/v1.41/containers/weba/json');
  assert.deepEqual(old.json.NetworkSettings.Networks.neta.Aliases, ['web', weba[0].slice(0, 12)]);
  // The deprecated top-level fields are the default bridge's: empty here.
  assert.equal(old.json.NetworkSettings.IPAddress, '');
  const ls = await ok(['ps', '--filter', 'network=neta', '--format', '{{.Names}}']);
  assert.deepEqual(ls.trim().split('\n').sort(), ['ca', 'weba']);
});

test('network connect gives a running container a second interface; disconnect takes it away', async () => {
  await ok(['network', 'connect', '--ip', addr(1, 20), '--alias', 'extra', 'neta', 'cb']);
  const addrs = await ok(['exec', 'cb', 'ip', '-o', '-4', 'addr']);
  assert.match(addrs, new RegExp(`eth1\\s+inet ${addr(1, 20).replace(/\./g, '\\.')}/24`));
  assert.equal(await fetchFrom('cb', addr(1, 10)), 'hello-a');
  const nets = JSON.parse(await ok(['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'cb']));
  assert.deepEqual(Object.keys(nets).sort(), ['neta', 'netb']);
  assert.deepEqual(nets.neta.Aliases, ['extra']);
  const again = await d.api('POST', '/networks/neta/connect', { Container: 'cb' });
  assert.deepEqual([again.status, again.json.message], [403, 'endpoint with name cb already exists in network neta']);
  await ok(['network', 'disconnect', 'neta', 'cb']);
  assert.doesNotMatch(await ok(['exec', 'cb', 'ip', '-o', 'link']), /eth1/);
  assert.equal(await fetchFrom('cb', addr(1, 10)), undefined);
  const gone = await d.api('POST', '/networks/neta/disconnect', { Container: 'cb' });
  assert.equal(gone.status, 403);
  assert.match(gone.json.message, /^container [0-9a-f]{64} is not connected to network neta$/);
  // A stopped container is only recorded, and joins at its next start.
  await ok(['create', '--name', 'later', 'busybox', 'sleep', '300']);
  await ok(['network', 'connect', 'neta', 'later']);
  await ok(['start', 'later']);
  assert.match(await ok(['exec', 'later', 'ip', '-o', '-4', 'addr']), new RegExp(`eth1\\s+inet 10\\.${X}\\.1\\.`));
  assert.equal(await fetchFrom('later', addr(1, 10)), 'hello-a');
  await ok(['rm', '-f', 'later']);
});

test('bad input: Docker\'s words and codes, and nothing half-made', async () => {
  const bridges = await userBridges();
  const before = await footprint(bridges);
  const create = (body: object) => d.api('POST', '/networks/create', body);
  const overlap = await create({ Name: 'x1', IPAM: { Config: [{ Subnet: `10.${X}.1.128/25` }] } });
  assert.deepEqual([overlap.status, overlap.json.message], [403, 'Pool overlaps with other one on this address space']);
  const gw = await create({ Name: 'x2', IPAM: { Config: [{ Subnet: subnet(9), Gateway: addr(8, 1) }] } });
  assert.deepEqual([gw.status, gw.json.message], [400, `invalid gateway: address (${addr(8, 1)}) is outside of subnet (${subnet(9)})`]);
  const dup = await create({ Name: 'neta' });
  assert.deepEqual([dup.status, dup.json.message], [409, 'network with name neta already exists']);
  const cli = await d.cli(['network', 'create', '--subnet', subnet(9), '--gateway', addr(8, 1), 'x3']);
  assert.deepEqual([cli.code, cli.stderr], [1, `no matching subnet for gateway ${addr(8, 1)}\n`]);
  assert.equal((await d.api('GET', '/networks/x3')).status, 404);
  const outside = await d.cli(['run', '-d', '--network', 'neta', '--ip', addr(7, 5), 'busybox', 'true']);
  assert.equal(outside.code, 125);
  assert.match(outside.stderr, new RegExp(`Invalid address ${addr(7, 5).replace(/\./g, '\\.')}: It does not belong to any of this network's subnets`));
  await ok(['network', 'create', 'auto']);
  const noSubnet = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { NetworkMode: 'auto' }, NetworkingConfig: { EndpointsConfig: { auto: { IPAMConfig: { IPv4Address: '172.30.0.5' } } } } });
  assert.deepEqual([noSubnet.status, noSubnet.json.message], [400, 'user specified IP address is supported only when connecting to networks with user configured subnets']);
  const taken = await d.cli(['run', '-d', '--network', 'neta', '--ip', addr(1, 10), 'busybox', 'sleep', '5']);
  assert.equal(taken.code, 125);
  assert.match(taken.stderr, /Address already in use/);
  const busy = await d.api('DELETE', '/networks/neta');
  assert.equal(busy.status, 403);
  assert.match(busy.json.message, /^error while removing network: network neta id [0-9a-f]{64} has active endpoints$/);
  const unknown = await d.cli(['run', '--rm', '--network', 'nosuchnet', 'busybox', 'true']);
  assert.match(unknown.stderr, /network nosuchnet not found/);
  await ok(['network', 'rm', 'auto']);
  // The failed creates and starts left no link, namespace or rule behind.
  await ok(['container', 'prune', '-f']);
  assert.deepEqual(await footprint(bridges), before);
  assert.deepEqual(await userBridges(), bridges);
});

test('network events: create, connect, disconnect, destroy', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  await ok(['network', 'create', 'evnet']);
  await ok(['run', '--rm', '--network', 'evnet', 'busybox', 'true']);
  await ok(['network', 'rm', 'evnet']);
  const r = await d.cli(['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'type=network', '--format', '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}}']);
  assert.deepEqual(r.stdout.trim().split('\n').filter((l) => l.includes(' evnet ')), ['create evnet bridge', 'connect evnet bridge', 'disconnect evnet bridge', 'destroy evnet bridge']);
});

test('a daemon restart keeps running containers\' networks; rm removes every link, namespace and rule', async () => {
  await d.kill();
  await d.start();
  assert.equal(await fetchFrom('ca', addr(1, 10)), 'hello-a');
  await ok(['run', '-d', '--name', 'after', '--network', 'neta', 'busybox', 'sleep', '300']);
  assert.doesNotMatch(await ok(['exec', 'after', 'ip', '-o', '-4', 'addr', 'show', 'eth0']), new RegExp(`${addr(1, 2).replace(/\./g, '\\.')}/`));
  const all = await userBridges();
  const during = await footprint(all);
  assert.ok(during.onBridges >= 6 && during.present === all.length, JSON.stringify(during));
  await ok(['rm', '-f', ...(await ok(['ps', '-aq'])).trim().split('\n')]);
  assert.equal((await ok(['network', 'prune', '-f'])), 'Deleted Networks:\nneta\nnetb\nneti\n\n');
  const left = await footprint(all);
  // Only the default bridge and its prepared namespace are left.
  assert.deepEqual(left, { onBridges: 1, present: 1, netns: 1, nftRules: 1, forward: (await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.includes('-P FORWARD DROP') ? 2 : 0 });
  assert.equal((await run('iptables', ['-w', '-S', 'FORWARD'])).code, 0, 'iptables can still read Docker\'s chain');
});

test('iptables=false adds no rules; ip-forward=false leaves the sysctl alone', async () => {
  const q = new TestDaemon('netnf');
  q.dataRoot = await mkdtemp(join(tmpdir(), 'berth-netnf-data-'));
  q.execRoot = await mkdtemp(join('/run', 'berth-netnf-'));
  await writeFile(join(q.dataRoot, 'daemon.json'), JSON.stringify({ iptables: false, 'ip-forward': false, 'default-address-pools': [{ base: `10.${X}.64.0/18`, size: 24 }] }));
  try {
    await q.start();
    assert.notEqual((await run('nft', ['list', 'table', 'ip', `berth-${q.bridge}`])).code, 0);
    const [b] = (await q.api('GET', '/networks/bridge')).json.IPAM.Config;
    assert.equal(b.Subnet, `10.${X}.64.0/24`);
    assert.equal((await q.api('POST', '/networks/create', { Name: 'p' })).status, 201);
    assert.equal((await q.api('GET', '/networks/p')).json.IPAM.Config[0].Subnet, `10.${X}.65.0/24`);
    assert.ok(!(await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.includes(`berth-${q.bridge}`));
  } finally {
    await q.stop();
  }
});
