import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POOLS, endpointsOf, type SandboxRef } from '../../core/network';
import { codeOf, isConflict, isInvalidArgument, isNotFound } from '../../errdefs';
import { EndpointAttacher } from './endpoint-attacher';
import { NetworkService } from './network-service';
import { NetworkStore } from './network-store';
import { FakeBridgeHost, FakeSandboxes } from './testing/fakes';

interface Env {
  dir: string;
  host: FakeBridgeHost;
  sandboxes: FakeSandboxes;
  nets: NetworkService;
  attacher: EndpointAttacher;
  events: { action: string; id: string; attrs: Record<string, string> }[];
  users: { id: string; name: string; sandbox?: SandboxRef }[];
}

let env: Env;

async function open(dir: string, host = new FakeBridgeHost(), sandboxes = new FakeSandboxes(), o: { bip?: string } = {}): Promise<Env> {
  const events: Env['events'] = [];
  const users: Env['users'] = [];
  const publish = (action: string, id: string, attrs: Record<string, string>) => { events.push({ action, id, attrs }); };
  const nets = new NetworkService({
    store: new NetworkStore(join(dir, 'networks')), host, defaultBridge: 'berth0', bip: o.bip, pools: DEFAULT_POOLS, events: publish, users: () => users,
  });
  await nets.init();
  const attacher = new EndpointAttacher(nets, sandboxes, { hostResolvConf: '/etc/resolv.conf', events: publish });
  return { dir, host, sandboxes, nets, attacher, events, users };
}

beforeEach(async () => { env = await open(await mkdtemp(join(tmpdir(), 'berth-net-'))); });
afterEach(async () => { await env.attacher.close(); await rm(env.dir, { recursive: true, force: true }); });

const code = (c: string, msg?: string | RegExp) => (e: unknown) => codeOf(e) === c && (msg === undefined || (typeof msg === 'string' ? (e as Error).message === msg : msg.test((e as Error).message)));

/** A running container on the sandbox the attacher made, as the container records keep it. */
async function start(name: string, networks: { name: string; config?: object }[], mode = networks[0]?.name ?? 'bridge') {
  const id = name.padEnd(64, '0');
  const sb = await env.attacher.attach({ containerId: id, containerName: name, mode, networks: networks.map((n) => ({ name: n.name, config: n.config ?? {} })) });
  const sandbox = { containerId: id, netns: sb.netns, owned: sb.owned, endpoints: sb.endpoints };
  env.users.push({ id, name, sandbox });
  return sandbox;
}

test('predefined networks, the default bridge on the first pool subnet no route uses, and its rules', async () => {
  assert.deepEqual(env.nets.list().map((n) => [n.name, n.driver]), [['bridge', 'bridge'], ['host', 'host'], ['none', 'null']]);
  const b = env.nets.get('bridge');
  assert.equal(b.subnet, '172.18.0.0/16');
  assert.equal(b.gateway, '172.18.0.1');
  assert.deepEqual(env.host.bridges.get('berth0'), { gateway: '172.18.0.1', prefixLen: 16 });
  assert.deepEqual(env.host.rules, [{ bridge: 'berth0', subnet: '172.18.0.0/16', internal: false, masquerade: true }]);
  assert.ok(env.host.forwarding);
  // The IDs are kept by a restart.
  const again = await open(env.dir, env.host);
  assert.deepEqual(again.nets.list().map((n) => n.id), env.nets.list().map((n) => n.id));
});

test('bip sets the default bridge; an existing bridge keeps its address without one', async () => {
  const host = new FakeBridgeHost();
  host.bridges.set('berth0', { gateway: '10.99.0.1', prefixLen: 24 });
  const kept = await open(await mkdtemp(join(tmpdir(), 'berth-net-')), host);
  assert.equal(kept.nets.get('bridge').subnet, '10.99.0.0/24');
  const bip = await open(await mkdtemp(join(tmpdir(), 'berth-net-')), new FakeBridgeHost(), undefined, { bip: '10.77.0.5/16' });
  assert.equal(bip.nets.get('bridge').subnet, '10.77.0.0/16');
  assert.equal(bip.nets.get('bridge').gateway, '10.77.0.5');
  for (const e of [kept, bip]) await rm(e.dir, { recursive: true, force: true });
});

test('create: automatic subnets skip routes and other networks; given ones are checked as Docker does', async () => {
  const a = await env.nets.create({ Name: 'a' });
  assert.equal(a.subnet, '172.19.0.0/16');
  assert.deepEqual(a.ipam.config, [{ Subnet: '172.19.0.0/16', Gateway: '172.19.0.1' }]);
  assert.equal(a.bridge, `br-${a.id.slice(0, 12)}`);
  assert.ok(env.host.bridges.has(a.bridge!));
  const b = await env.nets.create({ Name: 'b', Internal: true, Labels: { k: 'v' }, Options: { 'com.docker.network.bridge.name': 'bbr0' }, IPAM: { Config: [{ Subnet: '10.20.0.0/16', IPRange: '10.20.5.0/24' }] } });
  assert.equal(b.bridge, 'bbr0');
  assert.equal(b.gateway, '10.20.0.1');
  assert.deepEqual(b.ipam.config, [{ Subnet: '10.20.0.0/16', IPRange: '10.20.5.0/24' }]);
  assert.deepEqual(env.host.rules.map((r) => `${r.bridge}:${r.internal}`).sort(), ['bbr0:true', 'berth0:false', `${a.bridge}:false`].sort());
  assert.deepEqual(env.events.map((e) => [e.action, e.attrs.name, e.attrs.type]), [['create', 'a', 'bridge'], ['create', 'b', 'bridge']]);

  await assert.rejects(env.nets.create({ Name: 'a' }), (e) => isConflict(e) && (e as Error).message === 'network with name a already exists');
  await assert.rejects(env.nets.create({ Name: 'host' }), code('FORBIDDEN', 'operation is not permitted on predefined host network '));
  await assert.rejects(env.nets.create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.20.128.0/24' }] } }), code('FORBIDDEN', 'Pool overlaps with other one on this address space'));
  await assert.rejects(env.nets.create({ Name: 'c', IPAM: { Config: [{ Subnet: '192.0.2.0/25' }] } }), code('FORBIDDEN', 'Pool overlaps with other one on this address space'));
  await assert.rejects(env.nets.create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.30.0.0/16', Gateway: '10.31.0.1' }] } }), code('INVALID_ARGUMENT', 'invalid gateway: address (10.31.0.1) is outside of subnet (10.30.0.0/16)'));
  await assert.rejects(env.nets.create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.30.0.1/16' }] } }), code('INVALID_ARGUMENT', 'subnet 10.30.0.1/16 has some bits set in its host fragment'));
  await assert.rejects(env.nets.create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.30.0.0/16', IPRange: '10.40.0.0/24' }] } }), code('INVALID_ARGUMENT', "subnet doesn't contain ip-range 10.40.0.0/24"));
  await assert.rejects(env.nets.create({ Name: 'c', IPAM: { Config: [{ Subnet: 'nope' }] } }), code('INVALID_ARGUMENT', 'subnet "nope" is an invalid prefix'));
  await assert.rejects(env.nets.create({ Name: 'c', Driver: 'foo' }), (e) => isNotFound(e) && (e as Error).message === 'plugin "foo" not found');
  await assert.rejects(env.nets.create({ Name: 'c', Options: { 'com.docker.network.bridge.name': 'bbr0' } }), code('FORBIDDEN', /by bridge name/));
  env.host.foreign.add('eth7');
  await assert.rejects(env.nets.create({ Name: 'c', Options: { 'com.docker.network.bridge.name': 'eth7' } }), code('FORBIDDEN', /already exists on the host/));
  // Nothing half-made by any of them.
  assert.deepEqual(env.nets.list().map((n) => n.name), ['a', 'b', 'bridge', 'host', 'none']);
  assert.equal((await readdir(join(env.dir, 'networks'))).length, 5);
  assert.equal(env.host.bridges.size, 3);
});

test('a bridge that cannot be made leaves no record and no rules', async () => {
  env.host.failCreate = new Error('ip: boom');
  await assert.rejects(env.nets.create({ Name: 'x' }), /boom/);
  assert.equal(env.nets.store.find('x'), undefined);
  assert.equal(env.host.rules.length, 1);
});

test('remove: predefined and used networks are Forbidden; the rest goes with its bridge and rules', async () => {
  const n = await env.nets.create({ Name: 'n', IPAM: { Config: [{ Subnet: '10.50.0.0/24' }] } });
  await assert.rejects(env.nets.remove('bridge'), code('FORBIDDEN', 'bridge is a pre-defined network and cannot be removed'));
  const sb = await start('c1', [{ name: 'n' }]);
  await assert.rejects(env.nets.remove('n'), code('FORBIDDEN', `error while removing network: network n id ${n.id} has active endpoints`));
  await env.attacher.detach(sb);
  env.users.length = 0;
  await env.nets.remove(n.id.slice(0, 6));
  assert.equal(env.host.bridges.has(n.bridge!), false);
  assert.deepEqual(env.host.rules.map((r) => r.bridge), ['berth0']);
  assert.equal(env.events.at(-1)!.action, 'destroy');
  await assert.rejects(env.nets.remove('n'), (e) => isNotFound(e) && (e as Error).message === 'network n not found');
});

test('prune removes unused custom networks the filters select', async () => {
  await env.nets.create({ Name: 'keep', Labels: { keep: '1' } });
  await env.nets.create({ Name: 'used' });
  await env.nets.create({ Name: 'gone' });
  await start('c1', [{ name: 'used' }]);
  assert.deepEqual(await env.nets.prune(new Map([['label!', ['keep']]])), ['gone']);
  assert.deepEqual(env.nets.list().map((n) => n.name), ['bridge', 'host', 'keep', 'none', 'used']);
  assert.throws(() => env.nets.list(new Map([['foo', ['x']]])), (e) => isInvalidArgument(e) && (e as Error).message === "Invalid filter 'foo'");
  assert.deepEqual(env.nets.list(new Map([['dangling', ['true']]])).map((n) => n.name), ['keep']);
  assert.deepEqual(env.nets.list(new Map([['type', ['builtin']], ['driver', ['bridge']]])).map((n) => n.name), ['bridge']);
  assert.deepEqual(env.nets.list(new Map([['label', ['keep=1']]])).map((n) => n.name), ['keep']);
});

test('attach: the default bridge from a prepared namespace, more networks as more links, the first gateway routes', async () => {
  await env.nets.create({ Name: 'u', IPAM: { Config: [{ Subnet: '10.60.0.0/24' }] } });
  await env.nets.create({ Name: 'i', Internal: true, IPAM: { Config: [{ Subnet: '10.61.0.0/24' }] } });
  await env.attacher.restore([]);
  const sb = await start('c1', [{ name: 'bridge' }, { name: 'i' }, { name: 'u', config: { IPAMConfig: { IPv4Address: '10.60.0.9' } } }]);
  const [b, i, u] = sb.endpoints;
  assert.deepEqual([b.ifname, b.ipAddress, b.gateway], ['eth0', '172.18.0.2', '172.18.0.1']);
  assert.deepEqual([i.ifname, i.ipAddress, i.gateway], ['eth1', '10.61.0.2', '']);
  assert.deepEqual([u.ifname, u.ipAddress, u.macAddress], ['eth2', '10.60.0.9', '02:42:0a:3c:00:09']);
  const made = env.sandboxes.sandboxes.get(sb.netns)!;
  assert.equal(made.gateway, '172.18.0.1');
  assert.deepEqual(made.links.map((l) => l.bridge), ['berth0', env.nets.get('i').bridge, env.nets.get('u').bridge]);
  assert.deepEqual(env.events.filter((e) => e.action === 'connect').map((e) => e.attrs.name), ['bridge', 'i', 'u']);
  // The same address again is refused, and nothing is held by the failed attach.
  await assert.rejects(start('c2', [{ name: 'u', config: { IPAMConfig: { IPv4Address: '10.60.0.9' } } }]), code('FORBIDDEN', 'Address already in use'));
  assert.equal(env.nets.pool(env.nets.get('u').id)!.size, 1);
  // Detach releases the namespace and every address.
  await env.attacher.detach(sb);
  assert.equal(env.sandboxes.sandboxes.has(sb.netns), false);
  assert.equal(env.nets.pool(env.nets.get('u').id)!.size, 0);
  assert.equal(env.nets.pool(env.nets.get('i').id)!.size, 0);
});

test('an internal network first: no default route; none and host hold no address', async () => {
  await env.nets.create({ Name: 'i', Internal: true });
  const sb = await start('c1', [{ name: 'i' }]);
  assert.equal(env.sandboxes.sandboxes.get(sb.netns)!.gateway, undefined);
  const none = await start('c2', [], 'none');
  assert.deepEqual(env.sandboxes.sandboxes.get(none.netns)!.links, []);
  assert.equal(none.endpoints[0].networkName, 'none');
  assert.equal(none.endpoints[0].ipAddress, '');
  const host = await start('c3', [], 'host');
  assert.equal(host.netns, 'host');
});

test('resolve: Docker\'s refusals for addresses and aliases', () => {
  const a = env.attacher;
  assert.throws(() => a.resolve('nosuch'), (e) => isNotFound(e) && (e as Error).message === 'network nosuch not found');
  assert.throws(() => a.resolve('bridge', { bridge: { IPAMConfig: { IPv4Address: '172.18.0.9' } } }), code('INVALID_ARGUMENT', 'user specified IP address is supported on user defined networks only'));
  assert.throws(() => a.resolve('bridge', { default: { Aliases: ['x'] } }), code('INVALID_ARGUMENT', 'network-scoped aliases are only supported for user-defined networks'));
  assert.throws(() => a.resolve('none', { bridge: {} }), code('INVALID_ARGUMENT', /private \(none\) mode/));
  assert.deepEqual(a.resolve('container:abc'), {});
});

test('resolve checks --ip against the network\'s own subnet', async () => {
  await env.nets.create({ Name: 'auto' });
  await env.nets.create({ Name: 'given', IPAM: { Config: [{ Subnet: '10.70.0.0/24' }] } });
  const a = env.attacher;
  assert.throws(() => a.resolve('auto', { auto: { IPAMConfig: { IPv4Address: '172.19.0.9' } } }), code('INVALID_ARGUMENT', 'user specified IP address is supported only when connecting to networks with user configured subnets'));
  assert.throws(() => a.resolve('given', { given: { IPAMConfig: { IPv4Address: '10.71.0.9' } } }), code('INVALID_ARGUMENT', "Invalid address 10.71.0.9: It does not belong to any of this network's subnets"));
  assert.throws(() => a.resolve('given', { given: { IPAMConfig: { IPv6Address: 'fd00::9' } } }), code('INVALID_ARGUMENT', 'user specified IP address is supported only when connecting to networks with user configured subnets'));
  const r = a.resolve('given', { given: { IPAMConfig: { IPv4Address: '10.70.0.9' }, Aliases: ['web'] } });
  assert.deepEqual(r.given.Aliases, ['web']);
  assert.equal(r.given.NetworkID, env.nets.get('given').id);
});

test('connect adds a link and the route when none had one; disconnect moves the route on', async () => {
  await env.nets.create({ Name: 'u', IPAM: { Config: [{ Subnet: '10.80.0.0/24' }] } });
  const sb = await start('c1', [{ name: 'bridge' }]);
  const ep = await env.attacher.connect(sb, { containerId: sb.containerId, containerName: 'c1', network: 'u', config: {} });
  assert.deepEqual([ep.ifname, ep.ipAddress], ['eth1', '10.80.0.2']);
  await assert.rejects(env.attacher.connect({ ...sb, endpoints: [...sb.endpoints, ep] }, { containerId: sb.containerId, containerName: 'c1', network: 'u', config: {} }),
    code('FORBIDDEN', 'endpoint with name c1 already exists in network u'));
  const all = { ...sb, endpoints: [...sb.endpoints, ep] };
  await env.attacher.disconnect(all, sb.endpoints[0]);
  const made = env.sandboxes.sandboxes.get(sb.netns)!;
  assert.deepEqual(made.links.map((l) => l.ifname), ['eth1']);
  assert.equal(made.gateway, '10.80.0.1');
  assert.equal(env.nets.pool(env.nets.get('bridge').id)!.has(sb.endpoints[0].ipAddress), false);
  assert.deepEqual(endpointsOf(sb).length, 1);
});

test('restore keeps live sandboxes and their addresses, and removes every other namespace', async () => {
  await env.nets.create({ Name: 'u', IPAM: { Config: [{ Subnet: '10.90.0.0/24' }] } });
  const live = await start('c1', [{ name: 'u' }]);
  const dead = await start('c2', [{ name: 'u' }]);
  const next = await open(env.dir, env.host, env.sandboxes);
  await next.attacher.restore([live]);
  assert.ok(env.sandboxes.sandboxes.has(live.netns));
  assert.equal(env.sandboxes.sandboxes.has(dead.netns), false);
  const pool = next.nets.pool(next.nets.get('u').id)!;
  assert.ok(pool.has('10.90.0.2'));
  assert.equal(pool.has('10.90.0.3'), false);
  await next.attacher.close();
});
