import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFound } from '../../errdefs';
import { activeLinks, linkEnv, linkHostsLine, normalizeLinks, parseLink, withLinkEnv, type LinkStore } from './links';
import type { ContainerRecord } from './types';

function rec(name: string, over: { status?: string; ip?: string; ports?: string[]; env?: string[]; links?: string[]; mode?: string; hostname?: string } = {}): ContainerRecord {
  return {
    id: `${name}`.padEnd(64, '0'), name,
    config: { Hostname: over.hostname ?? `${name}-host`, Env: over.env ?? [], ExposedPorts: Object.fromEntries((over.ports ?? []).map((p) => [p, {}])) },
    hostConfig: { NetworkMode: over.mode ?? 'default', Links: over.links ?? null },
    state: { status: over.status ?? 'running' },
    sandbox: over.ip ? { netns: '/x', owned: true, endpoints: [{ networkName: 'bridge', ipAddress: over.ip }] } : undefined,
  } as unknown as ContainerRecord;
}

function store(...recs: ContainerRecord[]): LinkStore {
  const find = (ref: string) => recs.find((r) => r.name === ref.replace(/^\//, '') || r.id.startsWith(ref));
  return { find, all: () => recs, get: (ref) => { const r = find(ref); if (!r) throw new NotFound(`No such container: ${ref}`); return r; } };
}

test('link specs: name, name:alias, and Docker\'s errors', () => {
  assert.deepEqual(parseLink('db'), { name: 'db', alias: 'db' });
  assert.deepEqual(parseLink('/db:/web/d'), { name: 'db', alias: 'd' });
  assert.throws(() => parseLink('a:b:c'), { code: 'INTERNAL', message: 'bad format for links: a:b:c' });
});

test('create records links as /child:/parent/alias, refusing missing children and host/container modes', () => {
  const s = store(rec('db'));
  assert.deepEqual(normalizeLinks(s, 'web', { Links: ['db:d', 'db0000'] }), ['/db:/web/d', '/db:/web/db0000']);
  assert.equal(normalizeLinks(s, 'web', {}), null);
  assert.throws(() => normalizeLinks(s, 'web', { Links: ['nosuch:x'] }), { code: 'INVALID_ARGUMENT', message: 'could not get container for nosuch: No such container: nosuch' });
  assert.throws(() => normalizeLinks(s, 'web', { Links: ['db'], NetworkMode: 'host' }), /host type networking can't be used with links/);
  assert.throws(() => normalizeLinks(s, 'web', { Links: ['db'], NetworkMode: 'container:db' }), /container type network can't be used with links/);
});

test('start: a stopped child or one off the bridge is Docker\'s error; a removed child is skipped', () => {
  const web = rec('web', { links: ['/db:/web/d', '/gone:/web/g'] });
  assert.throws(() => activeLinks(store(web, rec('db', { status: 'exited' })), web), { code: 'INTERNAL', message: 'Cannot link to a non running container: /db AS /web/d' });
  assert.throws(() => activeLinks(store(web, rec('db')), web), { message: 'Cannot link to /db, as it does not belong to the default network' });
  const ok = activeLinks(store(web, rec('db', { ip: '172.17.0.5' })), web);
  assert.deepEqual(ok.map((l) => [l.alias, l.ip]), [['d', '172.17.0.5']]);
  assert.deepEqual(activeLinks(store(rec('u', { links: ['/db:/u/d'], mode: 'mynet' })), rec('u', { links: ['/db:/u/d'], mode: 'mynet' })), []);
});

test('hosts lines as Docker writes them: alias, hostname, and the name unless it is the alias', () => {
  const db = rec('db', { ip: '172.17.0.2', hostname: 'fd2ca8b2f67f' });
  assert.equal(linkHostsLine({ alias: 'y', child: db, ip: '172.17.0.2' }), '172.17.0.2\ty fd2ca8b2f67f db');
  assert.equal(linkHostsLine({ alias: 'db', child: db, ip: '172.17.0.2' }), '172.17.0.2\tdb fd2ca8b2f67f');
});

test('link variables in Docker 20.10\'s order, ranges included (from a reference run)', () => {
  const child = rec('dnsl-r', { ports: ['8000/tcp', '8001/tcp', '8002/tcp', '8001/udp', '7/udp'], env: ['PATH=/bin', 'HOME=/root', 'FOO=a=b', 'BARE'] });
  const p = 'MY_DB_PORT';
  const ip = '172.17.0.3';
  assert.deepEqual(linkEnv('angry_mendeleev', { alias: 'my-db', child, ip }), [
    `${p}=udp://${ip}:7`,
    `${p}_8000_TCP_START=tcp://${ip}:8000`, `${p}_8000_TCP_ADDR=${ip}`, `${p}_8000_TCP_PROTO=tcp`, `${p}_8000_TCP_PORT_START=8000`,
    `${p}_8000_TCP_END=tcp://${ip}:8002`, `${p}_8000_TCP_PORT_END=8002`,
    `${p}_7_UDP=udp://${ip}:7`, `${p}_7_UDP_ADDR=${ip}`, `${p}_7_UDP_PORT=7`, `${p}_7_UDP_PROTO=udp`,
    `${p}_8000_TCP=tcp://${ip}:8000`, `${p}_8000_TCP_PORT=8000`,
    `${p}_8001_TCP=tcp://${ip}:8001`, `${p}_8001_TCP_ADDR=${ip}`, `${p}_8001_TCP_PORT=8001`, `${p}_8001_TCP_PROTO=tcp`,
    `${p}_8001_UDP=udp://${ip}:8001`, `${p}_8001_UDP_ADDR=${ip}`, `${p}_8001_UDP_PORT=8001`, `${p}_8001_UDP_PROTO=udp`,
    `${p}_8002_TCP=tcp://${ip}:8002`, `${p}_8002_TCP_ADDR=${ip}`, `${p}_8002_TCP_PORT=8002`, `${p}_8002_TCP_PROTO=tcp`,
    'MY_DB_NAME=/angry_mendeleev/my-db',
    'MY_DB_ENV_FOO=a=b',
  ]);
  assert.deepEqual(linkEnv('p', { alias: 'x', child: rec('c'), ip }), ['X_NAME=/p/x']);
});

test('the container\'s own variables win over its links\'', () => {
  assert.deepEqual(withLinkEnv(['A=1', 'X_NAME=mine'], ['X_NAME=/p/x', 'X_PORT=tcp://1.2.3.4:80']), ['A=1', 'X_NAME=mine', 'X_PORT=tcp://1.2.3.4:80']);
});
